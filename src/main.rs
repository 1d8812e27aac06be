use std::process::ExitCode;

use clap::Parser;
use sdreview::cli::{Cli, Command, run};
use sdreview::error::error_chain;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_)) {
        // Rust ignores SIGPIPE, so a print to a reader that has gone (`sdreview stats | head`)
        // panics. A command that prints ends quietly instead, as `cat` does; the server keeps
        // ignoring it, so a client that hangs up only fails that client's write.
        sigpipe::reset();
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", error_chain(&error));
            ExitCode::FAILURE
        }
    }
}
