//! The one place that sets the database up: WAL once, embedded migrations at every start (with
//! a backup first when they would change a database in use), then the pool.

use std::path::Path;

use diesel::SqliteConnection;
use diesel::connection::SimpleConnection;
use diesel::r2d2::ConnectionManager;
use diesel_migrations::MigrationHarness;

use super::backup::{self, BackupKind};
use super::pool::{ConnectionOptions, MIGRATIONS, Pool, database_url, establish, optimize};
use crate::error::{AppError, AppResult};

/// Opens (creating if needed) and migrates the database, then pools connections to it.
pub fn open(path: &Path) -> AppResult<Pool> {
    super::wal_check::before_open(path);
    let url = database_url(path)?;
    // One program at a time sets the database up, from the switch to WAL to the statistics'
    // refresh: two switching a new database to WAL at once, or one upgrading its read to a
    // write while another writes, get "database is locked" at once, without waiting.
    let one_at_a_time = super::file_lock::FileLock::acquire(path, "migrate-lock", "migration")?;
    let mut conn = establish(&url)?;
    conn.batch_execute("PRAGMA journal_mode = WAL;")?;
    migrate(&mut conn, path)?;
    // Outside `migrate`: a conversion cut short is tried again at the next start, when no
    // migration is pending any more.
    super::utc_times::convert_once(&mut conn)?;
    optimize(&mut conn)?;
    let writer = super::writer::hold(&mut conn)?;
    drop(conn);
    drop(one_at_a_time);
    diesel::r2d2::Pool::builder()
        .max_size(8)
        .connection_customizer(Box::new(ConnectionOptions { _writer: writer }))
        .build(ConnectionManager::new(url))
        .map_err(AppError::Pool)
}

/// Under the set-up lock `open` holds.
fn migrate(conn: &mut SqliteConnection, path: &Path) -> AppResult<()> {
    let pending = conn
        .has_pending_migration(MIGRATIONS)
        .map_err(|e| AppError::Migration(e.to_string()))?;
    if !pending {
        return Ok(());
    }
    let applied = conn
        .applied_migrations()
        .map_err(|e| AppError::Migration(e.to_string()))?;
    if !applied.is_empty() {
        let copy = backup::write(conn, path, BackupKind::PreMigration)?;
        tracing::info!(backup = %copy.display(), "backed up the database before migrating it");
    }
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|e| AppError::Migration(e.to_string()))?;
    // Columns SQL cannot fill: what names look like.
    super::users::fill_name_skeletons(conn)?;
    Ok(())
}
