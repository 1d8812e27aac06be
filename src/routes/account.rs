//! `/account`: a person's own page, whatever their role. Where they are signed in (and
//! "Sign out" for each other device), "Sign in another device" (a one-time link and its QR
//! code, like the one an admin makes) and their password. Every action is a plain form with
//! the CSRF token in a field, answered with a redirect to the page (POST-redirect-GET), which
//! says once what was done or why it was refused: a reload shows the page, never a 404 or the
//! form posted again.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::admin_users::LinkForm;
use crate::auth::accounts::{self, PasswordChange};
use crate::auth::{sign_in_link, web_session};
use crate::clock::page_text;
use crate::db::{sign_in_links, sign_ins, users};
use crate::error::AppError;
use crate::views::admin::{DeviceView, Flash, OpenLinkView, device};
use crate::views::sign_in_link::LinkView;
use crate::web::admin_notes::Note;
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

fn own_sign_in(req: &HttpRequest) -> Option<String> {
    req.cookie(web_session::COOKIE_NAME)
        .map(|cookie| web_session::hash_id(cookie.value()))
}

/// Whose note it is: the sign-in that acted. Kept in the admin page's store under a key of
/// this page's own, so what someone did here is said here and not on `/admin`.
fn note_key(req: &HttpRequest, identity: &Identity) -> String {
    match own_sign_in(req) {
        Some(sign_in) => format!("account {sign_in}"),
        None => format!("account of user {}", identity.user_id),
    }
}

/// Answers a form of the page: keeps what happened for the page and sends the browser there
/// (303), htmx or not (htmx follows it and shows the page it leads to).
fn redirect_with(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    note: Note,
) -> HttpResponse {
    state.admin_notes.keep(note_key(req, identity), note);
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/account"))
        .finish()
}

fn said(message: &str) -> Note {
    Note::Done(Flash {
        message: message.to_owned(),
        token: None,
        link: None,
    })
}

/// What a form's work came to: done, or refused with a reason the page shows; other failures
/// (the database, the disk) stay errors.
fn outcome(result: Result<Note, AppError>) -> Result<Note, AppError> {
    match result {
        Err(AppError::BadInput(why) | AppError::NotFound(why)) => Ok(Note::Refused(why)),
        other => other,
    }
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let (message, error, link) = match state.admin_notes.take(&note_key(&req, &identity)) {
        Some(Note::Done(flash)) => (Some(flash.message), None, flash.link),
        Some(Note::Refused(why)) => (None, Some(why), None),
        None => (None, None, None),
    };
    let pool = state.pool.clone();
    let me = identity.user_id;
    let current = own_sign_in(&req);
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
    html(&AccountPage {
        layout: Layout::new(&identity, &state, "account", "Your account"),
        view: AccountView {
            name: identity.name.clone(),
            role: identity.role.to_string(),
            has_password,
            min_password: crate::auth::password::MIN_CHARS,
            devices,
            links,
            message,
            error,
            link,
        },
    })
}

/// "Sign in another device": a one-time link for oneself, shown once on the page the form
/// leads to (kept on the server, never put in an address).
pub async fn make_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let me = identity.user_id;
    let link = blocking(move || sign_in_link::create(&mut *pool.get()?, me)).await?;
    let base = proxy::base_url(&req, state.behind_proxy);
    let note = Note::Done(Flash {
        message: "Scan the code with the other device, or open the link there:".to_owned(),
        token: None,
        link: Some(LinkView::new(&link, &base)?),
    });
    Ok(redirect_with(&req, &state, &identity, note))
}

pub async fn revoke_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    form: web::Form<LinkForm>,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let (me, link) = (identity.user_id, form.link);
    let note = outcome(
        blocking(move || {
            sign_in_link::revoke(&mut *pool.get()?, link, Some(me))?;
            Ok(said("Sign-in link revoked: opening it now says so."))
        })
        .await,
    )?;
    Ok(redirect_with(&req, &state, &identity, note))
}

#[derive(Deserialize)]
pub struct DeviceForm {
    device: String,
}

/// Signs one of one's own other devices out (a lost phone); this browser signs out with
/// "Sign out" in the header.
pub async fn sign_out_device(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    form: web::Form<DeviceForm>,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let me = identity.user_id;
    let device = form.into_inner().device;
    let current = own_sign_in(&req);
    let note = outcome(
        blocking(move || {
            let mut conn = pool.get()?;
            let now = crate::db::now();
            let live = sign_ins::live(&mut conn, Some(me), now)?;
            let Some(found) = live.iter().find(|d| d.device_id() == device) else {
                return Err(AppError::NotFound(format!(
                    "Not signed out: none of your sign-ins is `{device}` (it may have ended \
                     already)."
                )));
            };
            if current.as_deref() == Some(found.id_hash.as_str()) {
                return Err(AppError::BadInput(
                    "Not signed out: that is this browser. Use Sign out at the top of the page."
                        .to_owned(),
                ));
            }
            sign_ins::end(&mut conn, &device, now)?;
            Ok(said("That browser is signed out."))
        })
        .await,
    )?;
    // The ended sign-in must not be remembered as live.
    state.sign_ins.clear();
    Ok(redirect_with(&req, &state, &identity, note))
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
    let note = outcome(
        blocking(move || {
            let change = PasswordChange {
                current: Some(&form.current),
                new: &form.new,
                again: Some(&form.again),
            };
            accounts::set_password(&mut *pool.get()?, me, &change, keep.as_deref())?;
            Ok(said(
                "Password saved. Sign-ins made with the old one on other devices ended.",
            ))
        })
        .await,
    )?;
    // Other password sign-ins ended: the server must not remember them as live.
    state.sign_ins.clear();
    Ok(redirect_with(&req, &state, &identity, note))
}
