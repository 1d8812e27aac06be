//! Import benchmark (issue: foundation). Generates the benchmark library once (1,000 sessions,
//! ~30,000 images) under target/, then times the real binary: a first import into an empty
//! database, an unchanged re-run, and a re-run after one file was rewritten in place. Prints
//! medians against the targets. Run: `cargo bench --bench import` (SDREVIEW_BENCH_RUNS=N).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use sdreview::synth::{Expected, LibrarySpec, generate};

const FIRST_IMPORT_S: f64 = 3.0;
const RERUN_S: f64 = 0.5;
const DATABASE_MB: f64 = 30.0;
const PEAK_MEMORY_MB: f64 = 200.0;

struct Run {
    wall_s: f64,
    report: serde_json::Value,
}

fn main() {
    let runs: usize = std::env::var("SDREVIEW_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("import-bench");
    let library = work.join("apioutput");
    let expected = ensure_library(&library);
    let db = work.join("metadata.db");
    println!(
        "library: {} sessions, {} images ({} broken) in {}",
        expected.sessions_found,
        expected.images_found,
        expected.broken_files,
        library.display()
    );

    fresh_db(&db);
    import(&library, &db); // warms the page cache, as the targets assume
    let mut first = Vec::new();
    let mut size_mb = 0.0;
    for _ in 0..runs {
        fresh_db(&db);
        let run = import(&library, &db);
        check_counts(&run.report, &expected);
        assert_eq!(run.report["images_new"], expected.images_found);
        size_mb = database_mb(&db);
        first.push(run);
    }
    let mut unchanged = Vec::new();
    for _ in 0..runs {
        let run = import(&library, &db);
        assert_eq!(run.report["images_new"], 0);
        assert_eq!(run.report["images_updated"], 0);
        unchanged.push(run);
    }
    let victim = a_png(&library);
    let mut rewritten = Vec::new();
    for _ in 0..runs {
        let bytes = std::fs::read(&victim).unwrap();
        std::fs::write(&victim, bytes).unwrap();
        let run = import(&library, &db);
        assert_eq!(
            run.report["images_updated"], 1,
            "the rewritten file is noticed"
        );
        rewritten.push(run);
    }

    let peak = first
        .iter()
        .filter_map(|r| r.report["peak_memory_kb"].as_f64())
        .fold(0.0, f64::max)
        / 1024.0;
    println!(
        "\n{:<38} {:>10} {:>10} {:>10}",
        "measure (median of runs)", "wall", "in-report", "target"
    );
    row("first import, empty database", &first, FIRST_IMPORT_S);
    row("re-run, nothing changed", &unchanged, RERUN_S);
    row("re-run, one file rewritten in place", &rewritten, RERUN_S);
    println!(
        "{:<38} {:>9.1}M {:>10} {:>9.0}M {}",
        "database size",
        size_mb,
        "",
        DATABASE_MB,
        verdict(size_mb <= DATABASE_MB)
    );
    println!(
        "{:<38} {:>9.1}M {:>10} {:>9.0}M {}",
        "peak memory, first import",
        peak,
        "",
        PEAK_MEMORY_MB,
        verdict(peak <= PEAK_MEMORY_MB)
    );
    println!(
        "\nruns: {runs}; first import wall times (s): {:?}",
        first.iter().map(|r| round(r.wall_s)).collect::<Vec<_>>()
    );
}

fn ensure_library(library: &Path) -> Expected {
    let expected_file = library.with_file_name("expected.json");
    if let (Ok(text), true) = (std::fs::read_to_string(&expected_file), library.is_dir()) {
        return serde_json::from_str(&text).unwrap();
    }
    let _ = std::fs::remove_dir_all(library);
    println!("generating the benchmark library (once)...");
    let expected = generate(library, &LibrarySpec::benchmark()).unwrap();
    std::fs::write(&expected_file, serde_json::to_string(&expected).unwrap()).unwrap();
    expected
}

fn fresh_db(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

fn import(library: &Path, db: &Path) -> Run {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_sdreview"))
        .args([
            "--library",
            library.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "import",
            "--json",
            "--no-backup",
        ])
        .output()
        .unwrap();
    let wall_s = started.elapsed().as_secs_f64();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Run {
        wall_s,
        report: serde_json::from_slice(&output.stdout).unwrap(),
    }
}

fn check_counts(report: &serde_json::Value, expected: &Expected) {
    assert_eq!(report["images_indexed"], expected.images_found);
    assert_eq!(report["broken_files"], expected.broken_files);
    assert_eq!(report["missing_listed"], expected.missing_listed);
    assert_eq!(report["unlisted_files"], expected.unlisted_files);
    assert_eq!(report["validation"]["ok"], true);
}

fn database_mb(db: &Path) -> f64 {
    ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", db.display())).ok())
        .map(|m| m.len() as f64)
        .sum::<f64>()
        / (1024.0 * 1024.0)
}

fn a_png(library: &Path) -> PathBuf {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(library)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    folders.sort();
    for folder in folders.iter().filter(|f| f.join("manifest.json").exists()) {
        let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        files.sort();
        if let Some(png) = files
            .into_iter()
            .find(|f| f.extension().is_some_and(|e| e == "png"))
        {
            return png;
        }
    }
    panic!("no PNG in the benchmark library");
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn row(label: &str, runs: &[Run], target_s: f64) {
    let wall = median(&mut runs.iter().map(|r| r.wall_s).collect::<Vec<_>>());
    let inside = median(
        &mut runs
            .iter()
            .map(|r| r.report["elapsed_ms"].as_f64().unwrap() / 1000.0)
            .collect::<Vec<_>>(),
    );
    println!(
        "{label:<38} {wall:>9.3}s {inside:>9.3}s {target_s:>9.1}s {}",
        verdict(wall <= target_s)
    );
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "MISSED" }
}

fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}
