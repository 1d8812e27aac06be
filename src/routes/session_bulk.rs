//! `POST /sessions/bulk`: archive, flag, delete or restore the selected sessions, then send the
//! list again as the page showed it, with a toast saying what happened.

use actix_web::{HttpRequest, HttpResponse, web};

use super::sessions::{filter_of_current_page, list_fragment};
use super::shared::form_ids::Fields;
use super::shared::reach;
use crate::db::ids::SessionId;
use crate::db::{session_flags, trash, trash_state};
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
        // Only a restore reaches into the trash; everything else leaves its sessions alone.
        let (ids, skipped) = if action == SessionAction::Restore {
            (ids, 0)
        } else {
            trash_state::live_sessions(&mut conn, ids)?
        };
        // Read which ones change first: the message counts those, Undo takes them back and
        // leaves the others alone.
        let changing = crate::db::write_transaction(&mut conn, |conn| {
            let changing = session_flags::would_change(conn, &ids, action)?;
            trash::apply(conn, &changing, action)?;
            Ok::<_, diesel::result::Error>(changing)
        })?;
        if matches!(action, SessionAction::Delete | SessionAction::Restore) {
            // Again after the commit, so no search caches what was about to change.
            crate::db::search_cache::invalidate();
        }
        Ok((changing, skipped))
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
