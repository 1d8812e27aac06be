//! Statistics benchmark (issue 11, section 5). Serves the web benchmark's 1,000,000-image
//! database (built once under target/tmp/bench-web, shared with `cargo bench --bench web` and
//! `--bench export`) with the release binary, signed in as a reviewer, and times:
//! - cold: the first `GET /stats` after the data changed (an UPDATE the triggers count, as any
//!   edit would), so nothing cached in memory or in `analytics_cache` can serve it; for the
//!   whole library and for one model;
//! - cached: `/stats` under wrk, 16 connections and 2 threads.
//!
//! Prints medians against the targets; a missed target prints MISSED and is not a failure.
//! Run: `cargo bench --bench stats` (needs `wrk`). SDREVIEW_BENCH_RUNS (default 5 cold
//! requests per page; the wrk runs are 3, or fewer when RUNS is), SDREVIEW_BENCH_SECONDS
//! (default 10) per wrk run.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "web/dataset.rs"]
mod dataset;
#[path = "web/fill.rs"]
mod fill;
#[path = "web/http.rs"]
mod http;
#[path = "web/people.rs"]
mod people;
#[path = "common/process.rs"]
mod process;
#[path = "web/prompts.rs"]
mod prompts;
#[path = "web/real_files.rs"]
mod real_files;
#[path = "web/server.rs"]
mod server;
#[path = "web/sql.rs"]
mod sql;
#[path = "web/words.rs"]
mod words;
#[path = "web/wrk.rs"]
mod wrk;

use std::path::PathBuf;
use std::time::Instant;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use server::{Server, SignedIn};
use wrk::Load;

const COLD_TARGET_MS: f64 = 1_000.0;
const CACHED_P99_TARGET_MS: f64 = 20.0;
const REVIEWER: &str = "reviewer";

fn main() {
    let runs = env_number("SDREVIEW_BENCH_RUNS", 5).max(1);
    println!("load average at start: {}", load_average());
    let load_runs = runs.min(3);
    let seconds = env_number("SDREVIEW_BENCH_SECONDS", 10);
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-web");
    std::fs::create_dir_all(&work).unwrap();
    let dataset = dataset::ensure(&work);
    let mut conn = sdreview::db::pool::establish(dataset.db.to_str().unwrap()).unwrap();
    let model = sql::text(
        &mut conn,
        "SELECT model_name AS t FROM sessions WHERE is_deleted = 0 AND model_name IS NOT NULL
         GROUP BY model_name ORDER BY count(*) DESC LIMIT 1",
        &[],
    );
    let token = people::token_for(&mut conn, REVIEWER);
    let log = work.join("server-stats.log");
    let server = Server::start(&dataset, &log);
    let who = server.sign_in(&mut conn, REVIEWER, &token);
    println!(
        "serving {} on port {} (log: {}); signed in as {REVIEWER}",
        dataset.db.display(),
        server.port,
        log.display()
    );

    let filtered = format!(
        "/stats?model={}",
        utf8_percent_encode(&model, NON_ALPHANUMERIC)
    );
    let pages = [
        ("/stats", "whole library"),
        (filtered.as_str(), "one model"),
    ];
    let mut cold_rows = Vec::new();
    for (path, label) in pages {
        let (times, odd) = cold(&server, &who, &mut conn, path, runs);
        println!("cold {label:<14} {path}: runs (ms) {times:.0?}, {odd} not 2xx");
        cold_rows.push((label, median(times), odd));
    }

    // Cached: computed once, then only served.
    let load = Load {
        method: "GET",
        path: "/stats".to_owned(),
        form: None,
        connections: 16,
    };
    let _ = http::get(server.port, &load.path, &who.cookie);
    let mut outcomes = Vec::new();
    for run in 1..=load_runs {
        let outcome = wrk::run(server.port, &load, &who, seconds, &work).unwrap();
        println!(
            "cached run {run}: {:>7.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  {} not 2xx",
            outcome.per_second, outcome.p50_ms, outcome.p99_ms, outcome.not_2xx
        );
        outcomes.push(outcome);
    }
    drop(server);
    println!("load average at end: {}", load_average());

    println!(
        "\n{:<44} {:>10} {:>10}  verdict",
        "statistics page (median of runs)", "measured", "target"
    );
    for (label, ms, odd) in cold_rows {
        let verdict = if odd > 0 {
            format!("NOT 2xx: {odd} answers, not judged")
        } else if ms <= COLD_TARGET_MS {
            "ok".to_owned()
        } else {
            "MISSED".to_owned()
        };
        println!(
            "{:<44} {ms:>7.0} ms {:>7.0} ms  {verdict}",
            format!("cold, {label} ({runs} runs)"),
            COLD_TARGET_MS
        );
    }
    let of = |f: fn(&wrk::Outcome) -> f64| median(outcomes.iter().map(f).collect());
    let (p50, p99) = (of(|o| o.p50_ms), of(|o| o.p99_ms));
    let not_2xx: u64 = outcomes.iter().map(|o| o.not_2xx).sum();
    let verdict = if not_2xx > 0 {
        format!("NOT 2xx: {not_2xx} answers, not judged")
    } else if p99 <= CACHED_P99_TARGET_MS {
        "ok".to_owned()
    } else {
        "MISSED".to_owned()
    };
    println!(
        "{:<44} {p50:>7.2} ms {:>10}",
        format!("cached, wrk -t2 -c16 {seconds} s, p50 ({load_runs} runs)"),
        ""
    );
    println!(
        "{:<44} {p99:>7.2} ms {:>7.0} ms  {verdict}",
        format!("cached, wrk -t2 -c16 {seconds} s, p99 ({load_runs} runs)"),
        CACHED_P99_TARGET_MS
    );
    println!(
        "cached throughput (median): {:.0} req/s",
        of(|o| o.per_second)
    );
}

/// Times `runs` first requests of `path`, each after a change the triggers count (an image's
/// `broken` set to itself: no figure moves, but the analytics version does, as after a rating);
/// returns the times in ms and how many answers were not 2xx.
fn cold(
    server: &Server,
    who: &SignedIn,
    conn: &mut SqliteConnection,
    path: &str,
    runs: usize,
) -> (Vec<f64>, usize) {
    let mut odd = 0;
    let times = (0..runs)
        .map(|_| {
            conn.batch_execute(
                "UPDATE images SET broken = broken WHERE id = (SELECT max(id) FROM images)",
            )
            .unwrap();
            let started = Instant::now();
            let reply = http::get(server.port, path, &who.cookie).unwrap();
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            if !(200..300).contains(&reply.status) {
                odd += 1;
            }
            ms
        })
        .collect();
    (times, odd)
}

/// The machine is shared: its load says how far to trust the figures.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
