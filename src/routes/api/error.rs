//! API errors: JSON `{"error": "...", "status": 400, "field": "...", "valid": [...]}` with an
//! HTTP status that says what went wrong (and is repeated in the body). Handlers return `ApiError`; errors raised before a handler runs (a bad
//! token, an unparsable query, an unknown path or method) are turned into the same JSON by
//! [`json_errors`], so an API client never receives an HTML page.

use actix_web::dev::ServiceResponse;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::stats_request::FieldError;
use crate::error::{AppError, error_chain};

const SERVER_ERROR: &str = "something went wrong on the server; it has been logged";

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    /// What was wrong and what to do about it.
    pub error: String,
    /// The HTTP status again, for a client that keeps only the body.
    pub status: u16,
    /// The parameter or body field at fault, when there is one.
    #[schema(required = true)]
    pub field: Option<String>,
    /// The allowed values, when the value was not one of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub valid: Option<Vec<String>>,
    /// Seconds to wait before trying again (a 429), sent as `Retry-After`.
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.error)
    }
}

impl ApiError {
    pub fn new(status: StatusCode, error: impl Into<String>, field: Option<&str>) -> ApiError {
        ApiError {
            status: status.as_u16(),
            error: error.into(),
            field: field.map(str::to_owned),
            valid: None,
            retry_after: None,
        }
    }

    /// A 429: come back in `seconds`.
    pub fn busy(error: impl Into<String>, seconds: u64) -> ApiError {
        ApiError {
            retry_after: Some(seconds),
            ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, error, None)
        }
    }

    pub fn bad(field: &str, error: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, error, Some(field))
    }

    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, what, None)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header(("Cache-Control", "no-store"));
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response.json(self)
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> ApiError {
        match error {
            AppError::BadInput(message) | AppError::Config(message) => {
                ApiError::new(StatusCode::BAD_REQUEST, message, None)
            }
            AppError::Unknown {
                field,
                message,
                valid,
            } => ApiError {
                valid: Some(valid),
                ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message, Some(field))
            },
            AppError::NotFound(what) => ApiError::not_found(format!("not found: {what}")),
            AppError::Forbidden(message) => ApiError::new(StatusCode::FORBIDDEN, message, None),
            AppError::NoRoom(why) | AppError::Unavailable(why) => {
                tracing::error!("API request failed: {why}");
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, why, None)
            }
            conflict @ AppError::Conflict(_) => {
                ApiError::new(StatusCode::CONFLICT, conflict.to_string(), None)
            }
            other => {
                tracing::error!("API request failed: {}", error_chain(&other));
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, SERVER_ERROR, None)
            }
        }
    }
}

/// A refused parameter: a 400 naming it, with the values it takes when there is a set.
impl From<FieldError> for ApiError {
    fn from(refused: FieldError) -> ApiError {
        ApiError {
            valid: (!refused.valid.is_empty()).then_some(refused.valid),
            ..ApiError::bad(&refused.field, refused.message)
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> ApiError {
        ApiError::from(AppError::from(error))
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(error: diesel::r2d2::PoolError) -> ApiError {
        ApiError::from(AppError::from(error))
    }
}

/// Middleware hook for the `/api` scope: an error response that is not JSON yet (from an
/// extractor, the sign-in check, routing) becomes `{"error": ..., "status": ..., "field": null}`
/// with the same status and the same message.
pub fn json_errors<B>(response: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let status = response.status();
    let message = if status.is_server_error() {
        SERVER_ERROR.to_owned()
    } else {
        match (response.response().error(), status) {
            (Some(error), _) => error.to_string(),
            (None, StatusCode::NOT_FOUND) => {
                "there is no API route at this address: see /api/openapi.json".to_owned()
            }
            (None, StatusCode::METHOD_NOT_ALLOWED) => {
                "this route does not take that method: see /api/openapi.json".to_owned()
            }
            (None, other) => other.canonical_reason().unwrap_or("error").to_owned(),
        }
    };
    let (request, _) = response.into_parts();
    let body = ApiError::new(status, message, None).error_response();
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(request, body).map_into_right_body(),
    ))
}
