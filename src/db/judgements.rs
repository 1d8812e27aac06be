//! Queries on `judgements`: one row per user and image. Triggers keep the per-image, per-session
//! and per-user counters in step (migration `create_review_counters`).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ids::{ImageId, UserId};
use super::models::{FailureCategory, Judgement, JudgementWrite};
use super::schema::failure_categories::dsl as fc;
use super::schema::judgements::dsl as j;
use super::schema::users::dsl as u;
use crate::domain::rating::{RatingAction, Verdict};

pub fn mine(conn: &mut SqliteConnection, image: ImageId, user: UserId) -> QueryResult<Verdict> {
    Ok(j::judgements
        .filter(j::image_id.eq(image))
        .filter(j::user_id.eq(user))
        .select(Judgement::as_select())
        .first(conn)
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

/// Stores a user's verdict on an image: an UPDATE, then an INSERT if there was no row. An
/// upsert cost twice as much: SQLite compiled both its INSERT and UPDATE triggers each time.
pub fn write(
    conn: &mut SqliteConnection,
    image: ImageId,
    user: UserId,
    verdict: &Verdict,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let row = JudgementWrite::from_verdict(verdict, now);
    let updated = diesel::update(
        j::judgements
            .filter(j::image_id.eq(image))
            .filter(j::user_id.eq(user)),
    )
    .set(&row)
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(j::judgements)
            .values((
                j::image_id.eq(image),
                j::user_id.eq(user),
                j::created_at.eq(now),
                &row,
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Applies one action for one user to images, in one transaction; returns each image's verdict
/// before and after, so the page can offer undo.
pub fn apply(
    conn: &mut SqliteConnection,
    images: &[ImageId],
    user: UserId,
    action: &RatingAction,
    now: NaiveDateTime,
) -> QueryResult<Vec<(ImageId, Verdict, Verdict)>> {
    crate::db::write_transaction(conn, |conn| {
        // One image (a button or a key) reads with a statement diesel keeps prepared; a list
        // (`IN (...)`) is prepared again every time.
        let mut before = match images {
            [one] => HashMap::from([(*one, mine(conn, *one, user)?)]),
            _ => mine_for(conn, images, user)?,
        };
        let mut changes = Vec::with_capacity(images.len());
        for &image in images {
            let old = before.remove(&image).unwrap_or_default();
            let new = old.apply(action);
            if new != old {
                write(conn, image, user, &new, now)?;
            }
            changes.push((image, old, new));
        }
        Ok(changes)
    })
}

/// Every rater's verdict on an image, by user name, newest first.
pub fn all_for_image(
    conn: &mut SqliteConnection,
    image: ImageId,
) -> QueryResult<Vec<(String, Judgement)>> {
    j::judgements
        .inner_join(u::users)
        .filter(j::image_id.eq(image))
        .order(j::updated_at.desc())
        .select((u::name, Judgement::as_select()))
        .load(conn)
}

pub fn failure_categories(conn: &mut SqliteConnection) -> QueryResult<Vec<FailureCategory>> {
    fc::failure_categories
        .order(fc::position)
        .select(FailureCategory::as_select())
        .load(conn)
}
