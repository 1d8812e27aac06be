//! The sessions list's pictures (covers and strips), kept until something that can change one
//! happens: a rating (a like moves a cover), an image arriving, going or breaking, a session
//! edited. `analytics_version` counts exactly those (by trigger), so one indexed read tells
//! whether what is kept still holds. A page of 50 sessions then costs no picture query at all.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use diesel::SqliteConnection;
use diesel::result::QueryResult;

use crate::db::ids::SessionId;
use crate::db::session_pictures::{self, SessionPictures};
use crate::db::stats;

/// Past this many sessions kept, start again rather than grow (a session is a few dozen bytes).
const MAX_KEPT: usize = 20_000;

#[derive(Default)]
pub struct PictureCache {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    version: i64,
    strip: usize,
    pictures: HashMap<SessionId, SessionPictures>,
}

impl PictureCache {
    /// Each session's cover and up to `strip` more images, read only for sessions not kept.
    pub fn of_sessions(
        &self,
        conn: &mut SqliteConnection,
        sessions: &[SessionId],
        strip: usize,
    ) -> QueryResult<HashMap<SessionId, SessionPictures>> {
        let version = stats::version(conn)?;
        let mut found = HashMap::with_capacity(sessions.len());
        let mut missing = Vec::new();
        {
            let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
            if kept.version != version || kept.strip != strip {
                *kept = Kept {
                    version,
                    strip,
                    pictures: HashMap::new(),
                };
            }
            for id in sessions {
                match kept.pictures.get(id) {
                    Some(pictures) => {
                        found.insert(*id, pictures.clone());
                    }
                    None => missing.push(*id),
                }
            }
        }
        if missing.is_empty() {
            return Ok(found);
        }
        let read = session_pictures::of_sessions(conn, &missing, strip)?;
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        // Read at `version` or later: kept under `version`, it is at worst dropped too soon.
        let keep = kept.version == version;
        if keep && kept.pictures.len() + missing.len() > MAX_KEPT {
            kept.pictures.clear();
        }
        for id in missing {
            // A session with nothing to show is kept too, so it is not asked again.
            let pictures = read.get(&id).cloned().unwrap_or_default();
            if keep {
                kept.pictures.insert(id, pictures.clone());
            }
            found.insert(id, pictures);
        }
        Ok(found)
    }
}
