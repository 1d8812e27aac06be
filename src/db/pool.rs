//! The one place that sets the database up: pragmas on every connection, WAL once, embedded
//! migrations at every start (with a backup first when they would change a database in use).

use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection};
use diesel::{Connection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::backup::{self, BackupKind};
use crate::error::{AppError, AppResult};

pub type Pool = diesel::r2d2::Pool<ConnectionManager<SqliteConnection>>;
pub type PooledConnection = diesel::r2d2::PooledConnection<ConnectionManager<SqliteConnection>>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

const BUSY_TIMEOUT_MS: u32 = 5_000;

/// Opens (creating if needed) and migrates the database, then pools connections to it.
pub fn open(path: &Path) -> AppResult<Pool> {
    let url = database_url(path)?;
    let mut conn = establish(&url)?;
    conn.batch_execute("PRAGMA journal_mode = WAL;")?;
    migrate(&mut conn, path)?;
    optimize(&mut conn)?;
    drop(conn);
    diesel::r2d2::Pool::builder()
        .max_size(8)
        .connection_customizer(Box::new(ConnectionOptions))
        .build(ConnectionManager::new(url))
        .map_err(AppError::Pool)
}

/// Refreshes the query planner's statistics where they are missing or stale; without them
/// SQLite picks the wrong index on a large library. The limit keeps it to milliseconds.
pub fn optimize(conn: &mut SqliteConnection) -> Result<(), diesel::result::Error> {
    conn.batch_execute("PRAGMA analysis_limit = 1000;")?;
    conn.batch_execute("PRAGMA optimize = 0x10002;")
}

/// A single configured connection, for commands that need no pool.
pub fn establish(url: &str) -> AppResult<SqliteConnection> {
    let mut conn = SqliteConnection::establish(url)?;
    apply_pragmas(&mut conn)?;
    Ok(conn)
}

pub fn database_url(path: &Path) -> AppResult<String> {
    path.to_str().map(str::to_owned).ok_or_else(|| {
        AppError::Config(format!(
            "the database path {} is not valid UTF-8: pass --db with a plain path",
            path.display()
        ))
    })
}

// busy_timeout comes first so that the pragmas after it wait for a writer instead of failing.
fn apply_pragmas(conn: &mut SqliteConnection) -> Result<(), diesel::result::Error> {
    conn.batch_execute(&format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS};"))?;
    conn.batch_execute("PRAGMA synchronous = NORMAL;")?;
    conn.batch_execute("PRAGMA foreign_keys = ON;")?;
    Ok(())
}

#[derive(Debug)]
struct ConnectionOptions;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for ConnectionOptions {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        apply_pragmas(conn).map_err(diesel::r2d2::Error::QueryError)
    }
}

fn migrate(conn: &mut SqliteConnection, path: &Path) -> AppResult<()> {
    let _one_at_a_time = super::file_lock::FileLock::acquire(path, "migrate-lock", "migration")?;
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
