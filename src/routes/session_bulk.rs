//! `POST /sessions/bulk`: archive, flag, delete or restore the selected sessions, then send the
//! list again as the page showed it, with a toast saying what happened.

use actix_web::{HttpRequest, HttpResponse, web};

use super::sessions::{filter_of_current_page, list_fragment};
use super::shared::form_ids::Fields;
use super::shared::reach;
use crate::db::ids::SessionId;
use crate::db::session_moves;
use crate::domain::session_action::SessionAction;
use crate::error::AppError;
use crate::web::htmx::{toast, toast_with_undo};
use crate::web::render::{blocking, html};
use crate::web::{AppState, Identity};

pub async fn bulk(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let fields = Fields::parse(&body)?;
    let action = SessionAction::parse(fields.one("action").unwrap_or_default())
        .map_err(AppError::BadInput)?;
    identity.require(action.needs())?;
    let ids: Vec<SessionId> = fields.ids("ids")?.into_iter().map(SessionId).collect();
    if ids.is_empty() {
        return Err(AppError::BadInput(
            "select at least one session first".into(),
        ));
    }
    let pool = state.pool.clone();
    let (undo_ids, skipped) = blocking(move || {
        let mut conn = pool.get()?;
        // The message counts the sessions that changed; Undo takes back those alone.
        let moved = session_moves::act(&mut conn, ids, action)?;
        Ok((moved.changed, moved.skipped))
    })
    .await?;
    let list = list_fragment(&state, &identity, filter_of_current_page(&req)).await?;
    let mut response = html(&list)?;
    let message = action.done_message(undo_ids.len()) + &reach::skipped_note(skipped);
    if undo_ids.is_empty() {
        toast(&mut response, &message);
    } else {
        let mut undo = vec![("action", action.undo().as_str().to_owned())];
        undo.extend(undo_ids.iter().map(|id| ("ids", id.to_string())));
        toast_with_undo(
            &mut response,
            &message,
            "/sessions/bulk",
            "#session-list",
            &undo,
        );
    }
    Ok(response)
}
