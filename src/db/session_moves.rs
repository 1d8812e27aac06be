//! Session actions as one write each: which sessions change, the change itself, and after
//! the commit the search cache dropped when what a search may show has moved. Routes call
//! these, so none of them can forget the transaction, the trash rule or the cache.

use diesel::prelude::*;

use super::ids::{ImageId, SessionId};
use super::{search_cache, session_flags, trash, trash_state, write_transaction};
use crate::domain::session_action::SessionAction;

/// What a bulk action did.
pub struct Moved {
    /// The sessions it changed: Undo takes back these and leaves the others alone.
    pub changed: Vec<SessionId>,
    /// Sessions in the trash it left alone (every action but restore does).
    pub skipped: usize,
}

/// Applies a bulk action (archive, flag, delete, restore) to the sessions.
pub fn act(
    conn: &mut SqliteConnection,
    ids: Vec<SessionId>,
    action: SessionAction,
) -> QueryResult<Moved> {
    let moved = write_transaction(conn, |conn| {
        let (ids, skipped) = if action == SessionAction::Restore {
            (ids, 0)
        } else {
            trash_state::live_sessions(conn, ids)?
        };
        let changed = session_flags::would_change(conn, &ids, action)?;
        trash::apply(conn, &changed, action)?;
        Ok::<_, diesel::result::Error>(Moved { changed, skipped })
    })?;
    if matches!(action, SessionAction::Delete | SessionAction::Restore) {
        // Again after the commit, so no search caches what was about to change.
        search_cache::invalidate();
    }
    Ok(moved)
}

/// Restores sessions and images together (a selection in the trash); how many of each.
pub fn restore(
    conn: &mut SqliteConnection,
    sessions: &[SessionId],
    images: &[ImageId],
) -> QueryResult<(usize, usize)> {
    let restored = write_transaction(conn, |conn| {
        Ok::<_, diesel::result::Error>((
            trash::restore_sessions(conn, sessions)?,
            trash::restore_images(conn, images)?,
        ))
    })?;
    search_cache::invalidate();
    Ok(restored)
}

/// Moves one session into the trash or out of it: None when there is no such session, else
/// whether it changed.
pub fn set_deleted(
    conn: &mut SqliteConnection,
    id: SessionId,
    deleted: bool,
) -> QueryResult<Option<bool>> {
    let changed = write_transaction(conn, |conn| {
        let Some(was) = trash::session_is_deleted(conn, id)? else {
            return Ok::<_, diesel::result::Error>(None);
        };
        if was != deleted {
            let action = if deleted {
                SessionAction::Delete
            } else {
                SessionAction::Restore
            };
            trash::apply(conn, &[id], action)?;
        }
        Ok(Some(was != deleted))
    })?;
    search_cache::invalidate();
    Ok(changed)
}
