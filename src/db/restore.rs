//! Checked restores: a backup is put back only when it is an intact sdreview database, after
//! the database it replaces is itself backed up.

use std::path::{Path, PathBuf};

use diesel::sql_types::Text;
use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection};

use super::backup::{self, BackupKind};
use super::{pool, schema_check, server_lock, setup};
use crate::error::{AppError, AppResult};

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

/// Refuses anything that is not a readable, intact sdreview database whose schema is exactly
/// what sdreview's migrations make (those it has applied: an older sdreview's is fine).
pub fn check_is_sdreview_database(file: &Path) -> AppResult<()> {
    let refuse = |why: &str| {
        AppError::BadInput(format!(
            "{} is not an sdreview database backup ({why}); nothing was changed",
            file.display()
        ))
    };
    let mut header = [0u8; 16];
    let mut handle = std::fs::File::open(file).map_err(|e| AppError::io("cannot open", file, e))?;
    std::io::Read::read_exact(&mut handle, &mut header)
        .map_err(|_| refuse("too short to be SQLite"))?;
    if &header != b"SQLite format 3\0" {
        return Err(refuse("not an SQLite file"));
    }
    let url = format!("file:{}?mode=ro", pool::database_url(file)?);
    let mut conn = SqliteConnection::establish(&url).map_err(|_| refuse("cannot be opened"))?;
    let check: Vec<Name> = diesel::sql_query("SELECT quick_check AS name FROM pragma_quick_check")
        .load(&mut conn)
        .map_err(|_| refuse("cannot be read"))?;
    if check.iter().any(|row| row.name != "ok") {
        return Err(refuse("it is damaged"));
    }
    schema_check::check(&mut conn).map_err(|why| refuse(&why))?;
    Ok(())
}

/// Replaces the database at `db` with the backup `source`. The database being replaced is
/// itself backed up first; returns that copy's path (None when there was no database). Refused
/// while a server runs on `db`; no server can start until the restored copy is migrated.
pub fn restore(db: &Path, source: &Path) -> AppResult<Option<PathBuf>> {
    let _no_server = server_lock::exclude_servers(db)?;
    check_is_sdreview_database(source)?;
    let replaced = if db.exists() && std::fs::metadata(db).map(|m| m.len() > 0).unwrap_or(false) {
        let mut conn = pool::establish(&pool::database_url(db)?)?;
        Some(backup::write(&mut conn, db, BackupKind::BeforeRestore)?)
    } else {
        None
    };
    // Copy through SQLite so that a backup still carrying a -wal file comes over whole.
    let staging = db.with_file_name(format!("{}.restoring", backup::file_name(db)));
    let _ = std::fs::remove_file(&staging);
    let url = format!("file:{}?mode=ro", pool::database_url(source)?);
    let mut source_conn = SqliteConnection::establish(&url)?;
    backup::write_to(&mut source_conn, &staging)?;
    drop(source_conn);
    for side in ["-wal", "-shm"] {
        let side_file = db.with_file_name(format!("{}{side}", backup::file_name(db)));
        match std::fs::remove_file(&side_file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(AppError::io("cannot remove", side_file, e)),
        }
    }
    std::fs::rename(&staging, db)
        .map_err(|e| AppError::io("cannot move the restored copy to", db, e))?;
    // Opening migrates a backup made by an older sdreview, before any server may start.
    setup::open(db)?;
    Ok(replaced)
}
