//! `POST /review/images/{id}?<queue>`: one decision of the review screen, sent as the whole
//! verdict (`action=restore`), so a retry of a request that did arrive changes nothing. The
//! script asks for JSON (my verdict, and the others' once blind mode lets them show); a plain
//! form gets a 303 to the next image of the queue, with an Undo for what it just did.
//!
//! The script also sends the verdict the decision was made against (`was_*`): a decision
//! queued on an offline phone must not overwrite one made meanwhile on another device. Such a
//! stale decision is not applied; the answer is a 409 with both verdicts and the image, so
//! the screen can show it again and let the person choose. The image need not be in the
//! queue: the answer is a rating's, with nothing the image page would not show.
//!
//! Going through near-duplicate groups (`group=near` in the queue), a decision and its undo
//! apply to the image's whole group (`db::group_rating`).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::SqliteConnection;
use serde::{Deserialize, Serialize};

use crate::db::caller::Caller;
use crate::db::ids::ImageId;
use crate::db::{gallery, group_rating, judgements, review_items};
use crate::domain::rating::{Conflict, RatingAction, Verdict};
use crate::domain::rating_form::RatingForm;
use crate::domain::review_query::ReviewQuery;
use crate::domain::role::Role;
use crate::domain::verdict_against::VerdictAgainst;
use crate::error::AppError;
use crate::views::review_item::{RaterJson, ReviewItem};
use crate::views::verdict::VerdictView;
use crate::web::render::blocking;
use crate::web::{AppState, Identity};

/// The rating form, and `undo=1` when it puts back what was there (then the image is shown
/// again rather than the next one).
#[derive(Debug, Default, Deserialize)]
pub struct ReviewForm {
    /// The same form as every rating's.
    #[serde(flatten)]
    rating: RatingForm,
    undo: Option<String>,
    /// The verdict it was made against: the script sends it, a plain form does not.
    #[serde(flatten)]
    against: VerdictAgainst,
}

#[derive(Serialize)]
struct Rated {
    id: i32,
    before: VerdictView,
    mine: VerdictView,
    others: Option<Vec<RaterJson>>,
}

/// The 409 of a decision made against a verdict that has changed since.
#[derive(Serialize)]
struct Conflicted {
    error: String,
    status: u16,
    id: i32,
    /// My verdict as it is stored now, which stays until I choose.
    stored: VerdictView,
    /// The verdict the decision would have set.
    wanted: VerdictView,
    /// The image as the queue hands it out, to show it again (it may have left the queue).
    item: Option<ReviewItem>,
}

impl Conflicted {
    fn new(id: ImageId, conflict: Box<Conflict>, item: Option<ReviewItem>) -> Conflicted {
        let (stored, wanted) = (
            VerdictView::from(&conflict.stored),
            VerdictView::from(&conflict.wanted),
        );
        Conflicted {
            error: AppError::Conflict(conflict).to_string(),
            status: 409,
            id: id.0,
            stored,
            wanted,
            item,
        }
    }
}

/// What a decision came to.
enum Outcome {
    Rated {
        before: Verdict,
        after: Verdict,
        others: Option<Vec<RaterJson>>,
    },
    Conflict(Box<Conflicted>),
}

/// Rates one image for `me`: the image must exist and a category must be one of the
/// database's. Returns my verdict before and after.
///
pub fn rate_one(
    conn: &mut SqliteConnection,
    id: ImageId,
    caller: Caller,
    action: &RatingAction,
) -> Result<(Verdict, Verdict), AppError> {
    // A toggle, as a button press is.
    rate_in(conn, id, caller, action, judgements::Mode::Toggle)
}

fn rate_in(
    conn: &mut SqliteConnection,
    id: ImageId,
    caller: Caller,
    action: &RatingAction,
    mode: judgements::Mode<'_>,
) -> Result<(Verdict, Verdict), AppError> {
    // The one rating function checks the category, the trash rule and the verdict the
    // decision was made against, in its transaction.
    let changes = judgements::rate(conn, caller, &[id], action, mode)?;
    Ok(changes
        .into_iter()
        .next()
        .map(|(_, before, after)| (before, after))
        .unwrap_or_default())
}

/// The image as the review screen shows it, blind mode applied (my verdict read after the
/// rating, so the others show once I have given mine).
fn review_item(
    conn: &mut SqliteConnection,
    id: ImageId,
    caller: Caller,
    blind: bool,
) -> Result<Option<ReviewItem>, AppError> {
    let Some(item) = gallery::one(conn, caller, id)? else {
        return Ok(None);
    };
    let mut facts = review_items::facts(conn, std::slice::from_ref(&item), caller)?;
    let facts = facts.remove(&id).unwrap_or_default();
    Ok(Some(ReviewItem::new(&item, facts, blind)))
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
    let against = form.against.parse().map_err(AppError::BadInput)?;
    let action = form.rating.parse()?;
    let pool = state.pool.clone();
    let caller = identity.caller();
    let blind = query.blind;
    let grouped = query.filter.group_near;
    let json = wants_json(&req);
    let outcome = blocking(move || {
        let conn = &mut *pool.get()?;
        let mode = match &against {
            Some(was) => judgements::Mode::Against(was),
            None => judgements::Mode::Toggle,
        };
        let rated = match grouped {
            // Going through groups: the decision (or its undo) is the whole group's.
            true => group_rating::rate_group(conn, caller, id, &action, mode)
                .map(|((_, before, after), _)| (before, after)),
            false => rate_in(conn, id, caller, &action, mode),
        };
        let (before, after) = match rated {
            Ok(change) => change,
            Err(AppError::Conflict(conflict)) if json => {
                let item = review_item(conn, id, caller, blind)?;
                return Ok(Outcome::Conflict(Box::new(Conflicted::new(
                    id, conflict, item,
                ))));
            }
            Err(other) => return Err(other),
        };
        let others = match json {
            true => review_item(conn, id, caller, blind)?.and_then(|item| item.others),
            false => None,
        };
        Ok(Outcome::Rated {
            before,
            after,
            others,
        })
    })
    .await?;
    let (before, after) = match outcome {
        Outcome::Conflict(conflicted) => {
            return Ok(HttpResponse::Conflict()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(conflicted));
        }
        Outcome::Rated {
            before,
            after,
            others,
        } if json => {
            return Ok(HttpResponse::Ok()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(Rated {
                    id: id.0,
                    before: VerdictView::from(&before),
                    mine: VerdictView::from(&after),
                    others,
                }));
        }
        Outcome::Rated { before, after, .. } => (before, after),
    };
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
