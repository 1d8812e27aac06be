//! `sdreview register <session dir> [--test]`: for the generator to call after a run. Imports
//! that one folder now (the same plan, read and write steps as `sdreview import`), safely
//! while the server runs on the same database; running it twice changes nothing more.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::Paths;
use crate::db::{self, session_edits, sessions};
use crate::domain::session_edit::SessionFlag;
use crate::error::{AppError, AppResult};
use crate::import::record::{Importer, RunKind};
use crate::import::{ImportOptions, Scope};

#[derive(Debug, clap::Args)]
pub struct RegisterArgs {
    /// The session folder the generator just wrote (inside the library).
    dir: PathBuf,
    /// Flag the session as a test run.
    #[arg(long)]
    test: bool,
    /// Print one JSON object instead of words.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Registered {
    folder: String,
    session_id: i32,
    images: usize,
    images_new: usize,
    images_updated: usize,
    broken_files: usize,
    is_test: bool,
    problems: Vec<crate::library::scan::Problem>,
}

pub fn run(paths: &Paths, args: &RegisterArgs) -> AppResult<()> {
    let root = paths.library_root()?;
    let root = root
        .canonicalize()
        .map_err(|e| AppError::io("cannot resolve the library folder", &root, e))?;
    let folder = folder_in_library(&root, &args.dir)?;
    let db_path = paths.database()?;
    let pool = db::open(&db_path)?;
    let importer = Importer {
        db_path: &db_path,
        pool: &pool,
        root: &root,
        // Refused all the same when the folder cannot be read; nobody else follows it here.
        reach: &crate::import::reach::LibraryReach::default(),
    };
    let options = ImportOptions {
        progress: false,
        // Called after every run of the generator: a copy of the database each time would be
        // hundreds a day, for a run that only adds rows.
        backup: false,
        read_delay: std::time::Duration::ZERO,
    };
    let report = importer.run(RunKind::Register, Scope::Folder(&folder), options, None)?;
    let mut conn = pool.get()?;
    let session = sessions::id_of_folder(&mut conn, &folder)?
        .ok_or_else(|| AppError::Task(format!("{folder} was imported but has no session row")))?;
    if args.test {
        db::write_transaction(&mut conn, |conn| {
            session_edits::set_flag(conn, session, SessionFlag::Test, true)
        })?;
    }
    let registered = Registered {
        folder,
        session_id: session.0,
        images: report.images_indexed,
        images_new: report.images_new,
        images_updated: report.images_updated,
        broken_files: report.broken_files,
        is_test: args.test,
        problems: report.problems,
    };
    if args.json {
        return super::print_json(&registered);
    }
    println!(
        "Registered {} (session {}): {} images, {} new, {} updated, {} broken{}.",
        registered.folder,
        registered.session_id,
        registered.images,
        registered.images_new,
        registered.images_updated,
        registered.broken_files,
        if args.test { "; flagged as a test" } else { "" }
    );
    for problem in &registered.problems {
        println!("  {}: {}", problem.path, problem.reason);
    }
    Ok(())
}

/// The name of `dir` under `root`, when `dir` is a session folder of the library.
fn folder_in_library(root: &Path, dir: &Path) -> AppResult<String> {
    let resolved = dir.canonicalize().map_err(|_| {
        AppError::BadInput(format!(
            "there is no folder {}: pass the session folder the generator wrote",
            dir.display()
        ))
    })?;
    if !resolved.is_dir() {
        return Err(AppError::BadInput(format!(
            "{} is not a folder: pass the session folder, not a file in it",
            dir.display()
        )));
    }
    let name = resolved
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.starts_with('.'));
    match (resolved.parent(), name) {
        (Some(parent), Some(name)) if parent == root => Ok(name.to_owned()),
        (Some(parent), None) if parent == root => Err(AppError::BadInput(format!(
            "{} cannot be a session: its name is hidden or not valid UTF-8; rename it",
            dir.display()
        ))),
        _ => Err(AppError::BadInput(format!(
            "{} is not a session folder of the library {}: pass a folder directly inside it, or --library with the library it belongs to",
            dir.display(),
            root.display()
        ))),
    }
}
