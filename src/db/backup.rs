//! Consistent online backups (`VACUUM INTO`); `db::restore` puts one back.
//!
//! Backups sit beside the database as `<db>.backup.<timestamp>[-kind]`, written under a
//! temporary name and renamed when whole. Only the automatic pre-import ones are pruned, broken
//! ones first; a backup someone asked for is never deleted by sdreview.

use std::path::{Path, PathBuf};

use diesel::sql_types::Text;
use diesel::{RunQueryDsl, SqliteConnection};

use super::pool;
use crate::error::{AppError, AppResult};

/// How many automatic pre-import backups are kept.
pub const IMPORT_BACKUPS_KEPT: usize = 5;

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
        let removed = remove_leftovers(&partial);
        let removed = match removed.is_empty() {
            true => String::new(),
            false => format!(" (removed the partial copy: {})", removed.join(", ")),
        };
        if error.to_string().contains("disk is full") {
            return Err(AppError::NoRoom(format!(
                "the disk filled up while the backup was written{removed}: free some space \
                 beside {} and try again",
                dest.display()
            )));
        }
        tracing::warn!("the backup failed{removed}");
        return Err(error.into());
    }
    std::fs::rename(&partial, dest)
        .map_err(|e| AppError::io("cannot move the finished backup into place", dest, e))
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
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
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

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

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

/// Deletes broken automatic pre-import backups (empty, cut short, not a database), then the
/// oldest good ones beyond `keep`; returns how many went. Only good backups count towards
/// `keep`, so a run of failed backups can never push a good one out.
pub fn prune_import_backups(db: &Path, keep: usize) -> AppResult<usize> {
    let dir = match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = format!("{}.backup.", file_name(db));
    let entries = std::fs::read_dir(&dir).map_err(|e| AppError::io("cannot list", &dir, e))?;
    let automatic: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix(&prefix))
                .is_some_and(is_import_stamp)
        })
        .collect();
    let (mut good, broken): (Vec<PathBuf>, Vec<PathBuf>) =
        automatic.into_iter().partition(|p| looks_whole(p));
    // The stamp sorts chronologically, so name order is age order.
    good.sort();
    let excess = good.len().saturating_sub(keep.max(1));
    let doomed = broken.iter().chain(&good[..excess]);
    let mut removed = 0;
    for old in doomed {
        std::fs::remove_file(old).map_err(|e| AppError::io("cannot delete old backup", old, e))?;
        removed += 1;
    }
    Ok(removed)
}

/// Whether a file is a whole SQLite database, by what its header says: the magic string,
/// and a size of exactly the page count times the page size it records.
fn looks_whole(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 100];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    if file.read_exact(&mut header).is_err() || &header[..16] != b"SQLite format 3\0" {
        return false;
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        size => u64::from(size),
    };
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    let length = file.metadata().map_or(0, |m| m.len());
    if page_size < 512 || length < page_size {
        return false;
    }
    // The recorded page count holds only when its "valid for" number is the change counter
    // (SQLite's file format, section 1.3.7); otherwise whole pages are all one can ask.
    let recorded = header[92..96] == header[24..28] && pages > 0;
    match recorded {
        true => length == pages * page_size,
        false => length % page_size == 0,
    }
}

/// One backup beside the database, as the admin page lists it.
#[derive(Debug, Clone)]
pub struct BackupFile {
    pub name: String,
    pub bytes: u64,
    pub modified: Option<chrono::DateTime<chrono::Local>>,
}

/// Every backup of `db` beside it, newest first.
pub fn list(db: &Path) -> AppResult<Vec<BackupFile>> {
    let dir = match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = format!("{}.backup.", file_name(db));
    let entries = std::fs::read_dir(&dir).map_err(|e| AppError::io("cannot list", &dir, e))?;
    let mut found: Vec<BackupFile> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let meta = entry.metadata().ok()?;
            (name.starts_with(&prefix) && meta.is_file()).then(|| BackupFile {
                modified: meta.modified().ok().map(Into::into),
                bytes: meta.len(),
                name,
            })
        })
        .collect();
    // The stamp in the name sorts chronologically.
    found.sort_by(|a, b| b.name.cmp(&a.name));
    Ok(found)
}

fn is_import_stamp(stamp: &str) -> bool {
    stamp.len() == "20261125-114138.123".len()
        && stamp
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '.')
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// A database with some pages in it, and the bytes of a backup of it.
    fn a_backup(dir: &Path) -> Vec<u8> {
        let db = dir.join("metadata.db");
        let pool = crate::db::open(&db).unwrap();
        let copy = write(&mut pool.get().unwrap(), &db, BackupKind::Manual).unwrap();
        std::fs::read(copy).unwrap()
    }

    fn automatic(dir: &Path, minute: u32) -> PathBuf {
        dir.join(format!("metadata.db.backup.20261206-10{minute:02}00.000"))
    }

    fn left(dir: &Path) -> Vec<u32> {
        (0..60)
            .filter(|&m| automatic(dir, m).exists())
            .collect::<Vec<_>>()
    }

    #[test]
    fn failed_backups_never_push_good_ones_out_and_go_first() {
        let dir = tempfile::tempdir().unwrap();
        let whole = a_backup(dir.path());
        for minute in [1, 2, 3] {
            std::fs::write(automatic(dir.path(), minute), &whole).unwrap();
        }
        // Six newer ones that failed on a full disk: empty, or cut short.
        for minute in [4, 5, 6, 7, 8] {
            std::fs::write(automatic(dir.path(), minute), b"").unwrap();
        }
        std::fs::write(automatic(dir.path(), 9), &whole[..whole.len() / 2]).unwrap();
        let db = dir.path().join("metadata.db");
        assert_eq!(prune_import_backups(&db, 5).unwrap(), 6);
        assert_eq!(left(dir.path()), [1, 2, 3], "the three good ones stay");
        assert_eq!(prune_import_backups(&db, 2).unwrap(), 1);
        assert_eq!(left(dir.path()), [2, 3], "then the oldest good one goes");
        assert_eq!(prune_import_backups(&db, 0).unwrap(), 1);
        assert_eq!(left(dir.path()), [3], "never the newest good one");
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
