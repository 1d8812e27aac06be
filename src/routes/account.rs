//! `/account`: a person's own page, whatever their role. Where they are signed in, "Sign in
//! another device" (a one-time link and its QR code, like the one an admin makes) and their
//! password. Every action is a plain form with the CSRF token in a field.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::admin_users::LinkForm;
use crate::auth::accounts::{self, PasswordChange};
use crate::auth::{sign_in_link, web_session};
use crate::clock::page_text;
use crate::db::{sign_in_links, sign_ins, users};
use crate::error::AppError;
use crate::views::admin::{DeviceView, OpenLinkView, device};
use crate::views::sign_in_link::LinkView;
use crate::web::render::{blocking, html};
use crate::web::{AppState, Identity, Layout, proxy};

#[derive(Template)]
#[template(path = "pages/account.html")]
struct AccountPage {
    layout: Layout,
    view: AccountView,
}

struct AccountView {
    name: String,
    role: String,
    has_password: bool,
    min_password: usize,
    devices: Vec<DeviceView>,
    links: Vec<OpenLinkView>,
    /// What the last action did, and a new link to show once.
    message: Option<String>,
    error: Option<String>,
    link: Option<LinkView>,
}

/// What an action leaves on the page.
#[derive(Default)]
struct Outcome {
    message: Option<String>,
    error: Option<String>,
    link: Option<LinkView>,
}

fn own_sign_in(req: &HttpRequest) -> Option<String> {
    req.cookie(web_session::COOKIE_NAME)
        .map(|cookie| web_session::hash_id(cookie.value()))
}

async fn page(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    status: StatusCode,
    outcome: Outcome,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let me = identity.user_id;
    let current = own_sign_in(req);
    let (has_password, devices, links) = blocking(move || {
        let mut conn = pool.get()?;
        let now = crate::db::now();
        let has_password = users::find(&mut conn, me)?.is_some_and(|u| u.password_hash.is_some());
        let devices = sign_ins::live(&mut conn, Some(me), now)?
            .iter()
            .map(|d| device(d, current.as_deref()))
            .collect();
        let links = sign_in_links::open(&mut conn, Some(me), now)?
            .into_iter()
            .map(|l| OpenLinkView {
                id: l.id,
                made: page_text(l.created_at, "%H:%M"),
                expires: page_text(l.expires_at, "%H:%M"),
            })
            .collect();
        Ok::<_, AppError>((has_password, devices, links))
    })
    .await?;
    let mut response = html(&AccountPage {
        layout: Layout::new(identity, state, "account", "Your account"),
        view: AccountView {
            name: identity.name.clone(),
            role: identity.role.to_string(),
            has_password,
            min_password: crate::auth::password::MIN_CHARS,
            devices,
            links,
            message: outcome.message,
            error: outcome.error,
            link: outcome.link,
        },
    })?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    page(&req, &state, &identity, StatusCode::OK, Outcome::default()).await
}

/// "Sign in another device": a one-time link for oneself.
pub async fn make_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let me = identity.user_id;
    let link = blocking(move || sign_in_link::create(&mut *pool.get()?, me)).await?;
    let base = proxy::base_url(&req, state.behind_proxy);
    let outcome = Outcome {
        message: Some("Scan the code with the other device, or open the link there:".to_owned()),
        link: Some(LinkView::new(&link, &base)?),
        ..Outcome::default()
    };
    page(&req, &state, &identity, StatusCode::OK, outcome).await
}

pub async fn revoke_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    form: web::Form<LinkForm>,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let (me, link) = (identity.user_id, form.link);
    blocking(move || sign_in_link::revoke(&mut *pool.get()?, link, Some(me))).await?;
    let outcome = Outcome {
        message: Some("Sign-in link revoked: opening it now says so.".to_owned()),
        ..Outcome::default()
    };
    page(&req, &state, &identity, StatusCode::OK, outcome).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    new: String,
    again: String,
}

pub async fn set_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let pool = state.pool.clone();
    let me = identity.user_id;
    let keep = own_sign_in(&req);
    let done = blocking(move || {
        let change = PasswordChange {
            current: Some(&form.current),
            new: &form.new,
            again: Some(&form.again),
        };
        accounts::set_password(&mut *pool.get()?, me, &change, keep.as_deref())
    })
    .await;
    // Other password sign-ins ended: the server must not remember them as live.
    state.sign_ins.clear();
    let (status, outcome) = match done {
        Ok(_) => (
            StatusCode::OK,
            Outcome {
                message: Some(
                    "Password saved. Sign-ins made with the old one on other devices ended."
                        .to_owned(),
                ),
                ..Outcome::default()
            },
        ),
        // htmx swaps in no error answer: it gets the page with the message as a success.
        Err(AppError::BadInput(why)) => (
            if crate::web::render::is_htmx(&req) {
                StatusCode::OK
            } else {
                StatusCode::BAD_REQUEST
            },
            Outcome {
                error: Some(why),
                ..Outcome::default()
            },
        ),
        Err(other) => return Err(other),
    };
    page(&req, &state, &identity, status, outcome).await
}
