//! Sign-in and sign-out.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::{credentials, web_session};
use crate::db::web_sessions::NewSignIn;
use crate::domain::next_path::NextPath;
use crate::error::AppError;
use crate::web::attempt_limit::whole_seconds;
use crate::web::render::blocking;
use crate::web::{AppState, Identity, assets, proxy};

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
            next: NextPath::parse(query.next.as_deref()).as_str().to_owned(),
            name: String::new(),
            error: None,
        },
    )
}

pub(super) fn user_agent(req: &HttpRequest) -> String {
    req.headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown browser")
        .to_owned()
}

/// A sign-in form posted from another site is refused: browsers always send Origin on POST.
/// The host compared with is the `Host` header; `X-Forwarded-Host` and `Forwarded` only count
/// behind a proxy, since otherwise the attacker's page could set them.
pub(super) fn same_origin(req: &HttpRequest, behind_proxy: bool) -> bool {
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return true;
    };
    let Some(host) = proxy::request_host(req, behind_proxy) else {
        return false;
    };
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
    let next = NextPath::parse(form.next.as_deref());
    let refuse = |status, message: &str| {
        sign_in_page(
            status,
            SignInPage {
                css: assets::url("css/app.css"),
                favicon: assets::url("icons/favicon.svg"),
                next: next.as_str().to_owned(),
                name: form.name.clone(),
                error: Some(message.to_owned()),
            },
        )
    };
    use actix_web::http::StatusCode;
    if !same_origin(&req, state.behind_proxy) {
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
    let address = proxy::client_address(&req, state.behind_proxy);
    if let Err(wait) = state.sign_in_limits.check(address, &form.name) {
        let mut page = refuse(
            StatusCode::TOO_MANY_REQUESTS,
            &format!(
                "Too many sign-in attempts. Try again in {} seconds.",
                whole_seconds(wait)
            ),
        )?;
        page.headers_mut().insert(
            header::RETRY_AFTER,
            header::HeaderValue::from(whole_seconds(wait)),
        );
        return Ok(page);
    }
    // Everything that could still fail is settled before the sign-in is written, so a refused
    // request never leaves a live sign-in row behind.
    let location = header::HeaderValue::from_str(next.as_str())
        .unwrap_or_else(|_| header::HeaderValue::from_static("/"));
    let pool = state.pool.clone();
    let (name, secret) = (form.name.clone(), form.secret.clone());
    let agent = user_agent(&req);
    let from = address.to_string();
    let signed_in = blocking(move || {
        let mut conn = pool.get()?;
        let Some(verified) = credentials::verify_sign_in(&mut conn, &name, &secret)? else {
            return Ok(None);
        };
        let id = web_session::new_secret();
        let now = crate::db::now();
        crate::db::web_sessions::insert(
            &mut conn,
            &NewSignIn {
                id_hash: &web_session::hash_id(&id),
                user_id: verified.user.id,
                token_id: verified.token,
                link_id: None,
                csrf_token: &web_session::new_secret(),
                now,
                expires_at: crate::auth::sign_in_expiry::expires_at(now),
            },
        )?;
        crate::db::sign_ins::describe(&mut conn, &web_session::hash_id(&id), &agent, now)?;
        crate::db::sign_ins::note_address(&mut conn, &web_session::hash_id(&id), &from)?;
        Ok(Some(id))
    })
    .await?;
    let Some(id) = signed_in else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "That user name and token or password do not match.",
        );
    };
    Ok(HttpResponse::SeeOther()
        .cookie(sign_in_cookie(id, &req, &state))
        .insert_header((header::LOCATION, location))
        .finish())
}

/// The cookie of a new browser sign-in (the form's or a one-time link's).
pub(super) fn sign_in_cookie(id: String, req: &HttpRequest, state: &AppState) -> Cookie<'static> {
    Cookie::build(web_session::COOKIE_NAME, id)
        .path("/")
        .http_only(true)
        // Over HTTPS (`serve --tls-*`, or a proxy that says so) the cookie never goes out in
        // clear text.
        .secure(is_https(req, state))
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(web_session::COOKIE_DAYS))
        .finish()
}

/// Whether the browser reached us over HTTPS: our own TLS, or a trusted proxy's word.
fn is_https(req: &HttpRequest, state: &AppState) -> bool {
    req.app_config().secure() || (state.behind_proxy && req.connection_info().scheme() == "https")
}

pub async fn sign_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    _identity: Identity,
) -> Result<HttpResponse, AppError> {
    if let Some(cookie) = req.cookie(web_session::COOKIE_NAME) {
        let id_hash = web_session::hash_id(cookie.value());
        state.sign_ins.remove(&id_hash);
        state.sign_in_uses.forget(&id_hash);
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
    // htmx follows HX-Redirect; a plain form (no JavaScript) needs a real redirect.
    let mut response = if crate::web::render::is_htmx(&req) {
        let mut response = HttpResponse::Ok();
        response.insert_header(("HX-Redirect", "/login"));
        response
    } else {
        let mut response = HttpResponse::SeeOther();
        response.insert_header((actix_web::http::header::LOCATION, "/login"));
        response
    };
    Ok(response.cookie(removal).finish())
}
