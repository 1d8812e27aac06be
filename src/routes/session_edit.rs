//! In-place edits on a session's page: display name, notes, flags. Each answers with the
//! session's head, which htmx swaps back in.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::shared::reach;
use crate::db::ids::SessionId;
use crate::db::{session_detail, session_edits};
use crate::domain::role::Role;
use crate::domain::session_edit::{self, SessionFlag};
use crate::domain::trash_rule::Access;
use crate::error::AppError;
use crate::views::session::SessionHead;
use crate::web::render::{blocking, html};
use crate::web::{AppState, Identity};

#[derive(Template)]
#[template(path = "partials/session_head.html")]
struct HeadPart {
    head: SessionHead,
}

#[derive(Deserialize)]
pub struct NameForm {
    display_name: String,
}

#[derive(Deserialize)]
pub struct NotesForm {
    notes: String,
}

#[derive(Deserialize)]
pub struct FlagForm {
    flag: String,
    value: String,
}

enum Edit {
    Name(Option<String>),
    Notes(Option<String>),
    Flag(SessionFlag, bool),
}

/// Callers have checked the role.
async fn save(
    state: web::Data<AppState>,
    identity: &Identity,
    id: i32,
    edit: Edit,
) -> Result<HttpResponse, AppError> {
    let id = SessionId(id);
    let role = identity.role;
    let pool = state.pool.clone();
    let session = blocking(move || {
        let mut conn = pool.get()?;
        reach::session(&mut conn, id, role, Access::Change)?;
        let found = match &edit {
            Edit::Name(name) => session_edits::set_display_name(&mut conn, id, name.as_deref())?,
            Edit::Notes(notes) => session_edits::set_notes(&mut conn, id, notes.as_deref())?,
            Edit::Flag(flag, on) => session_edits::set_flag(&mut conn, id, *flag, *on)?,
        };
        if !found {
            return Err(AppError::NotFound(format!("session {id}")));
        }
        session_detail::find(&mut conn, id)?.ok_or(AppError::NotFound(format!("session {id}")))
    })
    .await?;
    html(&HeadPart {
        head: SessionHead::new(&session, true),
    })
}

pub async fn name(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    form: web::Form<NameForm>,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Reviewer)?;
    let name = session_edit::display_name(&form.display_name).map_err(AppError::BadInput)?;
    save(state, &identity, path.into_inner(), Edit::Name(name)).await
}

pub async fn notes(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    form: web::Form<NotesForm>,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Reviewer)?;
    let notes = session_edit::notes(&form.notes).map_err(AppError::BadInput)?;
    save(state, &identity, path.into_inner(), Edit::Notes(notes)).await
}

pub async fn flags(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    form: web::Form<FlagForm>,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Reviewer)?;
    let flag = SessionFlag::parse(&form.flag).map_err(AppError::BadInput)?;
    let on = session_edit::flag_value(&form.value).map_err(AppError::BadInput)?;
    save(state, &identity, path.into_inner(), Edit::Flag(flag, on)).await
}
