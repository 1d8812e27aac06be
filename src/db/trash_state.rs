//! Where an image or session is: live, or in the trash (deleted, or an image of a deleted
//! session). `domain::trash_rule` says what follows from it.

use diesel::prelude::*;

use super::ids::{ImageId, SessionId};
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
        .first(conn)
        .optional()?;
    Ok(found.map(|(image, session)| place(image || session)))
}

/// None when there is no such session.
pub fn session_place(conn: &mut SqliteConnection, id: SessionId) -> QueryResult<Option<Place>> {
    let found: Option<bool> = s::table
        .find(id)
        .select(s::is_deleted)
        .first(conn)
        .optional()?;
    Ok(found.map(place))
}

/// The ids among `ids` that are in the trash, themselves or through their session.
pub fn images_in_trash(conn: &mut SqliteConnection, ids: &[ImageId]) -> QueryResult<Vec<ImageId>> {
    let mut found = Vec::new();
    // Bounded chunks: SQLite limits the number of bound parameters.
    for chunk in ids.chunks(10_000) {
        found.extend(
            i::table
                .inner_join(s::table)
                .filter(i::id.eq_any(chunk))
                .filter(i::is_deleted.eq(true).or(s::is_deleted.eq(true)))
                .select(i::id)
                .load::<ImageId>(conn)?,
        );
    }
    Ok(found)
}

/// The ids among `ids` that are deleted sessions.
pub fn sessions_in_trash(
    conn: &mut SqliteConnection,
    ids: &[SessionId],
) -> QueryResult<Vec<SessionId>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(10_000) {
        found.extend(
            s::table
                .filter(s::id.eq_any(chunk))
                .filter(s::is_deleted.eq(true))
                .select(s::id)
                .load::<SessionId>(conn)?,
        );
    }
    Ok(found)
}
