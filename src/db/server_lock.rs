//! A running server holds a share of `<db>.serve-lock` for its whole life, and `restore` needs
//! the lock alone: replacing the file under a server would leave the server writing to the
//! replaced database through its open handles, so ratings given after the restore would exist
//! nowhere once it restarts. Imports, backups and user commands do not take this lock: they
//! work on the same database as the server, through SQLite.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::file_lock::{FileLock, lock_path};
use crate::error::{AppError, AppResult};

const SUFFIX: &str = "serve-lock";

/// Held by a server until it stops. Several servers may share one database.
pub struct ServerLock {
    _lock: FileLock,
}

impl ServerLock {
    /// Takes a share of the lock and writes this process's id into the file, for `restore` to
    /// name. Refused while a restore replaces the database.
    pub fn hold(db: &Path) -> AppResult<ServerLock> {
        let Some(lock) = FileLock::try_shared(db, SUFFIX)? else {
            return Err(AppError::Config(format!(
                "{} is being restored right now: wait for `sdreview restore` to finish, then \
                 start the server again",
                db.display()
            )));
        };
        let path = lock_path(db, SUFFIX);
        let mut file = lock.file();
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| writeln!(file, "{}", std::process::id()))
            .map_err(|e| AppError::io("cannot write the server's lock file", &path, e))?;
        Ok(ServerLock { _lock: lock })
    }
}

/// The lock alone, for `restore` to hold while it replaces the database; refused, naming the
/// server's process, while a server runs on it.
pub fn exclude_servers(db: &Path) -> AppResult<FileLock> {
    if let Some(lock) = FileLock::try_exclusive(db, SUFFIX)? {
        return Ok(lock);
    }
    let mut text = String::new();
    let pid = std::fs::File::open(lock_path(db, SUFFIX))
        .and_then(|mut file| file.read_to_string(&mut text))
        .ok()
        .and_then(|_| text.trim().parse::<u32>().ok())
        .map(|pid| format!(" (pid {pid})"))
        .unwrap_or_default();
    Err(AppError::Config(format!(
        "a server is running on this database{pid}: stop it (Ctrl+C) and run restore again; \
         nothing was changed"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_is_refused_while_a_server_holds_the_database_and_allowed_after() {
        let dir = tempfile::TempDir::new().unwrap();
        let db = dir.path().join("metadata.db");
        let first = ServerLock::hold(&db).unwrap();
        let second = ServerLock::hold(&db).unwrap();
        let refused = exclude_servers(&db).err().unwrap().to_string();
        assert!(
            refused.contains(&format!("(pid {})", std::process::id())),
            "{refused}"
        );
        drop((first, second));
        let restoring = exclude_servers(&db).unwrap();
        let server = ServerLock::hold(&db).err().unwrap().to_string();
        assert!(server.contains("being restored"), "{server}");
        drop(restoring);
        ServerLock::hold(&db).unwrap();
    }
}
