//! How errors reach a person: a short page (or JSON for the API) with a message they can act
//! on. Internal causes are logged whole and never sent: no stack trace or SQL reaches a client.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::error::{AppError, error_chain};

#[derive(Template)]
#[template(path = "pages/error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: &'a str,
    css: String,
    favicon: String,
}

pub fn page(status: StatusCode, message: &str) -> HttpResponse {
    let title = status.canonical_reason().unwrap_or("Error");
    let body = ErrorPage {
        status: status.as_u16(),
        title,
        message,
        css: crate::web::assets::url("css/app.css"),
        favicon: crate::web::assets::url("icons/favicon.svg"),
    }
    .render()
    .unwrap_or_else(|_| message.to_owned());
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body)
}

/// The API's error body (`routes::api::error::ApiError`), for errors raised before the API's
/// handlers run (the token check): the same three fields, no parameter at fault.
pub fn json_error(status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(serde_json::json!({
        "error": message,
        "status": status.as_u16(),
        "field": null,
    }))
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadInput(_) | AppError::Config(_) | AppError::Unknown { .. } => {
                StatusCode::BAD_REQUEST
            }
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::NoRoom(_) | AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if let AppError::NoRoom(why) | AppError::Unavailable(why) = self {
            // The person can act on this one, so it is said in words.
            tracing::error!("request failed: {why}");
            return page(status, why);
        }
        if status.is_server_error() {
            tracing::error!("request failed: {}", error_chain(self));
            page(
                status,
                "Something went wrong on the server. It has been logged; try again, and if it \
                 keeps happening, tell whoever runs sdreview.",
            )
        } else {
            page(status, &self.to_string())
        }
    }
}

/// Bodies and query strings that cannot be parsed get the same kind of page, with the reason.
pub fn bad_request(message: String) -> actix_web::Error {
    actix_web::error::InternalError::from_response(
        message.clone(),
        page(StatusCode::BAD_REQUEST, &message),
    )
    .into()
}

pub fn payload_error(err: actix_web::error::JsonPayloadError) -> actix_web::Error {
    bad_request(format!("the request body is not acceptable: {err}"))
}
