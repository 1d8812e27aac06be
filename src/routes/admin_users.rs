//! The admin page's user actions: add a user, change a role, disable or enable, create and
//! revoke tokens, sign a device out. The rules live in `auth::accounts`, shared with
//! `sdreview user` and `sdreview token`.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::admin::{outcome, own_sign_in, redirect_with};
use crate::auth::accounts;
use crate::db::ids::UserId;
use crate::db::{sign_ins, users};
use crate::domain::role::Role;
use crate::domain::user_name::UserName;
use crate::error::AppError;
use crate::views::admin::Flash;
use crate::web::admin_notes::Note;
use crate::web::render::blocking;
use crate::web::{AppState, Identity};

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

fn said(message: String) -> Flash {
    Flash {
        message,
        token: None,
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
    let name = UserName::parse(&form.name).map_err(AppError::BadInput)?;
    let role = parse_role(&form.role)?;
    act(&req, &state, &identity, move |conn| {
        let (user, token) = accounts::add_user(conn, &name, role)?;
        Ok(Flash {
            message: format!("Added {role} `{}`. Their access token:", user.name),
            token: Some(token.reveal()),
        })
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
