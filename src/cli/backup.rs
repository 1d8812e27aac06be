use std::path::PathBuf;

use crate::config::Paths;
use crate::db::backup::{self, BackupKind};
use crate::error::{AppError, AppResult};

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Where to write the copy (default: beside the database, named with the time).
    #[arg(long)]
    output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The backup file to restore.
    #[arg(long)]
    backup: PathBuf,
}

pub fn run_backup(paths: &Paths, args: &BackupArgs) -> AppResult<()> {
    let db_path = paths.existing_database()?;
    let pool = crate::db::open(&db_path)?;
    let mut conn = pool.get()?;
    let written = match &args.output {
        Some(output) => {
            backup::write_to(&mut conn, output)?;
            output.clone()
        }
        None => backup::write(&mut conn, &db_path, BackupKind::Manual)?,
    };
    println!("Backup written to {}", written.display());
    Ok(())
}

pub fn run_restore(paths: &Paths, args: &RestoreArgs) -> AppResult<()> {
    if !args.backup.is_file() {
        return Err(AppError::Config(format!(
            "no backup file at {}",
            args.backup.display()
        )));
    }
    let replaced = crate::db::restore::restore(&paths.db, &args.backup)?;
    println!(
        "Restored {} from {}",
        paths.db.display(),
        args.backup.display()
    );
    if let Some(replaced) = replaced {
        println!(
            "The database it replaced was kept as {}",
            replaced.display()
        );
    }
    Ok(())
}
