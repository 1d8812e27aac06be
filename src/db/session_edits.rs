//! The user's own columns of a session, written from its page: display name, notes, flags.

use diesel::prelude::*;

use super::ids::SessionId;
use super::schema::sessions::dsl as s;
use crate::domain::session_edit::SessionFlag;

/// Each returns whether the session exists and is live: what is in the trash is not edited
/// (the trash rule; the triggers of `trash_guard` refuse it too).
pub fn set_display_name(
    conn: &mut SqliteConnection,
    id: SessionId,
    name: Option<&str>,
) -> QueryResult<bool> {
    let changed = diesel::update(s::sessions.find(id).filter(s::is_deleted.eq(false)))
        .set((s::display_name.eq(name), s::updated_at.eq(super::now())))
        .execute(conn)?;
    Ok(changed == 1)
}

pub fn set_notes(
    conn: &mut SqliteConnection,
    id: SessionId,
    notes: Option<&str>,
) -> QueryResult<bool> {
    let changed = diesel::update(s::sessions.find(id).filter(s::is_deleted.eq(false)))
        .set((s::notes.eq(notes), s::updated_at.eq(super::now())))
        .execute(conn)?;
    Ok(changed == 1)
}

pub fn set_flag(
    conn: &mut SqliteConnection,
    id: SessionId,
    flag: SessionFlag,
    on: bool,
) -> QueryResult<bool> {
    let target = s::sessions.find(id).filter(s::is_deleted.eq(false));
    let now = s::updated_at.eq(super::now());
    let changed = match flag {
        SessionFlag::Test => diesel::update(target)
            .set((s::is_test.eq(on), now))
            .execute(conn)?,
        SessionFlag::Failed => diesel::update(target)
            .set((s::is_failed.eq(on), now))
            .execute(conn)?,
        SessionFlag::Archived => diesel::update(target)
            .set((s::is_archived.eq(on), now))
            .execute(conn)?,
    };
    Ok(changed == 1)
}

pub fn set_starred(conn: &mut SqliteConnection, id: SessionId, on: bool) -> QueryResult<bool> {
    let changed = diesel::update(s::sessions.find(id).filter(s::is_deleted.eq(false)))
        .set((s::is_starred.eq(on), s::updated_at.eq(super::now())))
        .execute(conn)?;
    Ok(changed == 1)
}
