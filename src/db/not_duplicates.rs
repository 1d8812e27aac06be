//! Pairs a person marked "not duplicates" (`not_duplicates`): they stay apart in every list of
//! near-duplicates and every group, whatever the threshold and after every rescan.

use std::collections::HashSet;

use diesel::prelude::*;

use crate::db::caller::Caller;
use crate::db::ids::ImageId;
use crate::db::schema::not_duplicates::dsl as n;
use crate::db::trash_state;
use crate::domain::trash_rule::Place;
use crate::error::AppError;

fn ordered(a: ImageId, b: ImageId) -> (i32, i32) {
    (a.0.min(b.0), a.0.max(b.0))
}

/// Marks two images "not duplicates" (`apart`) or takes the mark back: the one writer of
/// this table, whoever asks. It checks the caller's role, and that both images exist outside
/// the trash, inside the write's transaction. Returns whether anything changed.
pub fn set_apart(
    conn: &mut SqliteConnection,
    caller: Caller,
    a: ImageId,
    b: ImageId,
    apart: bool,
) -> Result<bool, AppError> {
    if !caller.role.can_review() {
        return Err(AppError::Forbidden(format!(
            "marking near-duplicates needs the reviewer role; you are a {}. Ask an admin.",
            caller.role
        )));
    }
    if a == b {
        return Err(AppError::BadInput(format!(
            "image {a} cannot be marked as not a duplicate of itself: name another image"
        )));
    }
    let (image_a, image_b) = ordered(a, b);
    crate::db::write_transaction(conn, |conn| {
        for image in [a, b] {
            if trash_state::image_place(conn, image)? != Some(Place::Live) {
                return Err(AppError::NotFound(format!("there is no image {image}")));
            }
        }
        let pair = n::not_duplicates
            .filter(n::image_a.eq(image_a))
            .filter(n::image_b.eq(image_b));
        let changed = if apart {
            diesel::insert_into(n::not_duplicates)
                .values((
                    n::image_a.eq(image_a),
                    n::image_b.eq(image_b),
                    n::marked_by.eq(caller.user.0),
                    n::marked_at.eq(crate::db::now()),
                ))
                .on_conflict_do_nothing()
                .execute(conn)?
        } else {
            diesel::delete(pair).execute(conn)?
        };
        Ok(changed > 0)
    })
}

/// The images marked as not duplicates of `image`.
pub fn apart_from(conn: &mut SqliteConnection, image: ImageId) -> QueryResult<HashSet<i32>> {
    let as_a: Vec<i32> = n::not_duplicates
        .filter(n::image_a.eq(image.0))
        .select(n::image_b)
        .load(conn)?;
    let as_b: Vec<i32> = n::not_duplicates
        .filter(n::image_b.eq(image.0))
        .select(n::image_a)
        .load(conn)?;
    Ok(as_a.into_iter().chain(as_b).collect())
}

/// Every marked pair, smaller id first: for grouping.
pub fn all(conn: &mut SqliteConnection) -> QueryResult<Vec<(i32, i32)>> {
    n::not_duplicates
        .select((n::image_a, n::image_b))
        .load(conn)
}
