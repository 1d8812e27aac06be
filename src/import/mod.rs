//! `sdreview import`: ties the library readers to the database.
//!
//! Scan (listings and stats only) -> plan (what changed since the last run) -> backup (only
//! when something will be written) -> read changed files in parallel while one writer stores
//! them in large transactions -> report, validated against the database.

mod image_facts;
mod plan;
pub mod reach;
mod read;
pub mod record;
mod report;
mod session_facts;
pub mod status;
mod write;

use std::path::Path;
use std::sync::mpsc;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

pub use report::{ImportReport, Validation};

use crate::db::backup::{self, BackupKind};
use crate::db::backup_files::{self, IMPORT_BACKUPS_KEPT};
use crate::db::library_state::{library_problems, library_state};
use crate::db::{images, pool, sessions};
use crate::error::{AppError, AppResult};
use crate::library::scan::{scan_folder, scan_library};

#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// Draw a progress bar (only ever on a terminal).
    pub progress: bool,
    /// Back up a non-empty database before writing to it.
    pub backup: bool,
    /// Makes every file take at least this long to read, standing for a slow disk or network
    /// share. Tests and the benchmark use it to show that a slow read never holds the
    /// database's write lock; zero in real use.
    pub read_delay: std::time::Duration,
}

/// A file cut short this recently may be one the generator is still writing.
const STILL_WRITING_NS: i64 = 60 * 1_000_000_000;

/// Parts queued between the readers and the writer, and the bytes they may hold together: the
/// import's memory stays bounded whatever the library holds.
const QUEUE_PARTS: usize = 64;
const QUEUE_BYTES: usize = 32 << 20;

/// What one run looks at: the whole library, or one session folder (by its name under the
/// root) when the watcher or `sdreview register` knows which folder changed.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    Library,
    Folder(&'a str),
}

pub fn import_library(
    db_path: &Path,
    pool: &pool::Pool,
    root: &Path,
    options: ImportOptions,
) -> AppResult<ImportReport> {
    let mut committed = Committed::default();
    import(
        db_path,
        pool,
        root,
        Scope::Library,
        options,
        None,
        &mut committed,
    )
}

/// What a run had found and committed so far: a run that fails part way is recorded with what
/// it did write, which stays in the database.
#[derive(Debug, Default, Clone)]
pub struct Committed {
    pub sessions_found: usize,
    pub images_found: usize,
    pub sessions_new: usize,
    pub sessions_updated: usize,
    pub images_new: usize,
    pub images_updated: usize,
    /// The backup written before, or why there is none although one was due.
    pub backup: Option<String>,
    pub backup_skipped: Option<String>,
}

/// One import of `scope`. `progress`, when given, is moved along as files are read (the admin
/// page shows it), whether or not a bar is drawn on a terminal. `committed` follows what is
/// written, transaction by transaction.
pub fn import(
    db_path: &Path,
    pool: &pool::Pool,
    root: &Path,
    scope: Scope<'_>,
    options: ImportOptions,
    progress: Option<&ProgressBar>,
    committed: &mut Committed,
) -> AppResult<ImportReport> {
    let started = Instant::now();
    let _lock = crate::db::file_lock::FileLock::acquire(db_path, "import-lock", "import")?;
    let folder = match scope {
        Scope::Library => None,
        Scope::Folder(name) => Some(name),
    };
    if let Some(bar) = progress {
        bar.set_message("listing the library's folders");
    }
    let scan = match folder {
        None => scan_library(root),
        Some(name) => scan_folder(root, name),
    }
    .map_err(|source| AppError::LibraryOffline {
        root: root.to_owned(),
        source,
    })?;
    committed.sessions_found = scan.sessions.len();
    committed.images_found = scan.sessions.iter().map(|s| s.images.len()).sum();
    let mut conn = pool.get()?;
    let known = plan::KnownState::load(&mut conn, folder)?;
    let plan = plan::plan(&scan, &known);

    // Without room for a backup the import still runs (it only adds what is on disk, and
    // keeping the library's index current matters more); the report says it went without.
    let (backup, backup_skipped) = if plan.writes_anything() && options.backup && !known.is_empty()
    {
        if let Some(bar) = progress {
            bar.set_message("backing up the database before changing it");
        }
        match backup::write(&mut conn, db_path, BackupKind::Import) {
            Ok(path) => {
                backup_files::prune_import_backups(db_path, IMPORT_BACKUPS_KEPT)?;
                (Some(path.display().to_string()), None)
            }
            Err(AppError::NoRoom(why)) => {
                tracing::warn!("importing without a backup: {why}");
                (None, Some(why))
            }
            Err(other) => return Err(other),
        }
    } else {
        (None, None)
    };
    committed.backup.clone_from(&backup);
    committed.backup_skipped.clone_from(&backup_skipped);

    let progress = match progress {
        Some(bar) => {
            bar.set_length(plan.files_to_read() as u64);
            bar.clone()
        }
        None => progress_bar(plan.files_to_read() as u64, options.progress),
    };
    let now = crate::db::now();
    let (sender, receiver) = mpsc::sync_channel(QUEUE_PARTS);
    let reading = read::Reading {
        progress: &progress,
        delay: options.read_delay,
    };
    let budget = crate::budget::Budget::new(QUEUE_BYTES);
    let outcome = std::thread::scope(|scope| {
        let readers = scope.spawn(|| {
            // Sessions with a large manifest are read one at a time, after the others: parsing
            // one takes several times its size in memory.
            let large = |work: &plan::SessionWork<'_>| {
                work.dir
                    .manifest
                    .as_ref()
                    .is_some_and(|m| m.size > read::LARGE_MANIFEST)
            };
            let send = |sender: &mut mpsc::SyncSender<read::SessionPart>,
                        part: read::SessionPart| {
                // A closed budget or channel means the writer failed; its error is what gets
                // reported.
                if budget.take(part.bytes) {
                    let _ = sender.send(part);
                }
            };
            plan.work
                .par_iter()
                .enumerate()
                .filter(|(_, work)| !large(work))
                .for_each_with(sender.clone(), |sender, (index, work)| {
                    read::read_session(index, work, now, &reading, &mut |part| send(sender, part));
                });
            let mut sender = sender;
            for (index, work) in plan.work.iter().enumerate().filter(|(_, w)| large(w)) {
                read::read_session(index, work, now, &reading, &mut |part| {
                    send(&mut sender, part)
                });
            }
        });
        let written = write::write_parts(&mut conn, receiver, &budget, committed);
        let read = readers
            .join()
            .map_err(|_| AppError::Task("a thread reading the library stopped".to_owned()));
        written.and_then(|outcome| read.map(|()| outcome))
    })?;
    progress.finish_and_clear();

    let sessions_vanished = sessions::mark_vanished(&mut conn, &plan.vanished_sessions)?;
    let images_vanished = images::mark_vanished(&mut conn, &plan.vanished_images)?;
    if plan.writes_anything() {
        pool::optimize(&mut conn)?;
        crate::db::search_cache::invalidate();
    }

    let listed_files: usize = scan.sessions.iter().map(|s| s.images.len()).sum();
    let images_found = listed_files - outcome.vanished.len();
    let state = library_state(&mut conn, folder)?;
    // Folders that could not be read keep what the database knew of them.
    let (mut sessions_kept, mut images_kept) = (0, 0);
    for name in &scan.unreadable {
        let kept = library_state(&mut conn, Some(name))?;
        sessions_kept += kept.sessions_on_disk as usize;
        images_kept += kept.images_on_disk as usize;
    }
    let mut problems = library_problems(&mut conn, folder, still_writing_since())?;
    problems.extend(scan.problems);
    problems.extend(outcome.vanished);
    problems.extend(outcome.problems);
    let validation = Validation {
        ok: state.sessions_on_disk as usize == scan.sessions.len() + sessions_kept
            && state.images_on_disk as usize == images_found + images_kept,
        sessions_on_disk: scan.sessions.len() + sessions_kept,
        sessions_in_database: state.sessions_on_disk as usize,
        images_on_disk: images_found + images_kept,
        images_in_database: state.images_on_disk as usize,
    };
    Ok(ImportReport {
        sessions_found: scan.sessions.len(),
        sessions_new: outcome.sessions_new,
        sessions_updated: outcome.sessions_updated,
        sessions_vanished,
        legacy_sessions: scan
            .sessions
            .iter()
            .filter(|s| s.manifest.is_none())
            .count(),
        manifest_errors: state.manifest_errors as usize,
        images_found,
        images_new: outcome.images_new,
        images_updated: outcome.images_updated,
        images_indexed: state.images_on_disk as usize,
        images_vanished,
        broken_files: state.broken as usize,
        missing_listed: state.missing_listed as usize,
        unlisted_files: state.unlisted as usize,
        elapsed_ms: started.elapsed().as_millis(),
        peak_memory_kb: report::peak_memory_kb(),
        backup,
        backup_skipped,
        validation,
        problems,
    })
}

fn progress_bar(total: u64, visible: bool) -> ProgressBar {
    if !visible || total == 0 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stdout());
    if let Ok(style) =
        ProgressStyle::with_template("Reading {human_pos}/{human_len} images {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    bar
}

/// Files modified after this time (ns since the epoch) may still be being written; pages
/// ask it when they are drawn, so "moments ago" always means now.
pub fn still_writing_since() -> i64 {
    now_ns() - STILL_WRITING_NS
}

fn now_ns() -> i64 {
    chrono::Utc::now().timestamp_nanos_opt().unwrap_or(i64::MAX)
}
