//! Whose turn it is to write. SQLite lets one writer in at a time and makes the others poll,
//! sleeping up to 100 ms between tries, so a writer that commits and begins again at once (the
//! import) would keep everyone else out for as long as it runs. Writers take turns here
//! instead: first within this process, then across processes through the lock file
//! `<db>.write-turn`, on which a waiting writer sleeps in the kernel and is woken the moment
//! the turn is given back. The import gives it back between its short transactions and pauses
//! a moment, so a rating made meanwhile goes next.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::file_lock;

/// Within this process: one writer at a time, whatever the database.
static WRITER: Mutex<()> = Mutex::new(());
/// The open lock file of each database this process writes to.
static LOCK_FILES: LazyLock<Mutex<HashMap<PathBuf, Arc<File>>>> = LazyLock::new(Mutex::default);

/// Held while writing; gives the turn back when dropped.
pub struct Turn {
    file: Option<Arc<File>>,
    _in_process: MutexGuard<'static, ()>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        if let Some(file) = &self.file {
            let _ = file.unlock();
        }
    }
}

#[derive(QueryableByName)]
struct DatabaseFile {
    #[diesel(sql_type = Text)]
    file: String,
}

/// The main database's file; None for an in-memory one.
fn database_file(conn: &mut SqliteConnection) -> QueryResult<Option<PathBuf>> {
    let rows: Vec<DatabaseFile> =
        diesel::sql_query("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| PathBuf::from(r.file))
        .find(|p| !p.as_os_str().is_empty()))
}

fn lock_file(db: &Path) -> Option<Arc<File>> {
    let mut files = LOCK_FILES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(file) = files.get(db) {
        return Some(file.clone());
    }
    let path = file_lock::lock_path(db, "write-turn");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .inspect_err(|e| tracing::warn!("cannot open {}: {e}", path.display()))
        .ok()?;
    let file = Arc::new(file);
    files.insert(db.to_path_buf(), file.clone());
    Some(file)
}

/// Waits for the turn to write to `conn`'s database. Without its lock file (a read-only
/// folder) writers still take turns within this process, and SQLite keeps them apart.
pub fn take(conn: &mut SqliteConnection) -> QueryResult<Turn> {
    let in_process = WRITER.lock().unwrap_or_else(PoisonError::into_inner);
    let file = database_file(conn)?.and_then(|db| lock_file(&db));
    if let Some(Err(e)) = file.as_ref().map(|f| f.lock()) {
        tracing::warn!("cannot take the write turn: {e}");
        return Ok(Turn {
            file: None,
            _in_process: in_process,
        });
    }
    Ok(Turn {
        file,
        _in_process: in_process,
    })
}
