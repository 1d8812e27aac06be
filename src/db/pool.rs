//! Connections to the database: pragmas on every connection, the pool, the embedded
//! migrations (`db::setup` opens the database and runs them).

use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection};
use diesel::{Connection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, embed_migrations};

use crate::error::{AppError, AppResult};

pub type Pool = diesel::r2d2::Pool<ConnectionManager<SqliteConnection>>;
pub type PooledConnection = diesel::r2d2::PooledConnection<ConnectionManager<SqliteConnection>>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

const BUSY_TIMEOUT_MS: u32 = 5_000;

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

/// Every pooled connection's pragmas; and the database's writer, held as long as the pool is.
#[derive(Debug)]
pub(super) struct ConnectionOptions {
    pub(super) _writer: Option<std::sync::Arc<super::writer::Writer>>,
}

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for ConnectionOptions {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        apply_pragmas(conn).map_err(diesel::r2d2::Error::QueryError)
    }
}
