//! Compares what is on disk with what the database knows, so that only new and changed files
//! are read. A file counts as changed when its size or its mtime (to the nanosecond) differs,
//! which catches a file rewritten in place.

use std::collections::{HashMap, HashSet};

use diesel::SqliteConnection;
use serde_json::{Map, Value};

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
    common: Option<Map<String, Value>>,
    images: HashMap<String, KnownFile>,
}

struct KnownFile {
    id: ImageId,
    size: i64,
    mtime_ns: i64,
    on_disk: bool,
}

impl KnownFile {
    fn differs_from(&self, file: &FileStat) -> bool {
        !self.on_disk || self.size != file.size as i64 || self.mtime_ns != file.mtime_ns
    }
}

impl KnownState {
    /// What the database knows of the whole library, or of one folder.
    pub fn load(conn: &mut SqliteConnection, folder: Option<&str>) -> AppResult<KnownState> {
        let mut commons: HashMap<SessionId, Map<String, Value>> =
            sessions::load_parameters_common(conn, folder)?
                .into_iter()
                .filter_map(|(id, text)| match serde_json::from_str(&text) {
                    Ok(Value::Object(map)) => Some((id, map)),
                    _ => None,
                })
                .collect();
        let mut folder_of = HashMap::new();
        let mut by_folder = HashMap::new();
        for known in sessions::load_known(conn, folder)? {
            folder_of.insert(known.id, known.folder_name.clone());
            by_folder.insert(
                known.folder_name,
                KnownSessionState {
                    id: known.id,
                    signature: known.source_signature,
                    on_disk: known.on_disk,
                    common: commons.remove(&known.id),
                    images: HashMap::new(),
                },
            );
        }
        for image in images::load_known(conn, folder)? {
            let session = folder_of
                .get(&image.session_id)
                .and_then(|folder| by_folder.get_mut(folder));
            if let Some(session) = session {
                let file = KnownFile {
                    id: image.id,
                    size: image.file_size,
                    mtime_ns: image.file_mtime_ns,
                    on_disk: image.on_disk,
                };
                session.images.insert(image.filename, file);
            }
        }
        Ok(KnownState {
            sessions: by_folder,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }
}

/// One session folder that needs reading.
pub struct SessionWork<'a> {
    pub dir: &'a SessionDir,
    pub existing: Option<SessionId>,
    /// The shared parameters stored for a known session.
    pub common: Option<Map<String, Value>>,
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
    // A folder that could not be read is there all the same: nothing of it is gone.
    let mut seen: HashSet<&str> = scan.unreadable.iter().map(String::as_str).collect();
    for dir in &scan.sessions {
        seen.insert(dir.folder_name.as_str());
        let Some(state) = known.sessions.get(&dir.folder_name) else {
            plan.work.push(SessionWork {
                dir,
                existing: None,
                common: None,
                files: dir.images.iter().map(|f| (f, None)).collect(),
            });
            continue;
        };
        let session_changed = !state.on_disk || state.signature != dir.source_signature();
        // Without a manifest the images are the only source of the session's facts, so any
        // change there re-reads them all; with one, only what changed is read.
        let whole = session_changed || dir.manifest.is_none();
        let changed: Vec<bool> = dir
            .images
            .iter()
            .map(|file| {
                state
                    .images
                    .get(&file.name)
                    .is_none_or(|k| k.differs_from(file))
            })
            .collect();
        let on_disk: HashSet<&str> = dir.images.iter().map(|f| f.name.as_str()).collect();
        let lost: Vec<ImageId> = state
            .images
            .iter()
            .filter(|(name, k)| k.on_disk && !on_disk.contains(name.as_str()))
            .map(|(_, k)| k.id)
            .collect();
        if !(session_changed || !lost.is_empty() || changed.contains(&true)) {
            continue;
        }
        let files = dir
            .images
            .iter()
            .zip(&changed)
            .filter(|(_, changed)| whole || **changed)
            .map(|(file, _)| (file, state.images.get(&file.name).map(|k| k.id)))
            .collect();
        plan.vanished_images.extend(lost);
        plan.work.push(SessionWork {
            dir,
            existing: Some(state.id),
            common: state.common.clone(),
            files,
        });
    }
    for (name, state) in &known.sessions {
        if state.on_disk && !seen.contains(name.as_str()) {
            plan.vanished_sessions.push(state.id);
            plan.vanished_images
                .extend(state.images.values().filter(|k| k.on_disk).map(|k| k.id));
        }
    }
    plan
}
