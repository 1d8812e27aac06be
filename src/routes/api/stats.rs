//! `GET /api/analytics/stats`: every figure of the statistics page as one JSON document (the
//! same `Report` that `sdreview stats --json` prints), for the images any gallery filter keeps.
//! Errors are JSON too: `{"error": "...", "field": "...", "valid": [...]}`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError, web};

use crate::domain::stats_request::FieldError;
use crate::error::AppError;
use crate::routes::stats_request::{Outcome, figures};
use crate::web::{AppState, Identity};

fn field_error(status: StatusCode, refused: &FieldError) -> HttpResponse {
    let mut body = serde_json::json!({
        "error": refused.message,
        "field": refused.field,
    });
    if !refused.valid.is_empty() {
        body["valid"] = serde_json::json!(refused.valid);
    }
    HttpResponse::build(status).json(body)
}

pub async fn stats(
    state: web::Data<AppState>,
    identity: Identity,
    query: web::Query<Vec<(String, String)>>,
) -> HttpResponse {
    match figures(&state, &identity, &query).await {
        Ok(Outcome::Figures(_, report)) => HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .json(&*report),
        Ok(Outcome::Refused(status, refused)) => field_error(status, &refused),
        Err(error) => {
            let status = error.status_code();
            let message = if status.is_server_error() {
                tracing::error!("statistics failed: {}", crate::error::error_chain(&error));
                "the statistics could not be computed; the cause has been logged".to_owned()
            } else {
                error.to_string()
            };
            let field = match error {
                AppError::Forbidden(_) => "deleted",
                _ => "",
            };
            field_error(status, &FieldError::new(field, message))
        }
    }
}
