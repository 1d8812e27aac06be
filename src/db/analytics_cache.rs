//! Queries on `analytics_cache`: computed statistics as JSON, by key, stamped with the
//! `analytics_version` they were computed at. An entry is served only while that number is
//! unchanged, so a stale figure is never shown; the table survives restarts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::row_limit::RowLimit;
use super::schema::analytics_cache::dsl as ac;

/// Entries kept at most; the oldest go first.
const MAX_ENTRIES: i64 = 200;

/// The stored JSON under `key`, if it was computed at `version`.
pub fn get(conn: &mut SqliteConnection, key: &str, version: i64) -> QueryResult<Option<String>> {
    ac::analytics_cache
        .filter(ac::key.eq(key))
        .filter(ac::data_version.eq(version))
        .select(ac::value)
        .first_row(conn)
        .optional()
}

/// Stores `value` under `key`, dropping entries of other versions (they can never be served
/// again) and the oldest beyond `MAX_ENTRIES`.
pub fn put(
    conn: &mut SqliteConnection,
    key: &str,
    value: &str,
    version: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    crate::db::write_transaction(conn, |conn| {
        diesel::delete(ac::analytics_cache.filter(ac::data_version.ne(version))).execute(conn)?;
        diesel::replace_into(ac::analytics_cache)
            .values((
                ac::key.eq(key),
                ac::value.eq(value),
                ac::data_version.eq(version),
                ac::computed_at.eq(now),
            ))
            .execute(conn)?;
        let oldest_kept = ac::analytics_cache
            .select(ac::computed_at)
            .order(ac::computed_at.desc())
            .page(1, MAX_ENTRIES - 1)
            .get_result::<NaiveDateTime>(conn)
            .optional()?;
        if let Some(oldest) = oldest_kept {
            diesel::delete(ac::analytics_cache.filter(ac::computed_at.lt(oldest))).execute(conn)?;
        }
        Ok(())
    })
}
