//! The import report: one JSON object for scripts, the same facts in words for people.

use std::fmt;

use serde::Serialize;

use crate::library::scan::Problem;

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub sessions_found: usize,
    pub sessions_new: usize,
    pub sessions_updated: usize,
    pub sessions_vanished: usize,
    pub legacy_sessions: usize,
    pub manifest_errors: usize,
    pub images_found: usize,
    pub images_new: usize,
    pub images_updated: usize,
    /// Rows now in the database for files on disk.
    pub images_indexed: usize,
    pub images_vanished: usize,
    pub broken_files: usize,
    pub missing_listed: usize,
    pub unlisted_files: usize,
    pub elapsed_ms: u128,
    /// The process's peak resident memory, where the system tells it (Linux).
    pub peak_memory_kb: Option<u64>,
    pub backup: Option<String>,
    /// Why there is no backup before this import, when one was due and could not be made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_skipped: Option<String>,
    pub validation: Validation,
    pub problems: Vec<Problem>,
}

impl ImportReport {
    /// True when the run added, refreshed or marked gone any row.
    pub fn changed_anything(&self) -> bool {
        self.sessions_new
            + self.sessions_updated
            + self.sessions_vanished
            + self.images_new
            + self.images_updated
            + self.images_vanished
            > 0
    }
}

/// The database's counts held against what is on disk.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    pub ok: bool,
    pub sessions_on_disk: usize,
    pub sessions_in_database: usize,
    pub images_on_disk: usize,
    pub images_in_database: usize,
}

/// How many problems the words show; `--json` has them all.
const PROBLEMS_SHOWN: usize = 20;

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Sessions: {} found, {} new, {} updated, {} legacy (no manifest), {} with an invalid manifest{}.",
            self.sessions_found,
            self.sessions_new,
            self.sessions_updated,
            self.legacy_sessions,
            self.manifest_errors,
            vanished(self.sessions_vanished, "folder"),
        )?;
        writeln!(
            f,
            "Images: {} found, {} new, {} updated, {} indexed, {} broken{}.",
            self.images_found,
            self.images_new,
            self.images_updated,
            self.images_indexed,
            self.broken_files,
            vanished(self.images_vanished, "file"),
        )?;
        writeln!(
            f,
            "Manifests: {} listed files missing on disk, {} files on disk not listed.",
            self.missing_listed, self.unlisted_files
        )?;
        if let Some(backup) = &self.backup {
            writeln!(f, "Backup of the database before the import: {backup}")?;
        }
        if let Some(why) = &self.backup_skipped {
            writeln!(f, "No backup before this import: {why}")?;
        }
        let v = &self.validation;
        if v.ok {
            writeln!(
                f,
                "Validation: the database agrees with the disk ({} sessions, {} images).",
                v.sessions_in_database, v.images_in_database
            )?;
        } else {
            writeln!(
                f,
                "Validation FAILED: disk has {} sessions and {} images, the database {} and {}. Run the import again; if it persists, report it.",
                v.sessions_on_disk, v.images_on_disk, v.sessions_in_database, v.images_in_database
            )?;
        }
        if !self.problems.is_empty() {
            writeln!(f, "Problems ({}):", self.problems.len())?;
            for problem in self.problems.iter().take(PROBLEMS_SHOWN) {
                writeln!(f, "  {}: {}", problem.path, problem.reason)?;
            }
            if self.problems.len() > PROBLEMS_SHOWN {
                writeln!(
                    f,
                    "  ... and {} more (use --json to see them all)",
                    self.problems.len() - PROBLEMS_SHOWN
                )?;
            }
        }
        write!(f, "Done in {:.2} s.", self.elapsed_ms as f64 / 1000.0)
    }
}

fn vanished(count: usize, what: &str) -> String {
    match count {
        0 => String::new(),
        1 => format!(", 1 {what} gone from disk (kept in the database)"),
        n => format!(", {n} {what}s gone from disk (kept in the database)"),
    }
}

/// VmHWM from /proc/self/status: the most memory this process has held so far.
pub fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
