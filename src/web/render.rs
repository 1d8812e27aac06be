//! Rendering askama templates into responses.

use actix_web::HttpResponse;
use askama::Template;

use crate::error::AppError;

pub fn html<T: Template>(template: &T) -> Result<HttpResponse, AppError> {
    let body = template
        .render()
        .map_err(|e| AppError::Task(format!("template: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

/// True for requests made by htmx, which get a fragment instead of the whole page.
pub fn is_htmx(req: &actix_web::HttpRequest) -> bool {
    req.headers().contains_key("HX-Request")
        && !req.headers().contains_key("HX-History-Restore-Request")
}

/// Runs blocking database work off the async workers.
pub async fn blocking<T, F>(f: F) -> Result<T, AppError>
where
    F: FnOnce() -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    actix_web::web::block(f)
        .await
        .map_err(|e| AppError::Task(e.to_string()))?
}
