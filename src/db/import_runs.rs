//! Queries on `import_runs`: the history the admin page shows.

use diesel::prelude::*;

use super::models::{ImportRun, NewImportRun};
use super::row_limit::RowLimit;
use super::schema::import_runs::dsl as r;

/// How many runs are kept: a day of a busy generator's sessions, each seen by the watcher.
pub const RUNS_KEPT: i64 = 500;

/// Stores one run and drops the oldest beyond [`RUNS_KEPT`].
pub fn record(conn: &mut SqliteConnection, run: &NewImportRun<'_>) -> QueryResult<()> {
    diesel::insert_into(r::import_runs)
        .values(run)
        .execute(conn)?;
    let keep_from: Option<i32> = r::import_runs
        .select(r::id)
        .order(r::id.desc())
        .page(1, RUNS_KEPT)
        .get_result(conn)
        .optional()?;
    if let Some(id) = keep_from {
        diesel::delete(r::import_runs.filter(r::id.le(id))).execute(conn)?;
    }
    Ok(())
}

/// The newest runs first.
pub fn latest(conn: &mut SqliteConnection, limit: i64) -> QueryResult<Vec<ImportRun>> {
    r::import_runs
        .order(r::id.desc())
        .select(ImportRun::as_select())
        .row_limit(limit)
        .load(conn)
}

/// The newest run that was due a backup, when it went without one: the admin page warns of it
/// until a later run is backed up again.
pub fn last_unprotected(conn: &mut SqliteConnection) -> QueryResult<Option<ImportRun>> {
    let last_due: Option<ImportRun> = r::import_runs
        .filter(r::backup.is_not_null().or(r::backup_skipped.is_not_null()))
        .order(r::id.desc())
        .select(ImportRun::as_select())
        .first_row(conn)
        .optional()?;
    Ok(last_due.filter(|run| run.backup_skipped.is_some()))
}
