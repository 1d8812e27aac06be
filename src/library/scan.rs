//! Walks the library: one entry per session folder with the size and mtime of every image file.
//! Only directory listings and `stat`s: an unchanged library is compared without opening a file.

use std::fs::{self, Metadata};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;

pub const MANIFEST: &str = "manifest.json";
pub const LEGACY_CONFIG: &str = "session_config.txt";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStat {
    pub name: String,
    pub size: u64,
    pub mtime_ns: i64,
}

#[derive(Debug, Clone)]
pub struct SessionDir {
    pub folder_name: String,
    pub path: PathBuf,
    pub mtime_ns: i64,
    pub images: Vec<FileStat>,
    pub manifest: Option<FileStat>,
    pub config: Option<FileStat>,
}

impl SessionDir {
    /// Changes when manifest.json or session_config.txt appears, vanishes or is rewritten.
    pub fn source_signature(&self) -> String {
        let part = |f: &Option<FileStat>| match f {
            Some(f) => format!("{}:{}", f.size, f.mtime_ns),
            None => "-".to_owned(),
        };
        format!(
            "manifest={};config={}",
            part(&self.manifest),
            part(&self.config)
        )
    }
}

/// Something on disk that could not be taken in, with the path relative to the library root.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct LibraryScan {
    pub sessions: Vec<SessionDir>,
    pub problems: Vec<Problem>,
}

pub fn is_image_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".webp"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

pub fn mtime_ns(meta: &Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Lists the session folders of `root` and their files, in parallel. Fails only when the root
/// itself cannot be listed; anything else becomes a problem in the result.
pub fn scan_library(root: &Path) -> std::io::Result<LibraryScan> {
    let mut problems = Vec::new();
    let mut folders = Vec::new();
    for entry in fs::read_dir(root)? {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(Problem {
                    path: String::new(),
                    reason: format!("cannot list the library: {e}"),
                });
                continue;
            }
        };
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        // Symlinked folders are not followed: images are only ever read inside the root.
        if !file_type.is_dir() {
            continue;
        }
        match entry.file_name().into_string() {
            Ok(name) if name.starts_with('.') => {}
            Ok(name) => folders.push(name),
            Err(raw) => problems.push(Problem {
                path: raw.to_string_lossy().into_owned(),
                reason: "folder name is not valid UTF-8; rename it to import it".to_owned(),
            }),
        }
    }
    folders.sort();
    let results: Vec<(Option<SessionDir>, Vec<Problem>)> = folders
        .par_iter()
        .map(|name| scan_session(root, name))
        .collect();
    let mut sessions = Vec::with_capacity(results.len());
    for (session, mut session_problems) in results {
        sessions.extend(session);
        problems.append(&mut session_problems);
    }
    Ok(LibraryScan { sessions, problems })
}

/// Lists one session folder, by its name under `root`. A folder that is not there (removed or
/// renamed away), or is not a plain folder, gives an empty listing: the plan then marks what
/// the database knew of it as gone.
pub fn scan_folder(root: &Path, folder_name: &str) -> LibraryScan {
    let is_folder = fs::symlink_metadata(root.join(folder_name)).is_ok_and(|m| m.is_dir());
    if !is_folder || folder_name.starts_with('.') {
        return LibraryScan::default();
    }
    let (session, problems) = scan_session(root, folder_name);
    LibraryScan {
        sessions: session.into_iter().collect(),
        problems,
    }
}

fn scan_session(root: &Path, folder_name: &str) -> (Option<SessionDir>, Vec<Problem>) {
    let path = root.join(folder_name);
    let mut problems = Vec::new();
    let problem = |file: &str, reason: String| Problem {
        path: if file.is_empty() {
            folder_name.to_owned()
        } else {
            format!("{folder_name}/{file}")
        },
        reason,
    };
    let (entries, dir_meta) = match (fs::read_dir(&path), fs::metadata(&path)) {
        (Ok(entries), Ok(meta)) => (entries, meta),
        (Err(e), _) | (_, Err(e)) => {
            problems.push(problem("", format!("cannot read the session folder: {e}")));
            return (None, problems);
        }
    };
    let mut session = SessionDir {
        folder_name: folder_name.to_owned(),
        mtime_ns: mtime_ns(&dir_meta),
        path,
        images: Vec::new(),
        manifest: None,
        config: None,
    };
    for entry in entries.flatten() {
        let name = match entry.file_name().into_string() {
            Ok(name) => name,
            Err(raw) => {
                let shown = raw.to_string_lossy().into_owned();
                if is_image_name(&shown) {
                    problems.push(problem(
                        &shown,
                        "file name is not valid UTF-8; rename it to import it".to_owned(),
                    ));
                }
                continue;
            }
        };
        // Hidden files are other programs' temporary files (`.00001.png.part`): the finished
        // file arrives under its own name by a rename.
        if name.starts_with('.') {
            continue;
        }
        let is_image = is_image_name(&name);
        if !(is_image || name == MANIFEST || name == LEGACY_CONFIG) {
            continue;
        }
        // A file removed between the listing and the stat was a temporary one: skip it.
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let stat = FileStat {
            size: meta.len(),
            mtime_ns: mtime_ns(&meta),
            name,
        };
        if is_image {
            session.images.push(stat);
        } else if stat.name == MANIFEST {
            session.manifest = Some(stat);
        } else {
            session.config = Some(stat);
        }
    }
    session.images.sort_by(|a, b| a.name.cmp(&b.name));
    (Some(session), problems)
}
