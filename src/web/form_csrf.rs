//! The CSRF token of a plain HTML form. htmx sends the token in the `X-CSRF-Token` header; a
//! page without JavaScript can only send it as a form field, `csrf_token`. This middleware
//! reads that field from a url-encoded body that came without the header, keeps it for the
//! `Identity` extractor, and puts the body back for the handler's own `web::Form`.

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpMessage};

/// The header htmx and scripts send the token in.
pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// The form field that carries the token.
pub const FIELD: &str = "csrf_token";

/// The token a form sent in its body, for `Identity` to compare.
#[derive(Debug, Clone)]
pub struct FormToken(pub String);

fn is_form(req: &ServiceRequest) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// The field's value in a url-encoded body, if it is there.
pub fn token_in(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(key, _)| key == FIELD)
        .map(|(_, value)| value)
}

pub async fn read_form_token(
    limit: usize,
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let wanted = !req.method().is_safe()
        && is_form(&req)
        && !req.headers().contains_key(CSRF_HEADER)
        && declared.is_some_and(|length| length <= limit);
    // Only a body that says how long it is, within the form limit: a longer one is refused by
    // the handler's form extractor with its own message, unread here.
    if wanted {
        let body = req.extract::<Bytes>().await?;
        if let Some(token) = token_in(&body) {
            req.extensions_mut().insert(FormToken(token));
        }
        req.set_payload(Payload::from(body));
    }
    next.call(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_found_among_the_form_fields() {
        assert_eq!(
            token_in(b"action=restore&csrf_token=abc%2B1&quality=perfect").as_deref(),
            Some("abc+1")
        );
        assert_eq!(token_in(b"action=restore"), None);
        assert_eq!(token_in(b"\xff\xfe=%%"), None);
    }
}
