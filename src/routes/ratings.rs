//! `POST /images/{id}/rating`: one rating action by the signed-in reviewer. Answers with the
//! rating panel and an `HX-Trigger: rated` event that the gallery listens to.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::ids::ImageId;
use crate::db::judgements::{self, Mode};
use crate::domain::rating::{Quality, Status};
use crate::domain::rating_form::RatingForm;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::views::rating_panel::{RatingPanel, RatingPanelFragment};
use crate::web::render::blocking;
use crate::web::{AppState, Identity};

pub async fn rate(
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<i32>,
    form: web::Form<RatingForm>,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Reviewer)?;
    let id = ImageId(id.into_inner());
    let action = form.parse()?;
    let pool = state.pool.clone();
    let caller = identity.caller();
    let (panel, after) = blocking(move || {
        let conn = &mut *pool.get()?;
        let changes = judgements::rate(conn, caller, &[id], &action, Mode::Toggle)?;
        let (before, after) = changes
            .into_iter()
            .next()
            .map(|(_, before, after)| (before, after))
            .unwrap_or_default();
        let undo = (before != after).then_some(&before);
        Ok((RatingPanel::load(conn, id, caller, true, undo)?, after))
    })
    .await?;
    let trigger = serde_json::json!({
        "rated": {
            "id": id.0,
            "quality": after.quality.map_or("", Quality::as_str),
            "liked": after.liked,
            "status": after.status.map_or("", Status::as_str),
        }
    });
    let body = RatingPanelFragment { panel }
        .render()
        .map_err(|e| AppError::Task(format!("template: {e}")))?;
    let mut response = HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body);
    crate::web::htmx::trigger(&mut response, &trigger);
    Ok(response)
}
