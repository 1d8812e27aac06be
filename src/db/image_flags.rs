//! Bulk changes to images from a gallery: soft delete and restore (ratings go through
//! `judgements::rate`).
//! Nothing here touches a file on disk.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ids::{ImageId, SessionId};
use super::schema::images::dsl as i;

/// The ids among `ids` that are images of `session` (all of them that exist when `None`), so a
/// request cannot reach outside the gallery it came from.
pub fn existing(
    conn: &mut SqliteConnection,
    ids: &[ImageId],
    session: Option<SessionId>,
) -> QueryResult<Vec<ImageId>> {
    let mut query = i::images
        .filter(i::id.eq_any(ids))
        .select(i::id)
        .into_boxed();
    if let Some(session) = session {
        query = query.filter(i::session_id.eq(session));
    }
    query.load(conn)
}

/// Soft-deletes or restores; returns the images that changed (what an undo takes back).
pub fn set_deleted(
    conn: &mut SqliteConnection,
    ids: &[ImageId],
    deleted: bool,
    now: NaiveDateTime,
) -> QueryResult<Vec<ImageId>> {
    let changed = crate::db::write_transaction(conn, |conn| {
        let mut changed = Vec::new();
        // Bounded chunks: SQLite limits the number of bound parameters.
        for chunk in ids.chunks(10_000) {
            changed.extend(
                diesel::update(i::images.filter(i::id.eq_any(chunk)))
                    .filter(i::is_deleted.ne(deleted))
                    .set((i::is_deleted.eq(deleted), i::updated_at.eq(now)))
                    .returning(i::id)
                    .get_results::<ImageId>(conn)?,
            );
        }
        Ok::<_, diesel::result::Error>(changed)
    })?;
    // After the commit, so no search can cache what is about to change.
    crate::db::search_cache::invalidate();
    Ok(changed)
}
