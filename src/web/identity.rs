//! Who is asking: a browser with a sign-in cookie, or a script with a bearer token. Every
//! route but the sign-in page and assets takes an `Identity`, so forgetting to check is a
//! compile error rather than an open door.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::{Method, header};
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use crate::auth::digest::constant_time_eq;
use crate::auth::web_session;
use crate::db::ids::UserId;
use crate::db::models::User;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::web::AppState;
pub use crate::web::auth_error::AuthError;

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
    pub fn from_user(user: &User, csrf: Option<String>) -> Identity {
        Identity {
            user_id: user.id,
            name: user.name.clone(),
            role: user.role.parse().unwrap_or(Role::Viewer),
            csrf,
        }
    }

    /// Who asks, as the database's reads take it (the trash rule needs the role).
    pub fn caller(&self) -> crate::db::caller::Caller {
        crate::db::caller::Caller::new(self.user_id, self.role)
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

/// Percent-encodes a value for a query string.
pub fn url_escape(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The application state, which every route of the app has.
fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::Config("application state missing".into()))
}

async fn identify(req: HttpRequest) -> Result<Identity, AuthError> {
    let state = app_state(&req)?;
    let api = req.path().starts_with("/api/");
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        return crate::web::bearer::identify(&state, &req, value, api).await;
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
    let csrf = identity.csrf.clone().unwrap_or_default();
    if !is_safe(req.method()) {
        // The header (htmx, scripts) or, for a page without JavaScript, the form's field.
        let form_token = req
            .extensions()
            .get::<crate::web::form_csrf::FormToken>()
            .map(|t| t.0.clone());
        let sent = match req.headers().get(CSRF_HEADER) {
            Some(value) => value.to_str().unwrap_or_default().to_owned(),
            None => form_token.unwrap_or_default(),
        };
        if !constant_time_eq(sent.as_bytes(), csrf.as_bytes()) {
            return Err(AuthError::Csrf);
        }
    }
    Ok(identity)
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
    }
}
