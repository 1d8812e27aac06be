//! `POST /sessions/bulk`: archive, flag, delete or restore the selected sessions, then send the
//! list again as the page showed it, with a toast saying what happened.

use actix_web::{HttpRequest, HttpResponse, web};

use super::form_ids::Fields;
use super::reach;
use super::sessions::{filter_of_current_page, list_fragment};
use crate::db::ids::SessionId;
use crate::db::{trash, trash_state};
use crate::domain::session_action::SessionAction;
use crate::error::AppError;
use crate::web::render::{blocking, html};
use crate::web::{AppState, Identity};

pub fn toast(response: &mut HttpResponse, message: &str) {
    let trigger = serde_json::json!({ "toast": message }).to_string();
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&trigger) {
        response.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("hx-trigger"),
            value,
        );
    }
}

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
    let (changed, skipped) = blocking(move || {
        let conn = &mut *pool.get()?;
        // Only a restore reaches into the trash; everything else leaves its sessions alone.
        let (ids, skipped) = if action == SessionAction::Restore {
            (ids, 0)
        } else {
            trash_state::live_sessions(conn, ids)?
        };
        Ok((trash::apply(conn, &ids, action)?, skipped))
    })
    .await?;
    let list = list_fragment(&state, &identity, filter_of_current_page(&req)).await?;
    let mut response = html(&list)?;
    toast(
        &mut response,
        &(action.done_message(changed) + &reach::skipped_note(skipped)),
    );
    Ok(response)
}
