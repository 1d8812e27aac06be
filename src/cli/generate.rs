use std::path::PathBuf;

use crate::error::{AppError, AppResult};
use crate::synth::{LibrarySpec, generate};

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// The folder to write the library into (created; must be empty or missing).
    output: PathBuf,
    /// The benchmark library (1,000 sessions, ~30,000 images) instead of a small one.
    #[arg(long)]
    benchmark: bool,
    /// Number of sessions (overrides the preset).
    #[arg(long)]
    sessions: Option<usize>,
    /// Average images per session (overrides the preset).
    #[arg(long)]
    images_per_session: Option<usize>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(args: &GenerateArgs) -> AppResult<()> {
    if std::fs::read_dir(&args.output).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(AppError::Config(format!(
            "{} is not empty: give a new folder to generate into",
            args.output.display()
        )));
    }
    let mut spec = if args.benchmark {
        LibrarySpec::benchmark()
    } else {
        LibrarySpec::small()
    };
    spec.seed = args.seed;
    if let Some(sessions) = args.sessions {
        spec.sessions = sessions;
    }
    if let Some(per_session) = args.images_per_session {
        spec.images_per_session = per_session;
    }
    std::fs::create_dir_all(&args.output)
        .map_err(|e| AppError::io("cannot create", &args.output, e))?;
    let expected = generate(&args.output, &spec)
        .map_err(|e| AppError::io("cannot write the library in", &args.output, e))?;
    super::print_json(&expected)
}
