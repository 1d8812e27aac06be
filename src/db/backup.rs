//! Consistent online backups (`VACUUM INTO`); `db::restore` puts one back.
//!
//! Backups sit beside the database as `<db>.backup.<timestamp>[-kind]`, written under a
//! temporary name and renamed when whole. `db::backup_files` lists them and rotates the
//! automatic ones.

use std::path::{Path, PathBuf};

use diesel::sql_types::Text;
use diesel::{RunQueryDsl, SqliteConnection};

use super::pool;
use crate::error::{AppError, AppResult};
use crate::file_names::{folder_of, with_suffix};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupKind {
    Import,
    Manual,
    PreMigration,
    BeforeRestore,
}

impl BackupKind {
    fn suffix(self) -> &'static str {
        match self {
            BackupKind::Import => "",
            BackupKind::Manual => "-manual",
            BackupKind::PreMigration => "-pre-migration",
            BackupKind::BeforeRestore => "-replaced",
        }
    }
}

/// Writes a consistent copy of the open database beside `db` and returns its path.
pub fn write(conn: &mut SqliteConnection, db: &Path, kind: BackupKind) -> AppResult<PathBuf> {
    let dest = next_backup_path(db, kind);
    write_to(conn, &dest)?;
    Ok(dest)
}

/// Writes a consistent copy of the open database to `dest`, which must not exist. The copy is
/// written as `<dest>.partial` and renamed when whole, so a file under a backup's name is
/// always a complete database; a failed copy removes what it wrote and says so. It needs
/// about the database's size free beside `dest`, and is refused before it starts without it.
pub fn write_to(conn: &mut SqliteConnection, dest: &Path) -> AppResult<()> {
    if dest.exists() {
        return Err(AppError::Config(format!(
            "{} already exists: choose another --output",
            dest.display()
        )));
    }
    check_room(conn, dest)?;
    let partial = with_suffix(dest, ".partial");
    remove_leftovers(&partial);
    let copied = diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(pool::database_url(&partial)?)
        .execute(conn);
    if let Err(error) = copied {
        let removed = removed_words(&partial);
        if error.to_string().contains("disk is full") {
            return Err(AppError::NoRoom(format!(
                "the disk filled up while the backup was written{removed}: free some space \
                 beside {} and try again",
                dest.display()
            )));
        }
        return Err(failed(dest, removed, error));
    }
    std::fs::rename(&partial, dest).map_err(|error| failed(dest, removed_words(&partial), error))
}

fn failed(
    dest: &Path,
    removed: String,
    source: impl std::error::Error + Send + Sync + 'static,
) -> AppError {
    let error = AppError::BackupFailed {
        dest: dest.to_owned(),
        removed,
        source: Box::new(source),
    };
    tracing::warn!("{}", crate::error::error_chain(&error));
    error
}

/// Removes what a failed copy wrote, and says what that was.
fn removed_words(partial: &Path) -> String {
    let removed = remove_leftovers(partial);
    match removed.is_empty() {
        true => String::new(),
        false => format!(" (removed the partial copy: {})", removed.join(", ")),
    }
}

/// Refuses a backup that cannot fit: the database's pages, and a margin, must be free.
fn check_room(conn: &mut SqliteConnection, dest: &Path) -> AppResult<()> {
    #[derive(diesel::QueryableByName)]
    struct Size {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        bytes: i64,
    }
    let size: Size = diesel::sql_query(
        "SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()",
    )
    .get_result(conn)?;
    let needed = u64::try_from(size.bytes).unwrap_or(0) + ROOM_MARGIN;
    let dir = folder_of(dest);
    // Where the file system cannot say, the copy is tried and cleaned up if it fails.
    let Ok(stats) = rustix::fs::statvfs(&dir) else {
        return Ok(());
    };
    let free = stats.f_bavail.saturating_mul(stats.f_frsize);
    if free < needed {
        return Err(AppError::NoRoom(format!(
            "a backup needs about {} MB free beside {}, and there are {} MB: free some space \
             (older backups there can go) and try again",
            needed.div_ceil(1 << 20),
            dir.display(),
            free / (1 << 20)
        )));
    }
    Ok(())
}

/// Room kept free beyond the copy itself, for SQLite's journal and everyone else's writes.
const ROOM_MARGIN: u64 = 8 << 20;

/// Removes a partial copy and its journal; returns the names of what was there.
fn remove_leftovers(partial: &Path) -> Vec<String> {
    [partial.to_path_buf(), with_suffix(partial, "-journal")]
        .into_iter()
        .filter(|path| std::fs::remove_file(path).is_ok())
        .map(|path| path.display().to_string())
        .collect()
}

fn next_backup_path(db: &Path, kind: BackupKind) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S%.3f");
    let base = format!("{}.backup.{stamp}{}", file_name(db), kind.suffix());
    let mut candidate = db.with_file_name(&base);
    let mut n = 2;
    while candidate.exists() {
        candidate = db.with_file_name(format!("{base}-{n}"));
        n += 1;
    }
    candidate
}

pub(super) fn file_name(db: &Path) -> String {
    db.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "metadata.db".to_owned())
}

#[cfg(test)]
pub(super) mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// A database with some pages in it, and the bytes of a backup of it.
    pub(in crate::db) fn a_backup(dir: &Path) -> Vec<u8> {
        let db = dir.join("metadata.db");
        let pool = crate::db::open(&db).unwrap();
        let copy = write(&mut pool.get().unwrap(), &db, BackupKind::Manual).unwrap();
        std::fs::read(copy).unwrap()
    }

    #[test]
    fn a_backup_is_written_under_a_temporary_name_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let whole = a_backup(dir.path());
        assert!(whole.starts_with(b"SQLite format 3\0"));
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| !n.contains("partial")),
            "no partial copy left: {names:?}"
        );
    }
}
