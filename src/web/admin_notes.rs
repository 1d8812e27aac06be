//! What an admin form did, kept for the page the form redirects to (POST-redirect-GET): the
//! admin page takes it once. A person's own page (`/account`) keeps its notes here too, under
//! keys of its own. It is kept on the server, by the sign-in that acted, so a token
//! shown once is never put in an address; it is forgotten after a few minutes if the page
//! is never asked for.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::views::admin::Flash;

/// Long enough for any redirect to be followed, short enough that a token is not kept long.
const KEPT: Duration = Duration::from_secs(120);

/// What happened: done (with its message, and a token to show once), or refused and why.
pub enum Note {
    Done(Flash),
    Refused(String),
}

#[derive(Default)]
pub struct AdminNotes {
    notes: Mutex<HashMap<String, (Instant, Note)>>,
}

impl AdminNotes {
    /// Keeps `note` for whoever `key` names (a sign-in), replacing what was kept for them.
    pub fn keep(&self, key: String, note: Note) {
        let mut notes = self.notes.lock().unwrap_or_else(PoisonError::into_inner);
        notes.retain(|_, (at, _)| at.elapsed() < KEPT);
        notes.insert(key, (Instant::now(), note));
    }

    /// The note kept for `key`, once: a second look finds nothing.
    pub fn take(&self, key: &str) -> Option<Note> {
        let mut notes = self.notes.lock().unwrap_or_else(PoisonError::into_inner);
        let (at, note) = notes.remove(key)?;
        (at.elapsed() < KEPT).then_some(note)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_taken_once_and_only_by_its_sign_in() {
        let notes = AdminNotes::default();
        notes.keep("mine".into(), Note::Refused("no".into()));
        assert!(notes.take("theirs").is_none());
        assert!(matches!(notes.take("mine"), Some(Note::Refused(why)) if why == "no"));
        assert!(notes.take("mine").is_none());
    }
}
