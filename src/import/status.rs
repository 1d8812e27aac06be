//! What the server's whole-library import is doing: the "Importing…" pill in the header and
//! the progress on the admin page. One such import at a time; the watcher's one-folder runs
//! are too short to show.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use indicatif::ProgressBar;

pub struct ImportStatus {
    running: AtomicBool,
    /// Never drawn: counts the files read so the admin page can show how far the run is.
    progress: ProgressBar,
    last_error: Mutex<Option<String>>,
}

impl Default for ImportStatus {
    fn default() -> Self {
        ImportStatus {
            running: AtomicBool::new(false),
            progress: ProgressBar::hidden(),
            last_error: Mutex::new(None),
        }
    }
}

/// Held while a whole-library import runs; the status goes back to idle when dropped.
pub struct Running(Arc<ImportStatus>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.running.store(false, Ordering::Release);
    }
}

impl Running {
    pub fn progress(&self) -> &ProgressBar {
        &self.0.progress
    }

    pub fn failed(&self, error: String) {
        *self
            .0
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(error);
    }
}

impl ImportStatus {
    pub fn is_running(&self) -> bool {
        self.running.load(Ordering::Acquire)
    }

    /// Marks a whole-library import as started; None when one already is.
    pub fn begin(self: &Arc<Self>) -> Option<Running> {
        self.running
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .ok()?;
        self.progress.set_position(0);
        self.progress.set_length(0);
        self.progress.set_message("");
        *self
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
        Some(Running(Arc::clone(self)))
    }

    /// Files read so far and files to read, while a run is going.
    pub fn files(&self) -> (u64, u64) {
        (
            self.progress.position(),
            self.progress.length().unwrap_or(0),
        )
    }

    /// What the run is doing now: a stage, or the session folder being read.
    pub fn doing(&self) -> String {
        self.progress.message()
    }

    /// Why the last whole-library import failed, if it did.
    pub fn last_error(&self) -> Option<String> {
        self.last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}
