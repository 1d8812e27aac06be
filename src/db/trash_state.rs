//! Where an image or session is: live, or in the trash (deleted, or an image of a deleted
//! session). `domain::trash_rule` says what follows from it.

use std::collections::HashSet;

use diesel::prelude::*;

use super::ids::{ImageId, SessionId};
use super::row_limit::RowLimit;
use super::schema::{images as i, sessions as s};
use crate::domain::trash_rule::Place;

fn place(deleted: bool) -> Place {
    if deleted { Place::Trash } else { Place::Live }
}

/// None when there is no such image.
pub fn image_place(conn: &mut SqliteConnection, id: ImageId) -> QueryResult<Option<Place>> {
    let found: Option<(bool, bool)> = i::table
        .inner_join(s::table)
        .filter(i::id.eq(id))
        .select((i::is_deleted, s::is_deleted))
        .first_row(conn)
        .optional()?;
    Ok(found.map(|(image, session)| place(image || session)))
}

/// None when there is no such session.
pub fn session_place(conn: &mut SqliteConnection, id: SessionId) -> QueryResult<Option<Place>> {
    let found: Option<bool> = s::table
        .find(id)
        .select(s::is_deleted)
        .first_row(conn)
        .optional()?;
    Ok(found.map(place))
}

/// `ids` without the images in the trash (themselves or through their session), and how many
/// were left out.
pub fn live_images(
    conn: &mut SqliteConnection,
    ids: Vec<ImageId>,
) -> QueryResult<(Vec<ImageId>, usize)> {
    let mut trashed = HashSet::new();
    // Bounded chunks: SQLite limits the number of bound parameters.
    for chunk in ids.chunks(10_000) {
        trashed.extend(
            i::table
                .inner_join(s::table)
                .filter(i::id.eq_any(chunk))
                .filter(i::is_deleted.eq(true).or(s::is_deleted.eq(true)))
                .select(i::id)
                .load::<ImageId>(conn)?,
        );
    }
    let live = ids.into_iter().filter(|id| !trashed.contains(id)).collect();
    Ok((live, trashed.len()))
}

/// `ids` without the deleted sessions, and how many were left out.
pub fn live_sessions(
    conn: &mut SqliteConnection,
    ids: Vec<SessionId>,
) -> QueryResult<(Vec<SessionId>, usize)> {
    let mut trashed = HashSet::new();
    for chunk in ids.chunks(10_000) {
        trashed.extend(
            s::table
                .filter(s::id.eq_any(chunk))
                .filter(s::is_deleted.eq(true))
                .select(s::id)
                .load::<SessionId>(conn)?,
        );
    }
    let live = ids.into_iter().filter(|id| !trashed.contains(id)).collect();
    Ok((live, trashed.len()))
}
