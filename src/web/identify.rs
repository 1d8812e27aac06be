//! The `Identity` extractor: a sign-in cookie (checked against the form's or header's CSRF
//! token on a change) or a bearer token (`web::bearer`) names who is asking.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::{Method, header};
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use crate::auth::digest::constant_time_eq;
use crate::auth::sign_in_expiry::Now;
use crate::auth::web_session;
use crate::error::AppError;
use crate::web::AppState;
use crate::web::auth_error::AuthError;
use crate::web::form_csrf::CSRF_HEADER;
use crate::web::identity::Identity;

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
            let uses = state.sign_in_uses.clone();
            let found = web::block(move || -> Result<_, AppError> {
                let mut conn = pool.get()?;
                let now = Now::read();
                let found = crate::db::web_sessions::find_unrevoked(&mut conn, &key)?
                    .filter(|(_, _, expires_at)| uses.is_live(&key, *expires_at, now))
                    .map(|(user, csrf, _)| (user, csrf));
                if found.is_some() {
                    uses.used(&key, now);
                    // Its new end, and the admin page's "last seen"; at most once a minute.
                    crate::db::sign_ins::seen(&mut conn, &key, now.wall)?;
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
