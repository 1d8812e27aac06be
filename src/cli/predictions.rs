//! `sdreview predictions import FILE`: classifier output written back into `ml_predictions`,
//! one `{"image_id": 42, "predictions": {...}}` per line (`-` reads standard input).

use std::io::Read;
use std::path::PathBuf;

use crate::config::Paths;
use crate::db::predictions;
use crate::error::{AppError, AppResult};

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
    let mut text = String::new();
    if file.as_os_str() == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| AppError::io("cannot read", "standard input", e))?;
    } else {
        text = std::fs::read_to_string(&file)
            .map_err(|e| AppError::io("cannot read the predictions file", &file, e))?;
    }
    let pool = crate::db::open(&paths.existing_database()?)?;
    let report = predictions::import_lines(&mut *pool.get()?, text.lines())?;
    if json {
        return super::print_json(&report);
    }
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
    Ok(())
}
