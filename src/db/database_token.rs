//! A random number drawn when the database was made (migration `count_session_changes`), that
//! tells databases apart: what is kept in memory across requests (search results, session
//! totals) is kept under it, so one process serving several databases (the tests do) never
//! hands one database's answers to another.

use diesel::prelude::*;

use super::row_limit::RowLimit;
use super::schema::sessions_version::dsl as sv;

/// The database's token, and the number its sessions' changes have reached.
pub fn token_and_sessions_version(conn: &mut SqliteConnection) -> QueryResult<(i64, i64)> {
    Ok(sv::sessions_version
        .select((sv::token, sv::version))
        .first_row::<(i64, i64)>(conn)
        .optional()?
        .unwrap_or((0, 0)))
}
