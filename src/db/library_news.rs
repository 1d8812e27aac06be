//! What is new in the library since a page was drawn, for pages that grow by themselves: the
//! page remembers the newest session and image ids it saw, and asks every second or two.
//! Row ids only grow, so "newer than" is a range on the primary key: no scan.

use diesel::prelude::*;

use super::ids::{ImageId, SessionId};
use super::row_limit::RowLimit;
use super::schema::images::dsl as i;
use super::schema::sessions::dsl as s;

/// The newest session and image ids (0 for none).
pub fn latest_ids(conn: &mut SqliteConnection) -> QueryResult<(i32, i32)> {
    let session: Option<SessionId> = s::sessions
        .select(diesel::dsl::max(s::id))
        .first_row(conn)?;
    let image: Option<ImageId> = i::images.select(diesel::dsl::max(i::id)).first_row(conn)?;
    Ok((session.map_or(0, |id| id.0), image.map_or(0, |id| id.0)))
}

/// Sessions that gained images since `after`.
pub fn sessions_with_images_after(
    conn: &mut SqliteConnection,
    after: i32,
) -> QueryResult<Vec<SessionId>> {
    i::images
        .filter(i::id.gt(ImageId(after)))
        .select(i::session_id)
        .distinct()
        .load(conn)
}

/// Images of `session` on disk and not deleted that arrived since `after`.
pub fn images_after(
    conn: &mut SqliteConnection,
    session: SessionId,
    after: i32,
) -> QueryResult<i64> {
    i::images
        .filter(i::id.gt(ImageId(after)))
        .filter(i::session_id.eq(session))
        .filter(i::on_disk.eq(true))
        .filter(i::is_deleted.eq(false))
        .count()
        .get_result(conn)
}

/// Sessions newer than `after` that a list of visible sessions would show.
pub fn sessions_after(conn: &mut SqliteConnection, after: i32) -> QueryResult<i64> {
    s::sessions
        .filter(s::id.gt(SessionId(after)))
        .filter(s::is_deleted.eq(false))
        .count()
        .get_result(conn)
}
