//! `POST /review/images/{id}?<queue>`: one decision of the review screen, sent as the whole
//! verdict (`action=restore`), so a retry of a request that did arrive changes nothing. The
//! script asks for JSON (my verdict, and the others' once blind mode lets them show); a plain
//! form gets a 303 to the next image of the queue, with an Undo for what it just did.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::SqliteConnection;
use serde::{Deserialize, Serialize};

use crate::db::ids::{ImageId, UserId};
use crate::db::{gallery, judgements, review_items};
use crate::domain::rating::{RatingAction, Verdict};
use crate::domain::rating_form::RatingForm;
use crate::domain::review_query::ReviewQuery;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::views::review_item::{RaterJson, VerdictJson, others};
use crate::web::render::blocking;
use crate::web::{AppState, Identity};

/// The rating form, and `undo=1` when it puts back what was there (then the image is shown
/// again rather than the next one).
#[derive(Debug, Default, Deserialize)]
pub struct ReviewForm {
    action: String,
    category: Option<String>,
    notes: Option<String>,
    quality: Option<String>,
    liked: Option<String>,
    status: Option<String>,
    undo: Option<String>,
}

#[derive(Serialize)]
struct Rated {
    id: i32,
    before: VerdictJson,
    mine: VerdictJson,
    others: Option<Vec<RaterJson>>,
}

/// Rates one image for `me`: the image must exist and a category must be one of the
/// database's. Returns my verdict before and after.
///
pub fn rate_one(
    conn: &mut SqliteConnection,
    id: ImageId,
    me: UserId,
    action: &RatingAction,
) -> Result<(Verdict, Verdict), AppError> {
    // The one rating function checks the category and the trash rule; a toggle, as a button
    // press is.
    let changes = judgements::rate(conn, me, &[id], action, judgements::Mode::Toggle)?;
    Ok(changes
        .into_iter()
        .next()
        .map(|(_, before, after)| (before, after))
        .unwrap_or_default())
}

fn wants_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

pub async fn rate(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    id: web::Path<i32>,
    form: web::Form<ReviewForm>,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Reviewer)?;
    let id = ImageId(id.into_inner());
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| AppError::BadInput(format!("the address is not understood: {e}")))?;
    let query = ReviewQuery::parse(&pairs).map_err(AppError::BadInput)?;
    let form = form.into_inner();
    let undoing = form.undo.as_deref() == Some("1");
    let action = RatingForm {
        action: form.action,
        category: form.category,
        notes: form.notes,
        quality: form.quality,
        liked: form.liked,
        status: form.status,
    }
    .parse()
    .map_err(AppError::BadInput)?;
    let pool = state.pool.clone();
    let me = identity.user_id;
    let blind = query.blind;
    let json = wants_json(&req);
    let (before, after, seen) = blocking(move || {
        let conn = &mut *pool.get()?;
        let (before, after) = rate_one(conn, id, me, &action)?;
        let mut seen = None;
        if json && let Some(item) = gallery::one(conn, id)? {
            let mut facts = review_items::facts(conn, &[item], me)?;
            seen = facts.remove(&id).and_then(|facts| others(blind, &facts));
        }
        Ok((before, after, seen))
    })
    .await?;
    if json {
        return Ok(HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(Rated {
                id: id.0,
                before: VerdictJson::from(&before),
                mine: VerdictJson::from(&after),
                others: seen,
            }));
    }
    // The heart is a mark on top of a verdict: changing it alone stays on the image, as the
    // script does (`ReviewAction::moves_on`).
    let heart_only = Verdict {
        liked: after.liked,
        ..before.clone()
    } == after;
    let next = if undoing {
        query.at(id)
    } else {
        query.with_undo(id, &before, heart_only && before != after)
    };
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/review?{next}")))
        .finish())
}
