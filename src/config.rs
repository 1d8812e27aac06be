//! Where the library and the database are: flags, then environment, then defaults that work
//! from the folder that holds the library.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, clap::Args)]
pub struct Paths {
    /// The output library: one sub-folder per generation session.
    #[arg(
        long,
        env = "SDREVIEW_LIBRARY",
        default_value = "apioutput",
        global = true
    )]
    pub library: PathBuf,
    /// The SQLite database file (created when missing).
    #[arg(
        long,
        env = "SDREVIEW_DB",
        default_value = "metadata.db",
        global = true
    )]
    pub db: PathBuf,
}

impl Paths {
    /// The library folder, checked to exist and be a folder.
    pub fn library_root(&self) -> AppResult<PathBuf> {
        match std::fs::metadata(&self.library) {
            Ok(meta) if meta.is_dir() => Ok(self.library.clone()),
            Ok(_) => Err(AppError::Config(format!(
                "the library path {} is not a folder: pass --library DIR or set SDREVIEW_LIBRARY",
                self.library.display()
            ))),
            Err(_) => Err(AppError::Config(format!(
                "the library folder {} does not exist: pass --library DIR or set SDREVIEW_LIBRARY",
                self.library.display()
            ))),
        }
    }

    /// The database of a command that only reads: it must exist already.
    pub fn existing_database(&self) -> AppResult<PathBuf> {
        if !self.db.is_file() {
            return Err(AppError::Config(format!(
                "there is no database at {}: run `sdreview import` first, or pass --db FILE",
                self.db.display()
            )));
        }
        self.database()
    }

    /// The database path, checked to be writable (the file is created if missing).
    pub fn database(&self) -> AppResult<PathBuf> {
        ensure_writable(&self.db)?;
        Ok(self.db.clone())
    }
}

pub fn ensure_writable(db: &Path) -> AppResult<()> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(db)
        .map(|_| ())
        .map_err(|e| {
            AppError::Config(format!(
                "cannot write the database {} ({e}): pass --db FILE or set SDREVIEW_DB to a writable path",
                db.display()
            ))
        })
}
