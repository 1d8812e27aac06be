//! Choices the owner makes on the admin page, stored by name (`owner_settings`).

use diesel::prelude::*;
use diesel::upsert::excluded;

use super::row_limit::RowLimit;
use crate::db::schema::owner_settings::dsl as o;

/// The stored value, or None when the owner never chose.
pub fn get(conn: &mut SqliteConnection, name: &str) -> QueryResult<Option<String>> {
    o::owner_settings
        .filter(o::name.eq(name))
        .select(o::value)
        .first_row(conn)
        .optional()
}

/// Stores a choice (in the caller's write transaction).
pub fn set(conn: &mut SqliteConnection, name: &str, value: &str) -> QueryResult<()> {
    diesel::insert_into(o::owner_settings)
        .values((o::name.eq(name), o::value.eq(value)))
        .on_conflict(o::name)
        .do_update()
        .set(o::value.eq(excluded(o::value)))
        .execute(conn)
        .map(drop)
}
