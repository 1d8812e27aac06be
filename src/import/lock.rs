//! One import at a time per database: a second one (a rescan started while the server imports,
//! say) waits for the first instead of racing it to insert the same files.

use std::fs::{File, OpenOptions};
use std::path::Path;

use crate::error::{AppError, AppResult};

/// Held for the whole import; released when dropped (or when the process ends).
pub struct ImportLock {
    _file: File,
}

impl ImportLock {
    pub fn acquire(db: &Path) -> AppResult<ImportLock> {
        let mut name = db.file_name().unwrap_or_default().to_os_string();
        name.push(".import-lock");
        let path = db.with_file_name(name);
        // The file is left in place: removing a lock file lets two processes lock two files.
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| AppError::io("cannot create the import lock", &path, e))?;
        if file.try_lock().is_err() {
            tracing::info!("another import of this database is running; waiting for it to finish");
            file.lock()
                .map_err(|e| AppError::io("cannot lock", &path, e))?;
        }
        Ok(ImportLock { _file: file })
    }
}
