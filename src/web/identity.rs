//! Who is asking: a browser with a sign-in cookie, or a script with a bearer token. Every
//! route but the sign-in page and assets takes an `Identity`, so forgetting to check is a
//! compile error rather than an open door.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::{Method, StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use sha2::{Digest, Sha256};

use crate::auth::{credentials, token::Token, web_session};
use crate::db::ids::UserId;
use crate::db::models::User;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::web::AppState;

pub const CSRF_HEADER: &str = "X-CSRF-Token";

#[derive(Debug, Clone)]
pub struct Identity {
    pub user_id: UserId,
    pub name: String,
    pub role: Role,
    /// The sign-in's CSRF token; None for bearer tokens, which a browser never sends by itself.
    pub csrf: Option<String>,
}

impl Identity {
    fn from_user(user: &User, csrf: Option<String>) -> Identity {
        Identity {
            user_id: user.id,
            name: user.name.clone(),
            role: user.role.parse().unwrap_or(Role::Viewer),
            csrf,
        }
    }

    /// Refuses with a message that says which role is needed.
    pub fn require(&self, role: Role) -> Result<(), AppError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "this needs the {role} role; you are signed in as {} ({}). Ask an admin.",
                self.name, self.role
            )))
        }
    }
}

/// Why a request was not let in, answered in the form its client understands.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("sign in first")]
    SignIn { next: String, htmx: bool, api: bool },
    #[error("this request did not carry the page's security token; reload the page and try again")]
    Csrf,
    #[error(
        "the bearer token is not valid: check it, or create a new one with `sdreview token create`"
    )]
    BadToken,
    #[error(transparent)]
    Internal(#[from] AppError),
}

impl ResponseError for AuthError {
    fn status_code(&self) -> StatusCode {
        match self {
            AuthError::SignIn { .. } | AuthError::BadToken => StatusCode::UNAUTHORIZED,
            AuthError::Csrf => StatusCode::FORBIDDEN,
            AuthError::Internal(e) => e.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AuthError::SignIn { next, htmx, api } => {
                let location = format!("/login?next={}", url_escape(next));
                if *api {
                    crate::web::error_response::json_error(self.status_code(), &self.to_string())
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
            AuthError::Internal(e) => e.error_response(),
            _ => crate::web::error_response::page(self.status_code(), &self.to_string()),
        }
    }
}

/// Percent-encodes a value for a query string.
pub fn url_escape(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

async fn identify(req: HttpRequest) -> Result<Identity, AuthError> {
    let identity = identify_unchecked(&req).await?;
    if !is_safe(req.method()) {
        let sent = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        check_csrf(&identity, sent)?;
    }
    Ok(identity)
}

/// Refuses a browser's state-changing request whose token is not its sign-in's. Bearer
/// tokens carry none: a browser never sends them by itself.
pub fn check_csrf(identity: &Identity, sent: &str) -> Result<(), AuthError> {
    match &identity.csrf {
        Some(csrf) if !constant_time_eq(sent.as_bytes(), csrf.as_bytes()) => Err(AuthError::Csrf),
        _ => Ok(()),
    }
}

/// Who is asking, before any CSRF check: forms that carry their token in a field check it
/// once their body is read (`SignedForm`).
pub async fn identify_unchecked(req: &HttpRequest) -> Result<Identity, AuthError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::Config("application state missing".into()))?
        .clone();
    let api = req.path().starts_with("/api/");
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let text = value.to_str().unwrap_or_default();
        let presented = text.strip_prefix("Bearer ").ok_or(AuthError::BadToken)?;
        return identify_bearer(&state, presented).await;
    }
    let signed_out = || AuthError::SignIn {
        next: req
            .uri()
            .path_and_query()
            .map_or("/".into(), |p| p.as_str().to_owned()),
        htmx: req.headers().contains_key("HX-Request"),
        api,
    };
    let cookie = req
        .cookie(web_session::COOKIE_NAME)
        .ok_or_else(signed_out)?;
    let id_hash = web_session::hash_id(cookie.value());
    let identity = match state.sign_ins.get(&id_hash) {
        Some(identity) => identity,
        None => {
            let pool = state.pool.clone();
            let key = id_hash.clone();
            let found = web::block(move || -> Result<_, AppError> {
                let mut conn = pool.get()?;
                let found = crate::db::web_sessions::find_live(&mut conn, &key, crate::db::now())?;
                if found.is_some() {
                    // For the admin page's "last seen"; at most one write a minute per sign-in.
                    crate::db::sign_ins::seen(&mut conn, &key, crate::db::now())?;
                }
                Ok(found)
            })
            .await
            .map_err(|e| AppError::Task(e.to_string()))??;
            let (user, csrf) = found.ok_or_else(signed_out)?;
            let identity = Identity::from_user(&user, Some(csrf));
            state.sign_ins.put(id_hash, identity.clone());
            identity
        }
    };
    Ok(identity)
}

async fn identify_bearer(state: &AppState, presented: &str) -> Result<Identity, AuthError> {
    let key = hex::encode(Sha256::digest(presented.trim().as_bytes()));
    if let Some(identity) = state.tokens.get(&key) {
        return Ok(identity);
    }
    let token = Token::parse(presented).ok_or(AuthError::BadToken)?;
    let pool = state.pool.clone();
    let user = web::block(move || -> Result<_, AppError> {
        let mut conn = pool.get()?;
        credentials::verify_token(&mut conn, &token)
    })
    .await
    .map_err(|e| AppError::Task(e.to_string()))??
    .ok_or(AuthError::BadToken)?;
    let identity = Identity::from_user(&user, None);
    state.tokens.put(key, identity.clone());
    Ok(identity)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequest for Identity {
    type Error = AuthError;
    type Future = Pin<Box<dyn Future<Output = Result<Identity, AuthError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        Box::pin(identify(req.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_query_value_cannot_hold() {
        assert_eq!(url_escape("/s/1?a=b&c"), "%2Fs%2F1%3Fa%3Db%26c");
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
