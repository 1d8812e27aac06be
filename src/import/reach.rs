//! Whether the library folder can be read now. A share that dropped, or a folder renamed away
//! or refused, must never read as a library whose sessions were all deleted: the import then
//! fails with `AppError::LibraryOffline` before marking anything gone, and this keeps since
//! when, for the pages and the watcher. In memory only: after a restart, the first import finds
//! out again (and the log says so each time it changes).

use std::path::Path;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Local, Utc};

#[derive(Debug, Clone)]
pub struct Offline {
    pub since: DateTime<Utc>,
    /// What the system said when the folder was last tried.
    pub why: String,
}

impl Offline {
    /// "14:02" today, with the date on another day.
    pub fn since_short(&self) -> String {
        let since = self.since.with_timezone(&Local);
        if since.date_naive() == Local::now().date_naive() {
            since.format("%H:%M").to_string()
        } else {
            since.format("%Y-%m-%d %H:%M").to_string()
        }
    }

    pub fn since_full(&self) -> String {
        self.since
            .with_timezone(&Local)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    }
}

#[derive(Debug, Default)]
pub struct LibraryReach {
    offline: Mutex<Option<Offline>>,
}

impl LibraryReach {
    pub fn current(&self) -> Option<Offline> {
        self.lock().clone()
    }

    pub fn is_offline(&self) -> bool {
        self.lock().is_some()
    }

    /// The root could not be listed: offline from now on, or still offline since earlier.
    pub fn unreadable(&self, root: &Path, why: String) {
        let mut offline = self.lock();
        match offline.as_mut() {
            Some(known) => known.why = why,
            None => {
                tracing::error!(
                    "the library folder {} cannot be read ({why}): nothing is marked gone until \
                     it can be read again",
                    root.display()
                );
                *offline = Some(Offline {
                    since: Utc::now(),
                    why,
                });
            }
        }
    }

    /// The root was listed: back to normal, if it was offline.
    pub fn readable(&self, root: &Path) {
        if let Some(was) = self.lock().take() {
            tracing::warn!(
                "the library folder {} can be read again (it could not since {})",
                root.display(),
                was.since_full()
            );
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Offline>> {
        self.offline.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
