//! A lock file beside the database, held by one process (or thread) at a time: one import at
//! a time (a rescan started while the server imports waits for it instead of racing it to
//! insert the same files), and one migration at a time (two programs opening a new database
//! at once must not both apply the same migration).

use std::fs::{File, OpenOptions};
use std::path::Path;

use crate::error::{AppError, AppResult};

/// Held until dropped (or until the process ends).
pub struct FileLock {
    _file: File,
}

impl FileLock {
    /// Waits for `<db>.<suffix>`; `what` names the work in the log line while waiting.
    pub fn acquire(db: &Path, suffix: &str, what: &str) -> AppResult<FileLock> {
        let mut name = db.file_name().unwrap_or_default().to_os_string();
        name.push(".");
        name.push(suffix);
        let path = db.with_file_name(name);
        // The file is left in place: removing a lock file lets two processes lock two files.
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| AppError::io("cannot create a lock file", &path, e))?;
        if file.try_lock().is_err() {
            tracing::info!("another {what} of this database is running; waiting for it to finish");
            file.lock()
                .map_err(|e| AppError::io("cannot lock", &path, e))?;
        }
        Ok(FileLock { _file: file })
    }
}
