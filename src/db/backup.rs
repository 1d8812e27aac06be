//! Consistent online backups (`VACUUM INTO`) and checked restores.
//!
//! Backups sit beside the database as `<db>.backup.<timestamp>[-kind]`. Only the automatic
//! pre-import ones are pruned; a backup someone asked for is never deleted by sdreview.

use std::path::{Path, PathBuf};

use diesel::sql_types::Text;
use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection};

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

fn file_name(db: &Path) -> String {
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
    super::schema_check::check(&mut conn).map_err(|why| refuse(&why))?;
    Ok(())
}

/// Replaces the database at `db` with the backup `source`. The database being replaced is
/// itself backed up first; returns that copy's path (None when there was no database). Refused
/// while a server runs on `db`; no server can start until the restored copy is migrated.
pub fn restore(db: &Path, source: &Path) -> AppResult<Option<PathBuf>> {
    let _no_server = super::server_lock::exclude_servers(db)?;
    check_is_sdreview_database(source)?;
    let replaced = if db.exists() && std::fs::metadata(db).map(|m| m.len() > 0).unwrap_or(false) {
        let mut conn = pool::establish(&pool::database_url(db)?)?;
        Some(write(&mut conn, db, BackupKind::BeforeRestore)?)
    } else {
        None
    };
    // Copy through SQLite so that a backup still carrying a -wal file comes over whole.
    let staging = db.with_file_name(format!("{}.restoring", file_name(db)));
    let _ = std::fs::remove_file(&staging);
    let url = format!("file:{}?mode=ro", pool::database_url(source)?);
    let mut source_conn = SqliteConnection::establish(&url)?;
    write_to(&mut source_conn, &staging)?;
    drop(source_conn);
    for side in ["-wal", "-shm"] {
        let side_file = db.with_file_name(format!("{}{side}", file_name(db)));
        match std::fs::remove_file(&side_file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(AppError::io("cannot remove", side_file, e)),
        }
    }
    std::fs::rename(&staging, db)
        .map_err(|e| AppError::io("cannot move the restored copy to", db, e))?;
    // Opening migrates a backup made by an older sdreview, before any server may start.
    pool::open(db)?;
    Ok(replaced)
}
