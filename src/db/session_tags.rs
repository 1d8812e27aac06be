//! Stars and free tags on sessions.

use diesel::prelude::*;

use super::ids::SessionId;
use super::row_limit::RowLimit;
use super::schema::{session_tags as tg, sessions as s};
use crate::domain::tag::Tag;

const SUGGESTIONS: i64 = 20;

/// Flips the star; None when there is no such session.
pub fn toggle_star(conn: &mut SqliteConnection, id: SessionId) -> QueryResult<Option<bool>> {
    diesel::update(s::table.find(id))
        .set((
            s::is_starred.eq(diesel::dsl::not(s::is_starred)),
            s::updated_at.eq(super::now()),
        ))
        .returning(s::is_starred)
        .get_result(conn)
        .optional()
}

pub fn is_starred(conn: &mut SqliteConnection, id: SessionId) -> QueryResult<Option<bool>> {
    s::table
        .find(id)
        .select(s::is_starred)
        .first_row(conn)
        .optional()
}

pub fn add(conn: &mut SqliteConnection, id: SessionId, tag: &Tag) -> QueryResult<usize> {
    diesel::insert_or_ignore_into(tg::table)
        .values((tg::session_id.eq(id), tg::tag.eq(tag.as_str())))
        .execute(conn)
}

pub fn remove(conn: &mut SqliteConnection, id: SessionId, tag: &Tag) -> QueryResult<usize> {
    diesel::delete(tg::table.find((id, tag.as_str()))).execute(conn)
}

pub fn of_session(conn: &mut SqliteConnection, id: SessionId) -> QueryResult<Vec<String>> {
    tg::table
        .select(tg::tag)
        .filter(tg::session_id.eq(id))
        .order_by(tg::tag)
        .load(conn)
}

/// Tags in use that start with `prefix` (tags are lowercase): a range on the tag index.
pub fn suggest(conn: &mut SqliteConnection, prefix: &str) -> QueryResult<Vec<String>> {
    let prefix = prefix.trim().to_lowercase();
    let upper = format!("{prefix}\u{10FFFF}");
    tg::table
        .select(tg::tag)
        .filter(tg::tag.ge(prefix).and(tg::tag.lt(upper)))
        .distinct()
        .order_by(tg::tag)
        .row_limit(SUGGESTIONS)
        .load(conn)
}
