//! Queries on `judgements`: one row per user and image. Triggers keep the per-image, per-session
//! and per-user counters in step (migration `create_review_counters`).

use std::collections::HashMap;

use diesel::prelude::*;

use super::caller::Caller;
use super::ids::{ImageId, UserId};
use super::models::{FailureCategory, Judgement};
use super::row_limit::RowLimit;
use super::schema::failure_categories::dsl as fc;
use super::schema::judgements::dsl as j;
use super::schema::users::dsl as u;
use super::trash_state;
use crate::domain::rating::{Conflict, RatingAction, Verdict};
use crate::domain::trash_rule::Place;
use crate::error::AppError;

pub fn mine(conn: &mut SqliteConnection, image: ImageId, user: UserId) -> QueryResult<Verdict> {
    Ok(j::judgements
        .filter(j::image_id.eq(image))
        .filter(j::user_id.eq(user))
        .select(Judgement::as_select())
        .first_row(conn)
        .optional()?
        .map(|row| row.verdict())
        .unwrap_or_default())
}

/// My verdicts on a page of images.
pub fn mine_for(
    conn: &mut SqliteConnection,
    images: &[ImageId],
    user: UserId,
) -> QueryResult<HashMap<ImageId, Verdict>> {
    Ok(j::judgements
        .filter(j::user_id.eq(user))
        .filter(j::image_id.eq_any(images))
        .select(Judgement::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| (row.image_id, row.verdict()))
        .collect())
}

/// How an action meets a rating already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode<'a> {
    /// A button on one image: pressing thumbs up again takes it back (`Verdict::apply`).
    Toggle,
    /// Bulk actions and the API: "thumbs up on these" never takes back what some already had
    /// (`Verdict::set`), so sending the same request twice changes nothing.
    Set,
    /// A review decision that says which verdict it was made against (what the device showed
    /// when the person decided): set as `Set` does, but only while the rating stored is still
    /// that one, or already the one wanted (a retry of a request that did arrive). Otherwise
    /// nothing is written and the answer is `AppError::Conflict`: a decision queued on an
    /// offline phone must not overwrite a newer one made meanwhile on another device.
    Against(&'a Verdict),
}

/// One image's verdict before and after a rating.
pub type Change = (ImageId, Verdict, Verdict);

/// The one way a rating is written, whoever asks (image page, gallery bulk, review, API):
/// checks the caller's role and the failure category against the database's, then applies `action` for `user` to
/// every live image in one transaction (what is in the trash takes no rating). Returns each
/// image's verdict before and after, so a page can offer undo. With `Mode::Against`, the
/// verdict stored is compared inside that same transaction, so no other write can come
/// between the comparison and the write.
pub fn rate(
    conn: &mut SqliteConnection,
    caller: Caller,
    images: &[ImageId],
    action: &RatingAction,
    mode: Mode<'_>,
) -> Result<Vec<Change>, AppError> {
    if !caller.role.can_review() {
        return Err(AppError::Forbidden(format!(
            "rating needs the reviewer role; you are a {}. Ask an admin.",
            caller.role
        )));
    }
    let user = caller.user;
    check_category(conn, action)?;
    let now = crate::db::now();
    // One image (a button, a key, a swipe) is the write people make many of at once: it may
    // share its commit with the ratings queued behind it. A list writes alone.
    let write = |conn: &mut SqliteConnection| {
        // The trash rule, inside the write's transaction: an image in the trash (or none at
        // all) takes no rating. Asked for alone it is "not found"; a list leaves it out.
        let images = match images {
            [one] => match trash_state::image_place(conn, *one)? {
                Some(Place::Live) => vec![*one],
                _ => return Err(AppError::NotFound(format!("there is no image {one}"))),
            },
            _ => trash_state::live_images(conn, images.to_vec())?.0,
        };
        let mut changes = Vec::with_capacity(images.len());
        // Bounded chunks: SQLite limits the number of bound parameters.
        for chunk in images.chunks(10_000) {
            // One image (a button or a key) reads with a statement diesel keeps prepared; a
            // list (`IN (...)`) is prepared again every time.
            let mut before = match chunk {
                [one] => HashMap::from([(*one, mine(conn, *one, user)?)]),
                _ => mine_for(conn, chunk, user)?,
            };
            for &image in chunk {
                let old = before.remove(&image).unwrap_or_default();
                let new = match mode {
                    Mode::Toggle => old.apply(action),
                    Mode::Set => old.set(action),
                    Mode::Against(was) => {
                        let wanted = was.set(action);
                        if old != *was && old != wanted {
                            return Err(AppError::Conflict(Box::new(Conflict {
                                stored: old,
                                wanted,
                            })));
                        }
                        wanted
                    }
                };
                if new != old {
                    super::judgement_write::store(conn, image, user, &new, now)?;
                }
                changes.push((image, old, new));
            }
        }
        Ok::<_, AppError>(changes)
    };
    match images {
        [_] => super::write_group::run(conn, write),
        _ => crate::db::write_transaction(conn, write),
    }
}

/// The category an action would store must be one of the database's (they are rows, so a
/// new one needs no code).
fn check_category(conn: &mut SqliteConnection, action: &RatingAction) -> Result<(), AppError> {
    let category = match action {
        RatingAction::Ko { category, .. } => category.as_str(),
        RatingAction::Restore(verdict) => match &verdict.failure_category {
            Some(category) => category.as_str(),
            None => return Ok(()),
        },
        _ => return Ok(()),
    };
    let known = failure_categories(conn)?;
    if known.iter().any(|c| c.name == category) {
        return Ok(());
    }
    let valid: Vec<String> = known.into_iter().map(|c| c.name).collect();
    Err(AppError::Unknown {
        field: "category",
        message: format!(
            "unknown failure category `{category}`: use one of {}",
            valid.join(", ")
        ),
        valid,
    })
}

/// The verdicts on an image that a caller may see.
pub struct Seen {
    /// By user name, newest first.
    pub rows: Vec<(String, Judgement)>,
    /// Blind mode left the others' out.
    pub others_hidden: bool,
}

/// Every rater's verdict on an image that `caller` may see: their own, and the others' unless
/// blind mode hides them (`db::blind_review`).
pub fn all_for_image(
    conn: &mut SqliteConnection,
    caller: Caller,
    image: ImageId,
) -> QueryResult<Seen> {
    let others_hidden = !super::blind_review::revealed(conn, caller, &[image])?.shows(image);
    let mut query = j::judgements
        .inner_join(u::users)
        .filter(j::image_id.eq(image))
        .into_boxed();
    if others_hidden {
        query = query.filter(j::user_id.eq(caller.user));
    }
    let rows = query
        .order(j::updated_at.desc())
        .select((u::name, Judgement::as_select()))
        .load(conn)?;
    Ok(Seen {
        rows,
        others_hidden,
    })
}

/// What a rating panel shows: the verdicts `caller` may see on `image` and the failure
/// categories, read in one transaction. One snapshot instead of four: each statement on its own
/// is a read transaction, and after any write every one of them starts by dropping the
/// connection's cached pages.
pub fn panel(
    conn: &mut SqliteConnection,
    caller: Caller,
    image: ImageId,
) -> QueryResult<(Seen, Vec<FailureCategory>)> {
    conn.transaction(|conn| {
        Ok((
            all_for_image(conn, caller, image)?,
            failure_categories(conn)?,
        ))
    })
}

pub fn failure_categories(conn: &mut SqliteConnection) -> QueryResult<Vec<FailureCategory>> {
    fc::failure_categories
        .order(fc::position)
        .select(FailureCategory::as_select())
        .load(conn)
}
