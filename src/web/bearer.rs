//! Scripts: `Authorization: Bearer sdr_...`. A token already verified is answered from the
//! identity cache; otherwise it costs one indexed lookup and one SHA-256 on a blocking thread.
//! Failed attempts are counted per client address, and an address past its limit gets a 429
//! before any database work (`bearer_limit`).

use actix_web::http::header::HeaderValue;
use actix_web::{HttpRequest, web};

use crate::auth::{credentials, digest, token::Token};
use crate::error::AppError;
use crate::web::attempt_limit::whole_seconds;
use crate::web::auth_error::AuthError;
use crate::web::identity::Identity;
use crate::web::{AppState, proxy};

pub async fn identify(
    state: &AppState,
    req: &HttpRequest,
    header: &HeaderValue,
    api: bool,
) -> Result<Identity, AuthError> {
    // The scheme's name is case-insensitive (RFC 9110); anything else counts as a failure.
    let presented = header
        .to_str()
        .ok()
        .and_then(|text| text.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .unwrap_or_default();
    let key = digest::sha256_hex(presented);
    if let Some(identity) = state.tokens.get(&key) {
        return Ok(identity);
    }
    let address = proxy::client_address(req, state.behind_proxy);
    let too_many = |wait| AuthError::TooManyAttempts {
        retry_after: whole_seconds(wait),
        api,
    };
    if let Some(wait) = state.bearer_limits.refused(address) {
        return Err(too_many(wait));
    }
    let verified = match Token::parse(presented) {
        Some(token) => {
            let pool = state.pool.clone();
            web::block(move || -> Result<_, AppError> {
                let mut conn = pool.get()?;
                credentials::verify_token(&mut conn, &token)
            })
            .await
            .map_err(|e| AppError::Task(e.to_string()))??
        }
        None => None,
    };
    let Some(verified) = verified else {
        return Err(match state.bearer_limits.failed(address) {
            Some(wait) => too_many(wait),
            None => AuthError::BadToken { api },
        });
    };
    let identity = Identity::from_user(&verified.user, None);
    state.tokens.put(key, identity.clone());
    Ok(identity)
}
