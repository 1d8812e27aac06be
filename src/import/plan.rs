//! Compares what is on disk with what the database knows, so that only new and changed files
//! are read. A file counts as changed when its size or its mtime (to the nanosecond) differs,
//! which catches a file rewritten in place.

use std::collections::HashMap;

use diesel::SqliteConnection;

use crate::db::ids::{ImageId, SessionId};
use crate::db::{images, sessions};
use crate::error::AppResult;
use crate::library::scan::{FileStat, LibraryScan, SessionDir};

/// What the database holds, keyed for comparison with a scan.
pub struct KnownState {
    sessions: HashMap<String, KnownSessionState>,
}

struct KnownSessionState {
    id: SessionId,
    signature: String,
    on_disk: bool,
    /// filename -> (id, size, mtime, on_disk)
    images: HashMap<String, (ImageId, i64, i64, bool)>,
}

impl KnownState {
    pub fn load(conn: &mut SqliteConnection) -> AppResult<KnownState> {
        let mut by_id = HashMap::new();
        let mut sessions = HashMap::new();
        for known in sessions::load_known(conn)? {
            by_id.insert(known.id, known.folder_name.clone());
            sessions.insert(
                known.folder_name,
                KnownSessionState {
                    id: known.id,
                    signature: known.source_signature,
                    on_disk: known.on_disk,
                    images: HashMap::new(),
                },
            );
        }
        for image in images::load_known(conn)? {
            let Some(session) = by_id
                .get(&image.session_id)
                .and_then(|f| sessions.get_mut(f))
            else {
                continue;
            };
            session.images.insert(
                image.filename,
                (
                    image.id,
                    image.file_size,
                    image.file_mtime_ns,
                    image.on_disk,
                ),
            );
        }
        Ok(KnownState { sessions })
    }

    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }
}

/// One session folder that needs reading.
pub struct SessionWork<'a> {
    pub dir: &'a SessionDir,
    pub existing: Option<SessionId>,
    /// The files to probe, each with its row id when the database knows it already.
    pub files: Vec<(&'a FileStat, Option<ImageId>)>,
}

#[derive(Default)]
pub struct Plan<'a> {
    pub work: Vec<SessionWork<'a>>,
    pub vanished_sessions: Vec<SessionId>,
    pub vanished_images: Vec<ImageId>,
}

impl Plan<'_> {
    pub fn files_to_read(&self) -> usize {
        self.work.iter().map(|w| w.files.len()).sum()
    }

    pub fn writes_anything(&self) -> bool {
        !(self.work.is_empty()
            && self.vanished_sessions.is_empty()
            && self.vanished_images.is_empty())
    }
}

pub fn plan<'a>(scan: &'a LibraryScan, known: &KnownState) -> Plan<'a> {
    let mut plan = Plan::default();
    let mut seen = std::collections::HashSet::new();
    for dir in &scan.sessions {
        seen.insert(dir.folder_name.as_str());
        let Some(state) = known.sessions.get(&dir.folder_name) else {
            plan.work.push(SessionWork {
                dir,
                existing: None,
                files: dir.images.iter().map(|f| (f, None)).collect(),
            });
            continue;
        };
        // Without a manifest the images are the only source of the session's facts, so any
        // change there re-reads them all; with one, only what changed is read.
        let whole =
            !state.on_disk || state.signature != dir.source_signature() || dir.manifest.is_none();
        let mut files = Vec::new();
        let mut any_changed = false;
        for file in &dir.images {
            let known_file = state.images.get(&file.name);
            let changed = match known_file {
                Some(&(_, size, mtime, on_disk)) => {
                    !on_disk || size != file.size as i64 || mtime != file.mtime_ns
                }
                None => true,
            };
            any_changed |= changed;
            if changed || whole {
                files.push((file, known_file.map(|k| k.0)));
            }
        }
        let on_disk_names: std::collections::HashSet<&str> =
            dir.images.iter().map(|f| f.name.as_str()).collect();
        let before = plan.vanished_images.len();
        plan.vanished_images.extend(
            state
                .images
                .iter()
                .filter(|(name, known)| known.3 && !on_disk_names.contains(name.as_str()))
                .map(|(_, known)| known.0),
        );
        let lost_files = plan.vanished_images.len() > before;
        let session_changed = state.signature != dir.source_signature() || !state.on_disk;
        if any_changed || session_changed || lost_files {
            plan.work.push(SessionWork {
                dir,
                existing: Some(state.id),
                files,
            });
        }
    }
    for (name, state) in &known.sessions {
        if state.on_disk && !seen.contains(name.as_str()) {
            plan.vanished_sessions.push(state.id);
            plan.vanished_images
                .extend(state.images.values().filter(|k| k.3).map(|k| k.0));
        }
    }
    plan
}
