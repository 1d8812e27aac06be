//! Review benchmark (issue 9, section 6): how long from a decision to the next image drawn,
//! and how many bytes a decision costs on a phone.
//!
//! Builds a library of 512x768 PNGs (the synthetic generator's sessions, repainted with a
//! photo-like texture), imports it, serves it with the release binary, and drives headless
//! Chromium: 100 judgements by key at 1440x900, then 100 by swipe (real touch input) as a
//! 390x844 phone, each by another reviewer with the server's rendition cache emptied first.
//! The page measures itself: `review:next` runs from the key press (touchend) to a frame
//! after the next image is decoded and in place. Decisions come every `SDREVIEW_BENCH_PACE_MS`
//! (default 400 ms, faster than the goal of one a second, so preloading has less time).
//!
//! Run: `cargo bench --bench review` (needs chromium and chromedriver, as the browser tests).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../tests/browser/driver.rs"]
#[allow(dead_code)]
mod driver;
mod library;
mod page;
#[path = "../common/process.rs"]
#[allow(dead_code)]
mod process;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const STEPS: usize = 100;

fn sdreview(lib: &library::Library, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_sdreview"))
        .args(["--library", lib.root.to_str().unwrap()])
        .args(["--db", lib.db.to_str().unwrap()])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "sdreview {args:?} failed");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A reviewer and their first token.
fn reviewer(lib: &library::Library, name: &str) -> String {
    let out = sdreview(lib, &["user", "add", name, "--role", "reviewer"]);
    out.lines()
        .rev()
        .find(|l| l.trim().starts_with("sdr_"))
        .unwrap()
        .trim()
        .to_owned()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(lib: &library::Library, port: u16, log: &Path) -> Server {
    let log = std::fs::File::create(log).unwrap();
    // Owned by the guard at once, so it is reaped whatever happens next.
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_sdreview"))
            .args(["--library", lib.root.to_str().unwrap()])
            .args(["--db", lib.db.to_str().unwrap()])
            .args([
                "serve",
                "--no-import",
                // The steady state, once every image is hashed: the hashing pass is measured
                // by `cargo bench --bench similar`.
                "--no-hash",
                "--no-predict",
                "--bind",
                &format!("127.0.0.1:{port}"),
            ])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .unwrap(),
    );
    for _ in 0..600 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the server did not start");
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn report(label: &str, phase: &page::Phase) {
    let mut steps = phase.steps.clone();
    steps.sort_by(f64::total_cmp);
    let verdict = |median: f64, p95: f64| {
        if median <= 50.0 && p95 <= 100.0 {
            "ok"
        } else {
            "MISSED"
        }
    };
    let (median, p95) = (percentile(&steps, 0.5), percentile(&steps, 0.95));
    println!(
        "{label}: {} steps, median {median:.1} ms, p95 {p95:.1} ms, max {:.1} ms (target median <= 50, p95 <= 100: {})",
        steps.len(),
        steps.last().copied().unwrap_or(0.0),
        verdict(median, p95)
    );
    let per = phase.bytes as f64 / STEPS as f64 / 1024.0;
    println!(
        "{label}: {:.0} KB in {} requests, {per:.1} KB per judgement, {} originals fetched{}",
        phase.bytes as f64 / 1024.0,
        phase.requests,
        phase.originals,
        if label.contains("phone") {
            format!(
                " (target <= 300 KB: {})",
                if per <= 300.0 { "ok" } else { "MISSED" }
            )
        } else {
            String::new()
        }
    );
}

/// Judgements that say something, as saved by the server.
fn judgements(lib: &library::Library) -> i64 {
    use diesel::prelude::*;
    use sdreview::db::schema::judgements::dsl as j;
    let mut conn = sdreview::db::pool::establish(lib.db.to_str().unwrap()).unwrap();
    j::judgements
        .filter(
            j::quality
                .is_not_null()
                .or(j::status.is_not_null())
                .or(j::liked.eq(true)),
        )
        .count()
        .get_result(&mut conn)
        .unwrap()
}

#[tokio::main]
async fn main() {
    let pace = std::env::var("SDREVIEW_BENCH_PACE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let work = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("review-bench");
    let lib = library::build(&work);
    println!(
        "library: {} PNGs of 512x768, {:.2} MB each on average",
        lib.pngs,
        lib.png_bytes as f64 / lib.pngs.max(1) as f64 / 1e6
    );
    sdreview(&lib, &["import", "--no-backup"]);
    let keys_token = reviewer(&lib, "keys");
    let swipes_token = reviewer(&lib, "swipes");
    let port = process::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let _server = serve(&lib, port, &work.join("server.log"));
    let driver = driver::Driver::start().await;
    let renditions = sdreview::startup::thumbnail_dir(&lib.db);

    let desktop = driver.desktop().await;
    page::sign_in(&desktop, &base, "keys", &keys_token).await;
    page::open_review(&desktop, &base).await;
    for step in 1..=STEPS {
        tokio::time::sleep(Duration::from_millis(pace)).await;
        page::press(&desktop, if step % 2 == 0 { "x" } else { "p" }).await;
        page::until_measured(&desktop, step).await;
    }
    let keys = page::read_phase(&desktop).await;
    desktop.close().await.unwrap();

    let _ = std::fs::remove_dir_all(&renditions);
    let phone = driver.phone().await;
    page::sign_in(&phone, &base, "swipes", &swipes_token).await;
    page::open_review(&phone, &base).await;
    for step in 1..=STEPS {
        tokio::time::sleep(Duration::from_millis(pace)).await;
        page::swipe(&phone, step % 2 == 1).await;
        page::until_measured(&phone, step).await;
    }
    // The last decisions' answers, so their bytes count too.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let swipes = page::read_phase(&phone).await;
    phone.close().await.unwrap();

    println!("\npace: a decision every {pace} ms (plus the driver's own time)");
    report("keys, desktop 1440x900", &keys);
    report("swipes, phone 390x844", &swipes);
    println!(
        "judgements in the database afterwards: {} (expected {})",
        judgements(&lib),
        2 * STEPS
    );
}
