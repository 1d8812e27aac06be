//! The one-time conversion of stored times from the server's local wall-clock time to UTC
//! (migration `store_times_in_utc` leaves a row in `times_to_convert` when a database holds
//! anything). It runs at start-up under the set-up lock, in one transaction that also deletes
//! that row, so a database is converted exactly once, and a crash half-way converts nothing.
//!
//! The zone is the one this program runs in (`TZ`, else `/etc/localtime`): the zone the server
//! wrote those times in, as long as it is started in the same place. A time that happened
//! twice when clocks went back is taken as the earlier one; a time in the hour skipped when
//! they went forward is moved forward by the gap ([`crate::clock::wall_to_utc`]).

use chrono::{Local, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamp};

use super::schema::times_to_convert::dsl as pending;
use crate::error::AppResult;

diesel::define_sql_function! {
    /// A wall-clock time of the server's zone as UTC; registered for the conversion only.
    fn sdreview_utc_of_local(wall: Timestamp) -> Timestamp;
}

/// Every column the server stamped with its local time. Not here: `sessions.created_at` (the
/// folder name's own date, kept as it reads) and `images.created_at` (SQLite's
/// `CURRENT_TIMESTAMP`, UTC already).
const STAMPED: &[(&str, &[&str])] = &[
    ("api_tokens", &["created_at", "last_used_at", "revoked_at"]),
    ("images", &["updated_at"]),
    ("import_runs", &["started_at", "finished_at"]),
    ("judgements", &["created_at", "updated_at"]),
    ("sessions", &["scanned_at", "updated_at"]),
    ("users", &["created_at", "updated_at"]),
    (
        "web_sessions",
        &["created_at", "expires_at", "revoked_at", "last_seen_at"],
    ),
];

/// Converts the stored times once, if the database still holds local ones; returns whether it
/// did. Call it under the set-up lock, after the migrations.
pub fn convert_once(conn: &mut SqliteConnection) -> AppResult<bool> {
    // A read first: nearly every start has nothing to convert, and needs no write turn.
    let waiting: i64 = pending::times_to_convert.count().get_result(conn)?;
    if waiting == 0 {
        return Ok(false);
    }
    sdreview_utc_of_local_utils::register_impl(conn, |wall: NaiveDateTime| {
        crate::clock::wall_to_utc(&Local, wall)
    })?;
    // On this connection, which alone knows the function: not on the process's writer.
    let _turn = super::write_group::take_turn(conn)?;
    let converted = conn.immediate_transaction(|conn| -> AppResult<bool> {
        if diesel::delete(pending::times_to_convert).execute(conn)? == 0 {
            return Ok(false);
        }
        // Reports computed before hold their local time inside their JSON: computed again.
        diesel::delete(super::schema::analytics_cache::table).execute(conn)?;
        for (table, columns) in STAMPED {
            convert_table(conn, table, columns)?;
        }
        Ok(true)
    })?;
    if converted {
        tracing::info!(
            zone = %Local::now().format("%Z (%:z)"),
            "stored times converted from the server's local time to UTC"
        );
    }
    Ok(converted)
}

/// Rewrites one table's stamped columns. Its triggers are set aside meanwhile and put back
/// exactly as they were, in the same transaction: a time is not a verdict, so the trash guard
/// must not refuse it, the review counters have nothing to count and the statistics nothing
/// to recompute.
fn convert_table(conn: &mut SqliteConnection, table: &str, columns: &[&str]) -> QueryResult<()> {
    let triggers: Vec<(String, String)> = diesel::sql_query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
    )
    .bind::<Text, _>(table)
    .load::<NamedTrigger>(conn)?
    .into_iter()
    .map(|t| (t.name, t.sql))
    .collect();
    for (name, _) in &triggers {
        conn.batch_execute(&format!("DROP TRIGGER \"{name}\""))?;
    }
    let sets: Vec<String> = columns
        .iter()
        .map(|c| {
            format!("{c} = CASE WHEN {c} IS NULL THEN NULL ELSE sdreview_utc_of_local({c}) END")
        })
        .collect();
    conn.batch_execute(&format!("UPDATE {table} SET {}", sets.join(", ")))?;
    for (_, sql) in &triggers {
        conn.batch_execute(sql)?;
    }
    Ok(())
}

#[derive(QueryableByName)]
struct NamedTrigger {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}
