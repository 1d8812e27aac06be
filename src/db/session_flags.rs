//! Which sessions a bulk action would change: the ones its Undo must take back, and no other.

use diesel::prelude::*;

use super::ids::SessionId;
use super::schema::sessions as s;
use crate::domain::session_action::SessionAction;

/// The sessions among `ids` whose flag `action` would change (archiving what is already
/// archived changes nothing, and its undo must not unarchive it).
pub fn would_change(
    conn: &mut SqliteConnection,
    ids: &[SessionId],
    action: SessionAction,
) -> QueryResult<Vec<SessionId>> {
    let query = s::table
        .filter(s::id.eq_any(ids))
        .select(s::id)
        .into_boxed();
    let query = match action {
        SessionAction::Archive => query.filter(s::is_archived.eq(false)),
        SessionAction::Unarchive => query.filter(s::is_archived.eq(true)),
        SessionAction::FlagTest => query.filter(s::is_test.eq(false)),
        SessionAction::UnflagTest => query.filter(s::is_test.eq(true)),
        SessionAction::FlagFailed => query.filter(s::is_failed.eq(false)),
        SessionAction::UnflagFailed => query.filter(s::is_failed.eq(true)),
        SessionAction::Delete => query.filter(s::is_deleted.eq(false)),
        SessionAction::Restore => query.filter(s::is_deleted.eq(true)),
    };
    query.order(s::id).load(conn)
}

/// True when the library holds no session at all (a first start, before or during the import).
pub fn library_is_empty(conn: &mut SqliteConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::not(diesel::dsl::exists(
        s::table.select(s::id),
    )))
    .get_result(conn)
}
