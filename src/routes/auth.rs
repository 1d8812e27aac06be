//! Sign-in and sign-out.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::{credentials, web_session};
use crate::error::AppError;
use crate::web::render::blocking;
use crate::web::{AppState, Identity, assets};

#[derive(Template)]
#[template(path = "pages/sign_in.html")]
struct SignInPage {
    css: String,
    favicon: String,
    next: String,
    name: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct SignInForm {
    name: String,
    secret: String,
    next: Option<String>,
}

/// Only our own paths: never an open redirect to another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/sessions".to_owned(),
    }
}

fn sign_in_page(
    status: actix_web::http::StatusCode,
    page: SignInPage,
) -> Result<HttpResponse, AppError> {
    let body = page
        .render()
        .map_err(|e| AppError::Task(format!("template: {e}")))?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

pub async fn show(query: web::Query<NextQuery>) -> Result<HttpResponse, AppError> {
    sign_in_page(
        actix_web::http::StatusCode::OK,
        SignInPage {
            css: assets::url("css/app.css"),
            favicon: assets::url("icons/favicon.svg"),
            next: safe_next(query.next.as_deref()),
            name: String::new(),
            error: None,
        },
    )
}

/// A sign-in form posted from another site is refused: browsers always send Origin on POST.
fn same_origin(req: &HttpRequest) -> bool {
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return true;
    };
    let host = req.connection_info().host().to_owned();
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(&host))
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let next = safe_next(form.next.as_deref());
    let refuse = |status, message: &str| {
        sign_in_page(
            status,
            SignInPage {
                css: assets::url("css/app.css"),
                favicon: assets::url("icons/favicon.svg"),
                next: next.clone(),
                name: form.name.clone(),
                error: Some(message.to_owned()),
            },
        )
    };
    use actix_web::http::StatusCode;
    if !same_origin(&req) {
        return refuse(
            StatusCode::FORBIDDEN,
            "This sign-in came from another site and was refused.",
        );
    }
    if form.name.trim().is_empty() || form.secret.is_empty() || form.secret.len() > 1024 {
        return refuse(
            StatusCode::BAD_REQUEST,
            "Enter your user name and your token or password.",
        );
    }
    let address = req.peer_addr().map(|a| a.ip());
    if !state.sign_in_limits.allow(address, form.name.trim()) {
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many sign-in attempts. Wait a minute, then try again.",
        );
    }
    let pool = state.pool.clone();
    let (name, secret) = (form.name.clone(), form.secret.clone());
    let agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown browser")
        .to_owned();
    let signed_in = blocking(move || {
        let mut conn = pool.get()?;
        let Some(user) = credentials::verify_sign_in(&mut conn, &name, &secret)? else {
            return Ok(None);
        };
        let id = web_session::new_secret();
        let now = crate::db::now();
        crate::db::web_sessions::insert(
            &mut conn,
            &web_session::hash_id(&id),
            user.id,
            &web_session::new_secret(),
            now,
            now + chrono::Duration::days(web_session::LIFETIME_DAYS),
        )?;
        crate::db::sign_ins::describe(&mut conn, &web_session::hash_id(&id), &agent, now)?;
        Ok(Some(id))
    })
    .await?;
    let Some(id) = signed_in else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "That user name and token or password do not match.",
        );
    };
    let cookie = Cookie::build(web_session::COOKIE_NAME, id)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(web_session::LIFETIME_DAYS))
        .finish();
    Ok(HttpResponse::SeeOther()
        .cookie(cookie)
        .insert_header((header::LOCATION, next))
        .finish())
}

pub async fn sign_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    _identity: Identity,
) -> Result<HttpResponse, AppError> {
    if let Some(cookie) = req.cookie(web_session::COOKIE_NAME) {
        let id_hash = web_session::hash_id(cookie.value());
        state.sign_ins.remove(&id_hash);
        let pool = state.pool.clone();
        blocking(move || {
            let mut conn = pool.get()?;
            crate::db::web_sessions::revoke(&mut conn, &id_hash, crate::db::now())?;
            Ok(())
        })
        .await?;
    }
    let mut removal = Cookie::build(web_session::COOKIE_NAME, "")
        .path("/")
        .finish();
    removal.make_removal();
    Ok(HttpResponse::Ok()
        .cookie(removal)
        .insert_header(("HX-Redirect", "/login"))
        .finish())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_only_ever_one_of_our_paths() {
        assert_eq!(safe_next(Some("/sessions?page=2")), "/sessions?page=2");
        assert_eq!(safe_next(Some("//evil.example")), "/sessions");
        assert_eq!(safe_next(Some("https://evil.example")), "/sessions");
        assert_eq!(safe_next(Some("/\\evil")), "/sessions");
        assert_eq!(safe_next(None), "/sessions");
    }
}
