//! The backups beside a database: listing them for the admin page, and rotating the automatic
//! pre-import ones. A backup someone asked for is never deleted by sdreview.

use std::path::{Path, PathBuf};

use super::backup::file_name;
use crate::error::{AppError, AppResult};
use crate::file_names::folder_of;

/// How many automatic pre-import backups are kept.
pub const IMPORT_BACKUPS_KEPT: usize = 5;

/// The entries of the database's folder, and the name every backup of it starts with.
fn beside(db: &Path) -> AppResult<(std::fs::ReadDir, String)> {
    let dir = folder_of(db);
    let entries = std::fs::read_dir(&dir).map_err(|e| AppError::io("cannot list", &dir, e))?;
    Ok((entries, format!("{}.backup.", file_name(db))))
}

/// Deletes broken automatic pre-import backups (empty, cut short, not a database), then the
/// oldest good ones beyond `keep`; returns how many went. Only good backups count towards
/// `keep`, so a run of failed backups can never push a good one out.
pub fn prune_import_backups(db: &Path, keep: usize) -> AppResult<usize> {
    let (entries, prefix) = beside(db)?;
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
    let (entries, prefix) = beside(db)?;
    let mut found: Vec<BackupFile> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let meta = entry.metadata().ok()?;
            // A copy still being written (`.partial`) is not a backup yet.
            let whole = name.starts_with(&prefix) && !name.ends_with(".partial");
            (whole && meta.is_file()).then(|| BackupFile {
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
    use crate::db::backup::tests::a_backup;

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
}
