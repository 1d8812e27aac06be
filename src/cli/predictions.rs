//! `sdreview predictions import FILE`: classifier output written back into `ml_predictions`,
//! one `{"image_id": 42, "predictions": {...}}` per line (`-` reads standard input). The file
//! is read a piece at a time and written a chunk of lines per transaction, so its size does
//! not matter; a line longer than the limit stops the import there.

use std::io::Read;
use std::path::{Path, PathBuf};

use diesel::SqliteConnection;

use crate::config::Paths;
use crate::db::predictions::{self, Import, ImportReport};
use crate::domain::bounded_lines::{BoundedLines, TooLong};
use crate::domain::predictions::MAX_LINE;
use crate::error::{AppError, AppResult};

const READ: usize = 64 * 1024;

#[derive(Debug, clap::Subcommand)]
pub enum PredictionsCommand {
    /// Replace the predictions of every image a JSONL file names.
    Import {
        /// The JSONL file (`-` for standard input).
        file: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(paths: &Paths, command: PredictionsCommand) -> AppResult<()> {
    let PredictionsCommand::Import { file, json } = command;
    let pool = crate::db::open(&paths.existing_database()?)?;
    let mut conn = pool.get()?;
    let (report, stopped) = if file.as_os_str() == "-" {
        import(
            &mut conn,
            std::io::stdin().lock(),
            Path::new("standard input"),
        )?
    } else {
        let reader = std::fs::File::open(&file)
            .map_err(|e| AppError::io("cannot read the predictions file", &file, e))?;
        import(&mut conn, reader, &file)?
    };
    if json {
        super::print_json(&report)?;
    } else {
        print(&report);
    }
    match stopped {
        Some(too_long) => Err(AppError::BadInput(predictions::stopped_at(
            too_long, &report,
        ))),
        None => Ok(()),
    }
}

fn print(report: &ImportReport) {
    println!(
        "Applied {} lines; refused {}.",
        report.applied, report.refused_count
    );
    for refused in &report.refused {
        println!("  line {}: {}", refused.line, refused.error);
    }
    if report.refused_count > report.refused.len() {
        println!(
            "  ... and {} more",
            report.refused_count - report.refused.len()
        );
    }
}

/// The report, and the over-long line that stopped the import if one did.
fn import(
    conn: &mut SqliteConnection,
    mut reader: impl Read,
    name: &Path,
) -> AppResult<(ImportReport, Option<TooLong>)> {
    let mut lines = BoundedLines::new(MAX_LINE);
    let mut import = Import::default();
    let mut buffer = vec![0; READ];
    loop {
        let read = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(AppError::io("cannot read", name, e)),
        };
        if let Err(too_long) = lines.push(&buffer[..read], &mut |n, line| import.add(n, line)) {
            return Ok((import.finish(conn)?, Some(too_long)));
        }
        if import.is_full() {
            import.write(conn)?;
        }
    }
    lines.finish(&mut |n, line| import.add(n, line));
    Ok((import.finish(conn)?, None))
}
