//! `/link/{secret}`: a one-time sign-in link opened on another device. The GET only shows
//! whose link it is, with a button: a chat app or a mail scanner that fetches a link to preview
//! it must not use it up. The button's POST signs the person in on this device.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::auth::{same_origin, sign_in_cookie, user_agent};
use crate::auth::sign_in_link::{self, LinkState};
use crate::clock::page_text;
use crate::error::AppError;
use crate::web::render::blocking;
use crate::web::{AppState, assets};

#[derive(Template)]
#[template(path = "pages/sign_in_link.html")]
struct LinkPage {
    css: String,
    favicon: String,
    secret: String,
    /// Whose link it is, while it can be used.
    name: Option<String>,
    expires: String,
    refusal: String,
}

fn page(status: StatusCode, secret: &str, state: &LinkState) -> Result<HttpResponse, AppError> {
    let (name, expires) = match state {
        LinkState::Open(link) => (Some(link.user.clone()), page_text(link.expires_at, "%H:%M")),
        _ => (None, String::new()),
    };
    let body = LinkPage {
        css: assets::url("css/app.css"),
        favicon: assets::url("icons/favicon.svg"),
        secret: secret.to_owned(),
        name,
        expires,
        refusal: state.refusal().unwrap_or_default().to_owned(),
    }
    .render()
    .map_err(|e| AppError::Task(format!("template: {e}")))?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        // The secret is in the address: the app-wide `Referrer-Policy: same-origin` keeps it
        // from leaving in a Referer. (`no-referrer` would make the button's POST send
        // `Origin: null`, which the same-origin check refuses.)
        .body(body))
}

/// 410 Gone for a link that worked once; 404 for one that never existed.
fn refused_status(state: &LinkState) -> StatusCode {
    match state {
        LinkState::Unknown => StatusCode::NOT_FOUND,
        _ => StatusCode::GONE,
    }
}

pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let secret = path.into_inner();
    let pool = state.pool.clone();
    let lookup = secret.clone();
    let found = blocking(move || sign_in_link::inspect(&mut *pool.get()?, &lookup)).await?;
    let status = match found {
        LinkState::Open(_) => StatusCode::OK,
        _ => refused_status(&found),
    };
    page(status, &secret, &found)
}

pub async fn redeem(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let secret = path.into_inner();
    if !same_origin(&req, state.behind_proxy) {
        return Err(AppError::Forbidden(
            "this sign-in came from another site and was refused".to_owned(),
        ));
    }
    let pool = state.pool.clone();
    let agent = user_agent(&req);
    let from = crate::web::proxy::client_address(&req, state.behind_proxy).to_string();
    let lookup = secret.clone();
    let outcome =
        blocking(move || sign_in_link::redeem(&mut *pool.get()?, &lookup, &agent, &from)).await?;
    match outcome {
        Ok((id, _)) => Ok(HttpResponse::SeeOther()
            .cookie(sign_in_cookie(id, &req, &state))
            .insert_header((header::LOCATION, "/"))
            .finish()),
        Err(refused) => page(refused_status(&refused), &secret, &refused),
    }
}
