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
    /// Session folders listed by the root that could not be read themselves (permission
    /// refused, an I/O error): what the database knows of them is kept as it is.
    pub unreadable: Vec<String>,
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

/// Lists the session folders of `root` and their files, in parallel. Fails when the root
/// itself cannot be listed, whole: a share that dropped, a folder renamed away or refused must
/// not read as a library emptied. A session folder that cannot be read is `unreadable`, with a
/// problem; anything else becomes a problem in the result.
pub fn scan_library(root: &Path) -> std::io::Result<LibraryScan> {
    let mut problems = Vec::new();
    let mut folders = Vec::new();
    for entry in fs::read_dir(root)? {
        // A listing cut short would leave out folders that are there.
        let entry = entry?;
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
    let results: Vec<(String, Listing, Vec<Problem>)> = folders
        .into_par_iter()
        .map(|name| {
            let (listing, problems) = scan_session(root, &name);
            (name, listing, problems)
        })
        .collect();
    let mut scan = LibraryScan {
        problems,
        ..LibraryScan::default()
    };
    for (name, listing, mut session_problems) in results {
        scan.take(name, listing);
        scan.problems.append(&mut session_problems);
    }
    confirm_root(root)?;
    Ok(scan)
}

/// Lists one session folder, by its name under `root`. A folder that is not there (removed or
/// renamed away), or is not a plain folder, gives an empty listing: the plan then marks what
/// the database knew of it as gone. That absence only counts when the root itself can be
/// listed: otherwise this fails, as [`scan_library`] does.
pub fn scan_folder(root: &Path, folder_name: &str) -> std::io::Result<LibraryScan> {
    confirm_root(root)?;
    let mut scan = LibraryScan::default();
    if folder_name.starts_with('.') {
        return Ok(scan);
    }
    match fs::symlink_metadata(root.join(folder_name)) {
        Ok(meta) if meta.is_dir() => {
            let (listing, problems) = scan_session(root, folder_name);
            scan.take(folder_name.to_owned(), listing);
            scan.problems = problems;
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            scan.take(folder_name.to_owned(), Listing::Unreadable);
            scan.problems.push(unreadable_folder(folder_name, &e));
        }
    }
    // The root gone meanwhile would make every folder look gone.
    confirm_root(root)?;
    Ok(scan)
}

/// Fails unless `root` can be opened for listing now.
pub fn confirm_root(root: &Path) -> std::io::Result<()> {
    fs::read_dir(root).map(drop)
}

/// What reading one session folder gave.
enum Listing {
    Session(SessionDir),
    /// Listed by the root, and no longer there when read.
    Gone,
    /// There, but it could not be read whole; a problem says why.
    Unreadable,
}

impl LibraryScan {
    fn take(&mut self, name: String, listing: Listing) {
        match listing {
            Listing::Session(session) => self.sessions.push(session),
            Listing::Gone => {}
            Listing::Unreadable => self.unreadable.push(name),
        }
    }
}

fn unreadable_folder(folder_name: &str, error: &std::io::Error) -> Problem {
    Problem {
        path: folder_name.to_owned(),
        reason: format!(
            "cannot read the session folder ({error}): what was indexed of it is kept as it \
             was until it can be read"
        ),
    }
}

fn scan_session(root: &Path, folder_name: &str) -> (Listing, Vec<Problem>) {
    let path = root.join(folder_name);
    let mut problems = Vec::new();
    let problem = |file: &str, reason: String| Problem {
        path: format!("{folder_name}/{file}"),
        reason,
    };
    let unreadable = |error: std::io::Error| {
        if error.kind() == std::io::ErrorKind::NotFound {
            (Listing::Gone, Vec::new())
        } else {
            (
                Listing::Unreadable,
                vec![unreadable_folder(folder_name, &error)],
            )
        }
    };
    let (entries, dir_meta) = match (fs::read_dir(&path), fs::metadata(&path)) {
        (Ok(entries), Ok(meta)) => (entries, meta),
        (Err(e), _) | (_, Err(e)) => return unreadable(e),
    };
    let mut session = SessionDir {
        folder_name: folder_name.to_owned(),
        mtime_ns: mtime_ns(&dir_meta),
        path,
        images: Vec::new(),
        manifest: None,
        config: None,
    };
    for entry in entries {
        // A listing cut short would leave out images that are there.
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => return unreadable(e),
        };
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
        let meta = match entry.metadata() {
            Ok(meta) => meta,
            // Removed between the listing and the stat: a temporary file.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                let why = format!(
                    "cannot read the file ({e}): what was indexed of its session folder is \
                     kept as it was until it can be read"
                );
                return (Listing::Unreadable, vec![problem(&name, why)]);
            }
        };
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
    (Listing::Session(session), problems)
}
