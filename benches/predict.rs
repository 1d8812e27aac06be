//! KO predictor benchmark (issue 18): `sdreview predict` on a copy of the web benchmark's
//! database (1,000,000 images, about 100,000 of them judged, built once and shared with
//! `cargo bench --bench web`): training on the judged images (both fits, every target) at
//! most 10 s, scoring every image at most 30 s, with the peak memory. Medians of
//! SDREVIEW_BENCH_RUNS runs (default 3). Needs GNU time at /usr/bin/time.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "web/dataset.rs"]
mod dataset;
#[path = "common/figures.rs"]
mod figures;
#[path = "web/fill.rs"]
mod fill;
#[path = "web/people.rs"]
mod people;
#[path = "web/prompts.rs"]
mod prompts;
#[path = "web/real_files.rs"]
mod real_files;
#[path = "web/sql.rs"]
mod sql;
#[path = "web/words.rs"]
mod words;

use std::path::{Path, PathBuf};
use std::process::Command;

const TRAIN_SECONDS: f64 = 10.0;
const SCORE_SECONDS: f64 = 30.0;

fn main() {
    let runs = figures::runs(3);
    let web = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-web");
    std::fs::create_dir_all(&web).unwrap();
    let dataset = dataset::ensure(&web);
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-predict");
    std::fs::create_dir_all(&work).unwrap();
    let (mut train, mut score, mut peak) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = serde_json::Value::Null;
    for _ in 0..runs {
        let db = work.join("predict.db");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        std::fs::copy(&dataset.db, &db).unwrap();
        // Migrated once, untimed: the copy is of the dataset as it was built.
        run(&db, &work, &["user", "list"]);
        let (stdout, peak_mb) = run(&db, &work, &["predict", "--json"]);
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        train.push(report["seconds"].as_f64().unwrap());
        score.push(report["scoring_seconds"].as_f64().unwrap());
        peak.push(peak_mb);
        last = report;
    }
    println!(
        "judged images: {}, features: {}, images scored: {}",
        last["judged"], last["features"], last["scored"]
    );
    summary(
        "training on the judged images",
        &mut train,
        "s",
        TRAIN_SECONDS,
    );
    summary("scoring every image", &mut score, "s", SCORE_SECONDS);
    let runs_text = format!("{peak:.0?}");
    println!(
        "{:<52} {:>9.0} MB  (runs {runs_text})",
        "peak memory of sdreview predict",
        figures::median(&mut peak)
    );
    let ko = &last["ko"];
    println!(
        "held out: {} images, {} KO; recall {} precision {} AUC {} (threshold {})",
        ko["held_out"], ko["positives"], ko["recall"], ko["precision"], ko["auc"], ko["threshold"]
    );
}

fn summary(label: &str, values: &mut [f64], unit: &str, target: f64) {
    let runs_text = format!("{values:.2?}");
    figures::row(label, figures::median(values), unit, target);
    println!("    runs {runs_text}");
}

/// The release binary on `db` under GNU time: its standard output and peak memory in MB.
fn run(db: &Path, work: &Path, args: &[&str]) -> (String, f64) {
    let output = Command::new("/usr/bin/time")
        .args(["-f", "peak_kb=%M"])
        .arg(env!("CARGO_BIN_EXE_sdreview"))
        .arg("--db")
        .arg(db)
        .arg("--library")
        .arg(work)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("GNU time at /usr/bin/time (apt-get install time)");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let peak_kb: f64 = stderr
        .lines()
        .find_map(|line| line.strip_prefix("peak_kb="))
        .and_then(|kb| kb.trim().parse().ok())
        .unwrap_or(f64::NAN);
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        peak_kb / 1024.0,
    )
}
