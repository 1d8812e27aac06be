//! Folders being written: each is imported once no event has arrived for it for the settle
//! time, and stays watched for a while after its last event, since a generator pauses
//! between images (a model load, a batch) and then goes on writing.

use std::collections::HashMap;
use std::time::{Duration, Instant};

pub struct Settling {
    settle: Duration,
    linger: Duration,
    folders: HashMap<String, Folder>,
}

struct Folder {
    last_event: Instant,
    /// An event arrived since the last import of this folder.
    pending: bool,
}

impl Settling {
    pub fn new(settle: Duration, linger: Duration) -> Settling {
        Settling {
            settle,
            linger,
            folders: HashMap::new(),
        }
    }

    /// Notes an event in `folder`; true when the folder was not watched yet.
    pub fn touch(&mut self, folder: &str, now: Instant) -> bool {
        match self.folders.get_mut(folder) {
            Some(known) => {
                known.last_event = now;
                known.pending = true;
                false
            }
            None => {
                let folder_state = Folder {
                    last_event: now,
                    pending: true,
                };
                self.folders.insert(folder.to_owned(), folder_state);
                true
            }
        }
    }

    /// Watches a folder written recently (before the server started) without importing it.
    pub fn adopt(&mut self, folder: &str, last_event: Instant) {
        self.folders.entry(folder.to_owned()).or_insert(Folder {
            last_event,
            pending: false,
        });
    }

    pub fn names(&self) -> Vec<String> {
        self.folders.keys().cloned().collect()
    }

    pub(super) fn len(&self) -> usize {
        self.folders.len()
    }

    /// Folders quiet for the settle time since their last event: to import now.
    pub fn due(&mut self, now: Instant) -> Vec<String> {
        let mut due = Vec::new();
        for (name, folder) in &mut self.folders {
            if folder.pending && now >= folder.last_event + self.settle {
                folder.pending = false;
                due.push(name.clone());
            }
        }
        due.sort();
        due
    }

    /// Folders with events not yet imported, settled or not.
    pub fn pending(&self) -> usize {
        self.folders.values().filter(|f| f.pending).count()
    }

    /// Marks every folder imported: a whole-library run is about to read them all.
    pub fn all_imported(&mut self) {
        for folder in self.folders.values_mut() {
            folder.pending = false;
        }
    }

    /// Folders quiet for the linger time: no longer watched.
    pub fn expired(&mut self, now: Instant) -> Vec<String> {
        let linger = self.linger;
        let mut gone = Vec::new();
        self.folders.retain(|name, folder| {
            let keep = folder.pending || now < folder.last_event + linger;
            if !keep {
                gone.push(name.clone());
            }
            keep
        });
        gone
    }

    /// When the next folder settles or stops being watched.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.folders
            .values()
            .map(|f| match f.pending {
                true => f.last_event + self.settle,
                false => f.last_event + self.linger,
            })
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTLE: Duration = Duration::from_secs(1);
    const LINGER: Duration = Duration::from_secs(60);

    #[test]
    fn a_folder_is_due_only_once_it_has_been_quiet_for_the_settle_time() {
        let start = Instant::now();
        let mut settling = Settling::new(SETTLE, LINGER);
        assert!(settling.touch("s1", start));
        assert!(!settling.touch("s1", start + Duration::from_millis(800)));
        assert!(settling.due(start + Duration::from_millis(1500)).is_empty());
        assert_eq!(settling.due(start + Duration::from_millis(1800)), ["s1"]);
        assert!(settling.due(start + Duration::from_millis(3000)).is_empty());
    }

    #[test]
    fn a_folder_written_again_after_its_import_is_due_again() {
        let start = Instant::now();
        let mut settling = Settling::new(SETTLE, LINGER);
        settling.touch("s1", start);
        assert_eq!(settling.due(start + SETTLE), ["s1"]);
        assert!(!settling.touch("s1", start + Duration::from_secs(5)));
        assert_eq!(settling.due(start + Duration::from_secs(6)), ["s1"]);
    }

    #[test]
    fn a_quiet_folder_stops_being_watched_after_the_linger_time_but_not_before_its_import() {
        let start = Instant::now();
        let mut settling = Settling::new(SETTLE, LINGER);
        settling.touch("s1", start);
        assert!(
            settling.expired(start + LINGER * 2).is_empty(),
            "not imported yet"
        );
        settling.due(start + LINGER * 2);
        assert!(settling.expired(start + LINGER / 2).is_empty());
        assert_eq!(settling.expired(start + LINGER * 3), ["s1"]);
        assert_eq!(settling.len(), 0);
    }

    #[test]
    fn folders_marked_imported_together_are_no_longer_pending_until_written_again() {
        let start = Instant::now();
        let mut settling = Settling::new(SETTLE, LINGER);
        settling.touch("a", start);
        settling.touch("b", start);
        assert_eq!(settling.pending(), 2);
        settling.all_imported();
        assert_eq!(settling.pending(), 0);
        assert!(settling.due(start + SETTLE).is_empty());
        settling.touch("b", start + SETTLE);
        assert_eq!(settling.pending(), 1);
    }

    #[test]
    fn the_next_deadline_is_the_nearest_settle_or_linger() {
        let start = Instant::now();
        let mut settling = Settling::new(SETTLE, LINGER);
        assert_eq!(settling.next_deadline(), None);
        settling.adopt("old", start);
        settling.touch("new", start);
        assert_eq!(settling.next_deadline(), Some(start + SETTLE));
        settling.due(start + SETTLE);
        assert_eq!(settling.next_deadline(), Some(start + LINGER));
    }
}
