//! A Python with pandas, Polars, pyarrow and DuckDB, for the tests that read exports the way a
//! data scientist does. `.ci/run` installs them into `target/pyenv` and names its Python in
//! `SDREVIEW_PYTHON`; without it, `target/pyenv` is tried; without either, those tests check
//! what they can in Rust and say that the readers were skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The Python to run the readers with, or None (a note says why).
pub fn with_readers() -> Option<PathBuf> {
    let candidate = std::env::var_os("SDREVIEW_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pyenv/bin/python"));
    let ready = Command::new(&candidate)
        .args(["-c", "import pandas, polars, pyarrow, duckdb"])
        .output()
        .is_ok_and(|output| output.status.success());
    if ready {
        Some(candidate)
    } else {
        eprintln!(
            "note: the pandas, Polars, pyarrow and DuckDB part is skipped: {} cannot import them \
             (run .ci/run, or set SDREVIEW_PYTHON to a Python that can)",
            candidate.display()
        );
        None
    }
}

/// Runs `script` with `python`, `args` after it, and returns its standard output; a failure
/// fails the test with Python's own words.
pub fn run(python: &Path, script: &str, args: &[&str]) -> String {
    let output = Command::new(python)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "python failed:\n{}\n--- script ---\n{script}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}
