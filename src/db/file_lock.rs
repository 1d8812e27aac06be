//! A lock file beside the database, held by one process (or thread) at a time: one import at
//! a time (a rescan started while the server imports waits for it instead of racing it to
//! insert the same files), and one migration at a time (two programs opening a new database
//! at once must not both apply the same migration). `server_lock` uses the non-waiting forms.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::{AppError, AppResult};

/// Held until dropped (or until the process ends).
pub struct FileLock {
    file: File,
}

/// `<db>.<suffix>`, beside the database.
pub fn lock_path(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".");
    name.push(suffix);
    db.with_file_name(name)
}

fn open(path: &Path) -> AppResult<File> {
    // The file is left in place: removing a lock file lets two processes lock two files.
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| AppError::io("cannot create a lock file", path, e))
}

impl FileLock {
    /// Waits for `<db>.<suffix>`; `what` names the work in the log line while waiting.
    pub fn acquire(db: &Path, suffix: &str, what: &str) -> AppResult<FileLock> {
        let path = lock_path(db, suffix);
        let file = open(&path)?;
        if file.try_lock().is_err() {
            tracing::info!("another {what} of this database is running; waiting for it to finish");
            file.lock()
                .map_err(|e| AppError::io("cannot lock", &path, e))?;
        }
        Ok(FileLock { file })
    }

    /// The lock alone, or None at once when anyone else holds it (shared or not).
    pub fn try_exclusive(db: &Path, suffix: &str) -> AppResult<Option<FileLock>> {
        let path = lock_path(db, suffix);
        let file = open(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(FileLock { file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(AppError::io("cannot lock", &path, e)),
        }
    }

    /// A share of the lock, which any number of holders may have at once; None at once when
    /// someone holds it exclusively.
    pub fn try_shared(db: &Path, suffix: &str) -> AppResult<Option<FileLock>> {
        let path = lock_path(db, suffix);
        let file = open(&path)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(Some(FileLock { file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(AppError::io("cannot lock", &path, e)),
        }
    }

    pub fn file(&self) -> &File {
        &self.file
    }
}
