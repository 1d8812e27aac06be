//! Runs an import and keeps its outcome in `import_runs`, so the admin page can say when the
//! library was last looked at, what was found and what went wrong, whoever started the run.

use std::path::Path;

use indicatif::ProgressBar;

use super::reach::LibraryReach;
use super::{Committed, ImportOptions, ImportReport, Scope, import};
use crate::db::import_runs;
use crate::db::models::NewImportRun;
use crate::db::pool::Pool;
use crate::error::{AppError, AppResult, error_chain};

/// Who started a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    /// The server's import at start.
    Start,
    /// "Rescan now" on the admin page or `POST /api/sessions/import`.
    Rescan,
    /// The watcher, for one folder that changed.
    Watch,
    /// The watcher's periodic check of the whole library.
    Reconcile,
    /// `sdreview register`.
    Register,
    /// `sdreview import`.
    Cli,
}

impl RunKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RunKind::Start => "start",
            RunKind::Rescan => "rescan",
            RunKind::Watch => "watch",
            RunKind::Reconcile => "reconcile",
            RunKind::Register => "register",
            RunKind::Cli => "cli",
        }
    }
}

/// One place every caller goes through: the database, the library and who asked.
pub struct Importer<'a> {
    pub db_path: &'a Path,
    pub pool: &'a Pool,
    pub root: &'a Path,
    /// Told whether the library folder could be read.
    pub reach: &'a LibraryReach,
}

impl Importer<'_> {
    /// Imports `scope` and records the run, failed or not (but not the watcher's runs that
    /// changed nothing). A run that could not be recorded is only logged: the import itself
    /// went through.
    pub fn run(
        &self,
        kind: RunKind,
        scope: Scope<'_>,
        options: ImportOptions,
        progress: Option<&ProgressBar>,
    ) -> AppResult<ImportReport> {
        let started_at = crate::db::now();
        let mut committed = Committed::default();
        let result = import(
            self.db_path,
            self.pool,
            self.root,
            scope,
            options,
            progress,
            &mut committed,
        );
        match &result {
            Ok(_) => self.reach.readable(self.root),
            Err(AppError::LibraryOffline { source, .. }) => {
                self.reach.unreadable(self.root, source.to_string());
            }
            Err(_) => {}
        }
        let folder = match scope {
            Scope::Library => None,
            Scope::Folder(name) => Some(name),
        };
        let finished_at = crate::db::now();
        let elapsed_ms = (finished_at - started_at).num_milliseconds();
        let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
        let run = match &result {
            Ok(report) => NewImportRun {
                kind: kind.as_str(),
                folder,
                started_at,
                finished_at,
                elapsed_ms,
                sessions_found: count(report.sessions_found),
                sessions_new: count(report.sessions_new),
                sessions_updated: count(report.sessions_updated),
                images_found: count(report.images_found),
                images_new: count(report.images_new),
                images_updated: count(report.images_updated),
                broken_files: count(report.broken_files),
                manifest_errors: count(report.manifest_errors),
                problems: serde_json::to_string(&report.problems)?,
                error: None,
                backup: report.backup.as_deref(),
                backup_skipped: report.backup_skipped.as_deref(),
            },
            // What was committed before the failure stays in the database: said as it is.
            Err(error) => NewImportRun {
                kind: kind.as_str(),
                folder,
                started_at,
                finished_at,
                elapsed_ms,
                sessions_found: count(committed.sessions_found),
                sessions_new: count(committed.sessions_new),
                sessions_updated: count(committed.sessions_updated),
                images_found: count(committed.images_found),
                images_new: count(committed.images_new),
                images_updated: count(committed.images_updated),
                broken_files: 0,
                manifest_errors: 0,
                problems: "[]".to_owned(),
                error: Some(error_chain(error)),
                backup: committed.backup.as_deref(),
                backup_skipped: committed.backup_skipped.as_deref(),
            },
        };
        // The watcher's runs that found nothing to do would only bury the others.
        let quiet = matches!(kind, RunKind::Watch | RunKind::Reconcile)
            && result.as_ref().is_ok_and(|r| !r.changed_anything());
        if quiet {
            return result;
        }
        let recorded = self
            .pool
            .get()
            .map_err(crate::error::AppError::from)
            .and_then(|mut conn| Ok(import_runs::record(&mut conn, &run)?));
        if let Err(error) = recorded {
            tracing::warn!("could not record the import run: {}", error_chain(&error));
        }
        result
    }
}
