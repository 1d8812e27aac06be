//! The command line: one file per subcommand.

mod backup;
mod export;
mod generate;
mod hash;
mod import;
mod predict;
mod predictions;
mod recommend;
mod register;
mod serve;
mod stats;
mod user;

use clap::{Parser, Subcommand};

use crate::config::Paths;
use crate::error::AppResult;

#[derive(Debug, Parser)]
#[command(
    name = "sdreview",
    version,
    about = "Index, review and rate a Stable Diffusion output library"
)]
pub struct Cli {
    #[command(flatten)]
    pub paths: Paths,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app on the LAN (imports the library in the background first).
    Serve(serve::ServeArgs),
    /// Index the library into the database (first import and rescans).
    Import(import::ImportArgs),
    /// Export images with their metadata and verdicts (CSV, JSONL or Parquet).
    Export(export::ExportArgs),
    /// Import one session folder now (for the generator to call after a run).
    Register(register::RegisterArgs),
    /// Print library statistics.
    Stats(stats::StatsArgs),
    /// Write classifier predictions back (`ml_predictions`).
    #[command(subcommand)]
    Predictions(predictions::PredictionsCommand),
    /// Hash every image for near-duplicates now, on every core (the server does it in the
    /// background, at low priority).
    Hash(hash::HashArgs),
    /// Train the KO predictor on the verdicts now, print its held-out accuracy, and write
    /// every image's predicted KO probability (the server retrains in the background).
    Predict(predict::PredictArgs),
    /// The placeholder values to drop or keep for the next run, with the evidence; the
    /// winning prompts and values as files a generator reads.
    Recommend(recommend::RecommendArgs),
    /// Write a consistent copy of the database beside it.
    Backup(backup::BackupArgs),
    /// Replace the database with a backup (the current one is backed up first).
    Restore(backup::RestoreArgs),
    /// Manage users.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Manage access tokens.
    #[command(subcommand)]
    Token(user::TokenCommand),
    /// Write a synthetic library (for trying sdreview out, tests and benchmarks).
    Generate(generate::GenerateArgs),
}

pub fn run(cli: Cli) -> AppResult<()> {
    match cli.command {
        Command::Serve(args) => serve::run(&cli.paths, &args),
        Command::Import(args) => import::run(&cli.paths, &args),
        Command::Export(args) => export::run(&cli.paths, &args),
        Command::Register(args) => register::run(&cli.paths, &args),
        Command::Stats(args) => stats::run(&cli.paths, &args),
        Command::Predictions(command) => predictions::run(&cli.paths, command),
        Command::Hash(args) => hash::run(&cli.paths, &args),
        Command::Predict(args) => predict::run(&cli.paths, &args),
        Command::Recommend(args) => recommend::run(&cli.paths, &args),
        Command::Backup(args) => backup::run_backup(&cli.paths, &args),
        Command::Restore(args) => backup::run_restore(&cli.paths, &args),
        Command::User(command) => user::run_user(&cli.paths, command),
        Command::Token(command) => user::run_token(&cli.paths, command),
        Command::Generate(args) => generate::run(&args),
    }
}

fn print_json<T: serde::Serialize>(value: &T) -> AppResult<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
