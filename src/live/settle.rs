//! Folders being written: each is imported once no event has arrived for it for the settle
//! time (or, written without a pause, every two settle times all the same), and stays watched
//! for a while after its last event, since a generator pauses between images (a model load, a
//! batch) and then goes on writing. At most so many folders are watched: past that, the one
//! written least recently gives its watch to the new one, so the folder a generator writes
//! into now is always watched, whatever was copied into the library before.

use std::collections::HashMap;
use std::time::{Duration, Instant};

pub struct Settling {
    settle: Duration,
    linger: Duration,
    max_watched: usize,
    folders: HashMap<String, Folder>,
}

struct Folder {
    last_event: Instant,
    /// The first event since the last import of this folder; None: nothing new to import.
    pending_since: Option<Instant>,
    /// An event arrived while the server ran: a folder only adopted at start (written before)
    /// is the first to give up its watch.
    active: bool,
    watched: bool,
}

impl Folder {
    fn import_at(&self, settle: Duration) -> Option<Instant> {
        let since = self.pending_since?;
        Some((self.last_event + settle).min(since + settle * 2))
    }
}

impl Settling {
    pub fn new(settle: Duration, linger: Duration, max_watched: usize) -> Settling {
        Settling {
            settle,
            linger,
            max_watched,
            folders: HashMap::new(),
        }
    }

    /// Notes an event in `folder`; true when the folder is not watched (new, or its watch was
    /// given to another).
    pub fn touch(&mut self, folder: &str, now: Instant) -> bool {
        let known = self
            .folders
            .entry(folder.to_owned())
            .or_insert_with(|| Folder {
                last_event: now,
                pending_since: None,
                active: true,
                watched: false,
            });
        known.last_event = now;
        known.pending_since.get_or_insert(now);
        known.active = true;
        !known.watched
    }

    /// Notes that `folder` is watched now. Past the limit, the folder written least recently
    /// (those only adopted at start first) gives up its watch: returned, to unwatch.
    pub fn watched(&mut self, folder: &str) -> Option<String> {
        self.folders.get_mut(folder)?.watched = true;
        if self.watched_count() <= self.max_watched {
            return None;
        }
        let (name, least_recent) = self
            .folders
            .iter_mut()
            .filter(|(name, f)| f.watched && name.as_str() != folder)
            .min_by_key(|(_, f)| (f.active, f.last_event))?;
        least_recent.watched = false;
        Some(name.clone())
    }

    /// Watches a folder written recently (before the server started) without importing it;
    /// false when the limit is reached (or it is known already): then it is not to be watched.
    pub fn adopt(&mut self, folder: &str, last_event: Instant) -> bool {
        if self.watched_count() >= self.max_watched || self.folders.contains_key(folder) {
            return false;
        }
        let adopted = Folder {
            last_event,
            pending_since: None,
            active: false,
            watched: true,
        };
        self.folders.insert(folder.to_owned(), adopted);
        true
    }

    pub fn watched_names(&self) -> Vec<String> {
        self.folders
            .iter()
            .filter(|(_, f)| f.watched)
            .map(|(name, _)| name.clone())
            .collect()
    }

    fn watched_count(&self) -> usize {
        self.folders.values().filter(|f| f.watched).count()
    }

    /// Folders quiet for the settle time since their last event, or waiting for twice that
    /// since their first: to import now.
    pub fn due(&mut self, now: Instant) -> Vec<String> {
        let mut due = Vec::new();
        for (name, folder) in &mut self.folders {
            if folder.import_at(self.settle).is_some_and(|at| now >= at) {
                folder.pending_since = None;
                due.push(name.clone());
            }
        }
        due.sort();
        due
    }

    /// Folders with events not yet imported, settled or not.
    pub fn pending(&self) -> usize {
        self.folders
            .values()
            .filter(|f| f.pending_since.is_some())
            .count()
    }

    /// Marks every folder imported: a whole-library run is about to read them all.
    pub fn all_imported(&mut self) {
        for folder in self.folders.values_mut() {
            folder.pending_since = None;
        }
    }

    /// Folders no longer followed: imported, and quiet for the linger time or not watched.
    /// Returns those that were watched, to unwatch.
    pub fn expired(&mut self, now: Instant) -> Vec<String> {
        let linger = self.linger;
        let mut gone = Vec::new();
        self.folders.retain(|name, folder| {
            let keep = folder.pending_since.is_some()
                || (folder.watched && now < folder.last_event + linger);
            if !keep && folder.watched {
                gone.push(name.clone());
            }
            keep
        });
        gone
    }

    /// When the next folder is due or stops being watched.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.folders
            .values()
            .filter_map(|f| {
                f.import_at(self.settle)
                    .or(f.watched.then_some(f.last_event + self.linger))
            })
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTLE: Duration = Duration::from_secs(1);
    const LINGER: Duration = Duration::from_secs(60);

    fn settling() -> Settling {
        Settling::new(SETTLE, LINGER, 256)
    }

    #[test]
    fn a_folder_is_due_only_once_it_has_been_quiet_for_the_settle_time() {
        let start = Instant::now();
        let mut settling = settling();
        assert!(settling.touch("s1", start));
        settling.watched("s1");
        assert!(!settling.touch("s1", start + Duration::from_millis(800)));
        assert!(settling.due(start + Duration::from_millis(1500)).is_empty());
        assert_eq!(settling.due(start + Duration::from_millis(1800)), ["s1"]);
        assert!(settling.due(start + Duration::from_millis(3000)).is_empty());
    }

    #[test]
    fn a_folder_written_without_a_pause_is_due_every_two_settle_times_all_the_same() {
        let start = Instant::now();
        let mut settling = settling();
        let mut due_at = Vec::new();
        for tenth in 0..50 {
            let now = start + Duration::from_millis(100 * tenth);
            settling.touch("busy", now);
            if !settling.due(now).is_empty() {
                due_at.push(tenth);
            }
        }
        assert_eq!(due_at, [20, 41], "in tenths of a second");
    }

    #[test]
    fn a_folder_written_again_after_its_import_is_due_again() {
        let start = Instant::now();
        let mut settling = settling();
        settling.touch("s1", start);
        assert_eq!(settling.due(start + SETTLE), ["s1"]);
        settling.touch("s1", start + Duration::from_secs(5));
        assert_eq!(settling.due(start + Duration::from_secs(6)), ["s1"]);
    }

    #[test]
    fn a_quiet_folder_stops_being_watched_after_the_linger_time_but_not_before_its_import() {
        let start = Instant::now();
        let mut settling = settling();
        settling.touch("s1", start);
        settling.watched("s1");
        assert!(
            settling.expired(start + LINGER * 2).is_empty(),
            "not imported yet"
        );
        settling.due(start + LINGER * 2);
        assert!(settling.expired(start + LINGER / 2).is_empty());
        assert_eq!(settling.expired(start + LINGER * 3), ["s1"]);
        assert!(settling.watched_names().is_empty());
        assert_eq!(settling.next_deadline(), None);
    }

    #[test]
    fn a_folder_never_watched_is_forgotten_once_imported() {
        let start = Instant::now();
        let mut settling = settling();
        settling.touch("a link", start);
        assert_eq!(settling.due(start + SETTLE), ["a link"]);
        assert!(
            settling.expired(start + SETTLE).is_empty(),
            "nothing to unwatch"
        );
        assert_eq!(settling.next_deadline(), None);
        assert!(settling.touch("a link", start + SETTLE * 2), "known afresh");
    }

    #[test]
    fn folders_marked_imported_together_are_no_longer_pending_until_written_again() {
        let start = Instant::now();
        let mut settling = settling();
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
        let mut settling = settling();
        assert_eq!(settling.next_deadline(), None);
        assert!(settling.adopt("old", start));
        settling.touch("new", start);
        settling.watched("new");
        assert_eq!(settling.next_deadline(), Some(start + SETTLE));
        settling.due(start + SETTLE);
        assert_eq!(settling.next_deadline(), Some(start + LINGER));
    }

    #[test]
    fn past_the_limit_the_adopted_then_the_least_recently_written_folder_gives_up_its_watch() {
        let start = Instant::now();
        let second = Duration::from_secs(1);
        let mut settling = Settling::new(SETTLE, LINGER, 3);
        assert!(settling.adopt("adopted", start));
        for (n, name) in ["a", "b"].into_iter().enumerate() {
            settling.touch(name, start + second * (n as u32 + 1));
            assert_eq!(settling.watched(name), None);
        }
        assert!(
            !settling.adopt("one too many", start),
            "the limit is reached"
        );

        settling.touch("a", start + second * 3);
        assert!(settling.touch("c", start + second * 4), "not watched yet");
        assert_eq!(settling.watched("c").as_deref(), Some("adopted"));
        assert!(settling.touch("d", start + second * 5));
        assert_eq!(
            settling.watched("d").as_deref(),
            Some("b"),
            "b wrote before a"
        );
        let mut watched = settling.watched_names();
        watched.sort();
        assert_eq!(watched, ["a", "c", "d"]);
        assert!(settling.touch("b", start + second * 6), "b lost its watch");
    }
}
