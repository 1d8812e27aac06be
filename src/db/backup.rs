//! Consistent online backups (`VACUUM INTO`); `db::restore` puts one back.
//!
//! Backups sit beside the database as `<db>.backup.<timestamp>[-kind]`. Only the automatic
//! pre-import ones are pruned; a backup someone asked for is never deleted by sdreview.

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

/// Writes a consistent copy of the open database to `dest`, which must not exist.
pub fn write_to(conn: &mut SqliteConnection, dest: &Path) -> AppResult<()> {
    if dest.exists() {
        return Err(AppError::Config(format!(
            "{} already exists: choose another --output",
            dest.display()
        )));
    }
    let dest_text = pool::database_url(dest)?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(dest_text)
        .execute(conn)?;
    Ok(())
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

/// Deletes the oldest automatic pre-import backups beyond `keep`; returns how many went.
pub fn prune_import_backups(db: &Path, keep: usize) -> AppResult<usize> {
    let dir = match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = format!("{}.backup.", file_name(db));
    let entries = std::fs::read_dir(&dir).map_err(|e| AppError::io("cannot list", &dir, e))?;
    let mut automatic: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix(&prefix))
                .is_some_and(is_import_stamp)
        })
        .collect();
    // The stamp sorts chronologically, so name order is age order.
    automatic.sort();
    let excess = automatic.len().saturating_sub(keep);
    for old in &automatic[..excess] {
        std::fs::remove_file(old).map_err(|e| AppError::io("cannot delete old backup", old, e))?;
    }
    Ok(excess)
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
