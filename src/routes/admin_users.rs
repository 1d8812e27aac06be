//! The admin page's user actions: add a user, change a role, disable or enable, create and
//! revoke tokens and sign-in links, sign a device out. The rules live in `auth::accounts`, shared with
//! `sdreview user` and `sdreview token`.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::admin::{outcome, own_sign_in, page_with, redirect_with};
use crate::auth::{accounts, sign_in_link};
use crate::db::ids::UserId;
use crate::db::{sign_ins, users};
use crate::domain::role::Role;
use crate::domain::user_name::UserName;
use crate::error::AppError;
use crate::views::admin::Flash;
use crate::views::sign_in_link::LinkView;
use crate::web::admin_notes::Note;
use crate::web::render::blocking;
use crate::web::{AppState, Identity, proxy};

#[derive(Deserialize)]
pub struct NewUserForm {
    name: String,
    role: String,
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

#[derive(Deserialize)]
pub struct AccessForm {
    action: String,
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    label: String,
}

#[derive(Deserialize)]
pub struct RevokeForm {
    token: String,
    /// "I understand this signs me out", asked when it would.
    #[serde(default)]
    confirm: Option<String>,
}

#[derive(Deserialize)]
pub struct DeviceForm {
    device: String,
    #[serde(default)]
    confirm: Option<String>,
}

/// The words of the box to tick before an admin locks themselves out.
const CONFIRM_WORDS: &str = "I understand this signs me out";

fn parse_role(text: &str) -> Result<Role, AppError> {
    text.parse().map_err(AppError::BadInput)
}

/// Runs `work` for an admin, forgets every remembered identity (a role, a disabled user or a
/// revoked token holds at once), and sends them to the page, which says what happened (or
/// why it was refused) and shows what is stored.
async fn act<F>(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    work: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut diesel::SqliteConnection) -> Result<Flash, AppError> + Send + 'static,
{
    identity.require(Role::Admin)?;
    let pool = state.pool.clone();
    let note = outcome(blocking(move || work(&mut *pool.get()?)).await)?;
    state.tokens.clear();
    state.sign_ins.clear();
    Ok(redirect_with(req, state, identity, note))
}

/// The page again with why a form was refused, at the top: 400 for a plain form, 200 for
/// htmx, which swaps in no error answer (the message would never be seen).
async fn refused(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    why: &str,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Admin)?;
    let note = Note::Refused(format!("Not added: {why}."));
    let mut page = page_with(req, state, identity, Some(note)).await?;
    if !crate::web::render::is_htmx(req) {
        *page.status_mut() = actix_web::http::StatusCode::BAD_REQUEST;
    }
    Ok(page)
}

fn said(message: String) -> Flash {
    Flash {
        message,
        token: None,
        link: None,
    }
}

fn user_name(conn: &mut diesel::SqliteConnection, id: UserId) -> Result<String, AppError> {
    Ok(users::find(conn, id)?
        .ok_or_else(|| AppError::NotFound(format!("user {id}")))?
        .name)
}

pub async fn add(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    form: web::Form<NewUserForm>,
) -> Result<HttpResponse, AppError> {
    let role = parse_role(&form.role)?;
    let name = match UserName::parse(&form.name) {
        Ok(name) => name,
        Err(why) => return refused(&req, &state, &identity, &why).await,
    };
    let base = proxy::base_url(&req, state.behind_proxy);
    act(&req, &state, &identity, move |conn| {
        let (user, token) = accounts::add_user(conn, &name, role)?;
        let link = sign_in_link::create(conn, user.id)?;
        Ok(Flash {
            message: format!(
                "Added {role} `{}`. To sign them in on their phone, scan the code with it or \
                 open the link there:",
                user.name
            ),
            token: Some(token.reveal()),
            link: Some(LinkView::new(&link, &base)?),
        })
    })
    .await
}

/// A new one-time sign-in link for a user, shown once with its QR code.
pub async fn make_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let user = UserId(path.into_inner());
    let base = proxy::base_url(&req, state.behind_proxy);
    act(&req, &state, &identity, move |conn| {
        let name = user_name(conn, user)?;
        let link = sign_in_link::create(conn, user)?;
        Ok(Flash {
            message: format!(
                "A sign-in link for `{name}`: scan the code with their phone or open the link \
                 there."
            ),
            token: None,
            link: Some(LinkView::new(&link, &base)?),
        })
    })
    .await
}

/// A Revoke button's form, on the admin page and on a person's own page.
#[derive(Deserialize)]
pub struct LinkForm {
    pub link: i32,
}

pub async fn revoke_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    form: web::Form<LinkForm>,
) -> Result<HttpResponse, AppError> {
    let link = form.link;
    act(&req, &state, &identity, move |conn| {
        sign_in_link::revoke(conn, link, None)?;
        Ok(said(
            "Sign-in link revoked: opening it now says so.".to_owned(),
        ))
    })
    .await
}

pub async fn set_role(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    identity: Identity,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let user = UserId(path.into_inner());
    let role = parse_role(&form.role)?;
    act(&req, &state, &identity, move |conn| {
        let name = user_name(conn, user)?;
        accounts::set_role(conn, user, role)?;
        Ok(said(format!("`{name}` is now {role}.")))
    })
    .await
}

pub async fn access(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    identity: Identity,
    form: web::Form<AccessForm>,
) -> Result<HttpResponse, AppError> {
    let user = UserId(path.into_inner());
    let disable = match form.action.as_str() {
        "disable" => true,
        "enable" => false,
        other => {
            return Err(AppError::BadInput(format!(
                "`{other}` is not an action here: use disable or enable"
            )));
        }
    };
    act(&req, &state, &identity, move |conn| {
        let name = user_name(conn, user)?;
        accounts::set_disabled(conn, user, disable)?;
        Ok(said(match disable {
            true => format!("`{name}` is disabled: signed out everywhere, tokens refused."),
            false => format!("`{name}` can sign in again."),
        }))
    })
    .await
}

pub async fn create_token(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    identity: Identity,
    form: web::Form<TokenForm>,
) -> Result<HttpResponse, AppError> {
    let user = UserId(path.into_inner());
    let label = form.label.clone();
    act(&req, &state, &identity, move |conn| {
        let name = user_name(conn, user)?;
        let token = accounts::create_token(conn, user, &label)?;
        Ok(Flash {
            message: format!("New access token for `{name}`:"),
            token: Some(token.reveal()),
            link: None,
        })
    })
    .await
}

pub async fn revoke_token(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    form: web::Form<RevokeForm>,
) -> Result<HttpResponse, AppError> {
    let token = form.token.clone();
    let confirmed = form.confirm.is_some();
    let (me, sign_in) = (identity.user_id, own_sign_in(&req));
    act(&req, &state, &identity, move |conn| {
        if !confirmed && accounts::revoking_locks_out(conn, &token, me, sign_in.as_deref())? {
            return Err(AppError::BadInput(format!(
                "Not revoked: token `{}` is how you are signed in here, or your last one, so \
                 revoking it signs you out. Tick \"{CONFIRM_WORDS}\" beside it and press Revoke \
                 again if you mean it.",
                token.trim()
            )));
        }
        let (id, ended) = accounts::revoke_token(conn, &token)?;
        Ok(said(format!(
            "Token `{id}` revoked; {ended} browser sign-in(s) made with it ended."
        )))
    })
    .await
}

pub async fn sign_out_device(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    form: web::Form<DeviceForm>,
) -> Result<HttpResponse, AppError> {
    let device = form.device.clone();
    let mine = own_sign_in(&req).is_some_and(|hash| hash.starts_with(device.as_str()));
    if mine && form.confirm.is_none() {
        let why = format!(
            "Not signed out: that is this browser. Tick \"{CONFIRM_WORDS}\" beside it and press \
             Sign out again if you mean it."
        );
        return Ok(redirect_with(&req, &state, &identity, Note::Refused(why)));
    }
    act(&req, &state, &identity, move |conn| {
        match sign_ins::end(conn, &device, crate::db::now())? {
            Some(_) => Ok(said("That browser is signed out.".to_owned())),
            None => Err(AppError::NotFound(format!(
                "no live sign-in `{device}`: it may have ended already"
            ))),
        }
    })
    .await
}
