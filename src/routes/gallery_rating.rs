//! `POST /sessions/{id}/tiles/{image}?<gallery filter>`: a rating from the gallery's keys. One
//! request: it rates and answers with the tile as it now is (its link keeps the filter), and
//! with `X-Undo`, the form that puts the previous verdict back.

use actix_web::{HttpResponse, web};

use super::review_rate::rate_one;
use super::shared::gallery_parts::{TilePart, parse_filter};
use crate::db::gallery;
use crate::db::ids::{ImageId, SessionId};
use crate::domain::rating_form::RatingForm;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::views::gallery as gallery_view;
use crate::views::verdict::VerdictView;
use crate::web::render::{blocking, html};
use crate::web::{AppState, Identity};

/// The rating form that restores `before`, url-encoded, for the Undo key.
fn undo_form(before: &VerdictView) -> String {
    serde_urlencoded::to_string([
        ("action", "restore"),
        ("quality", before.quality),
        ("liked", if before.liked { "1" } else { "" }),
        ("status", before.status),
        ("category", &before.category),
        ("notes", &before.notes),
    ])
    .unwrap_or_default()
}

pub async fn rate(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<(i32, i32)>,
    query: web::Query<Vec<(String, String)>>,
    form: web::Form<RatingForm>,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Reviewer)?;
    let (session, image) = path.into_inner();
    let (session, image) = (SessionId(session), ImageId(image));
    let filter = parse_filter(&query, &identity)?;
    let action = form.parse()?;
    let caller = identity.caller();
    let pool = state.pool.clone();
    let (tile, before) = blocking(move || {
        let conn = &mut *pool.get()?;
        gallery::one(conn, caller, image)?
            .filter(|item| item.session_id == session)
            .ok_or(AppError::NotFound(format!(
                "image {image} in session {session}"
            )))?;
        let (before, _) = rate_one(conn, image, caller, &action)?;
        let item = gallery::one(conn, caller, image)?
            .ok_or(AppError::NotFound(format!("there is no image {image}")))?;
        Ok((
            gallery_view::tile_again(conn, &item, caller, &filter)?,
            before,
        ))
    })
    .await?;
    let mut response = html(&TilePart { tile })?;
    if let Ok(value) = undo_form(&VerdictView::from(&before)).parse() {
        response.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("x-undo"),
            value,
        );
    }
    Ok(response)
}
