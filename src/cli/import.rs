use std::io::IsTerminal;

use crate::config::Paths;
use crate::error::{AppError, AppResult};
use crate::import::record::{Importer, RunKind};
use crate::import::{ImportOptions, Scope};

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Print one JSON report on stdout instead of words.
    #[arg(long)]
    json: bool,
    /// Do not back the database up before writing to it.
    #[arg(long)]
    no_backup: bool,
    /// Make every file take this long to read (benchmarks: stands for a slow disk).
    #[arg(long, hide = true, default_value_t = 0)]
    read_delay_ms: u64,
}

pub fn run(paths: &Paths, args: &ImportArgs) -> AppResult<()> {
    let root = paths.library_root()?;
    let db_path = paths.database()?;
    let pool = crate::db::open(&db_path)?;
    let options = ImportOptions {
        progress: !args.json && std::io::stdout().is_terminal(),
        backup: !args.no_backup,
        read_delay: std::time::Duration::from_millis(args.read_delay_ms),
    };
    let importer = Importer {
        db_path: &db_path,
        pool: &pool,
        root: &root,
        // Refused all the same when the folder cannot be read; nobody else follows it here.
        reach: &crate::import::reach::LibraryReach::default(),
    };
    let report = importer.run(RunKind::Cli, Scope::Library, options, None)?;
    if args.json {
        super::print_json(&report)?;
    } else {
        println!("{report}");
    }
    if report.validation.ok {
        Ok(())
    } else {
        Err(AppError::Task(
            "the database does not agree with the disk after the import".to_owned(),
        ))
    }
}
