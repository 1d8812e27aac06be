//! Why a request was not let in, answered in the form its client understands: a redirect to
//! the sign-in page for a browser, an `HX-Redirect` for htmx, JSON for the API.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

use crate::error::AppError;
use crate::web::error_response::{json_error, page};
use crate::web::href::url_escape;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("sign in first")]
    SignIn { next: String, htmx: bool, api: bool },
    #[error("this request did not carry the page's security token; reload the page and try again")]
    Csrf,
    #[error(
        "the bearer token is not valid: check it, or create a new one with `sdreview token create`"
    )]
    BadToken { api: bool },
    #[error(
        "too many failed token attempts from your address: try again in {retry_after} s, with a valid token"
    )]
    TooManyAttempts { retry_after: u64, api: bool },
    #[error(transparent)]
    Internal(#[from] AppError),
}

impl ResponseError for AuthError {
    fn status_code(&self) -> StatusCode {
        match self {
            AuthError::SignIn { .. } | AuthError::BadToken { .. } => StatusCode::UNAUTHORIZED,
            AuthError::Csrf => StatusCode::FORBIDDEN,
            AuthError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            AuthError::Internal(e) => e.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        match self {
            AuthError::SignIn { next, htmx, api } => {
                let location = format!("/login?next={}", url_escape(next));
                if *api {
                    json_error(status, &self.to_string())
                } else if *htmx {
                    HttpResponse::Ok()
                        .insert_header(("HX-Redirect", location))
                        .finish()
                } else {
                    HttpResponse::SeeOther()
                        .insert_header((header::LOCATION, location))
                        .finish()
                }
            }
            AuthError::TooManyAttempts { retry_after, api } => {
                let mut response = if *api {
                    json_error(status, &self.to_string())
                } else {
                    page(status, &self.to_string())
                };
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, header::HeaderValue::from(*retry_after));
                response
            }
            AuthError::BadToken { api: true } => json_error(status, &self.to_string()),
            AuthError::Internal(e) => e.error_response(),
            _ => page(status, &self.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_many_attempts_says_when_to_retry_in_the_header_and_the_message() {
        let error = AuthError::TooManyAttempts {
            retry_after: 7,
            api: true,
        };
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "7");
        assert!(error.to_string().contains("try again in 7 s"));
    }
}
