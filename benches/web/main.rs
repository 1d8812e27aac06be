//! Web benchmark (issue 4, section 11). Builds a database of 30,000 sessions and 1,000,000
//! images once under target/tmp/bench-web (SQL bulk inserts through the real migrations and
//! triggers, plus one session of real 512x768 PNGs), prints the plans of the queries the pages
//! need, then serves it with the release binary and loads it with wrk (16 connections,
//! 2 threads), signed in as a reviewer. Prints medians against the targets; a missed target
//! prints MISSED and is not a failure. A route that does not exist yet shows as NOT 2xx.
//!
//! Run: `cargo bench --bench web` (needs `wrk`: `apt-get install wrk`).
//! SDREVIEW_BENCH_SECONDS (default 10) per scenario and run, SDREVIEW_BENCH_RUNS (default 3),
//! SDREVIEW_BENCH_ONLY (a part of the scenarios' labels, e.g. `search`: only those run).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod dataset;
mod fill;
mod http;
mod people;
mod picks;
mod plans;
#[path = "../common/process.rs"]
mod process;
mod prompts;
mod real_files;
mod report;
mod server;
mod sql;
mod words;
mod wrk;

use std::path::PathBuf;
use std::time::Instant;

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use picks::{FIRST_THUMBNAILS, Picks, REVIEWER, SEARCH_WORD};
use report::{Measured, Target};
use server::{Server, SignedIn};
use wrk::Load;

const FIRST_THUMBNAIL_MS: f64 = 40.0;

struct Scenario {
    label: &'static str,
    load: Load,
    target: Target,
    /// Requested once before the load (the cached thumbnail).
    warm: bool,
}

fn main() {
    let seconds = env_number("SDREVIEW_BENCH_SECONDS", 10);
    let runs = env_number("SDREVIEW_BENCH_RUNS", 3).max(1);
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-web");
    std::fs::create_dir_all(&work).unwrap();
    let dataset = dataset::ensure(&work);
    let mut conn = sdreview::db::pool::establish(dataset.db.to_str().unwrap()).unwrap();
    let picks = Picks::choose(&mut conn);
    println!("search: {}", Picks::describe_search(&mut conn));
    plans::print(&mut conn, &picks);

    let token = people::token_for(&mut conn, REVIEWER);
    let server = Server::start(&dataset, &work.join("server.log"));
    let who = server.sign_in(&mut conn, REVIEWER, &token);
    println!(
        "\nserving on port {} (log: {}); signed in as {REVIEWER}, CSRF token from {}",
        server.port,
        work.join("server.log").display(),
        who.csrf_from
    );
    println!(
        "{runs} runs of {seconds} s per scenario, wrk -t2 -c16 (the single-client row: -t1 -c1)"
    );

    let only = std::env::var("SDREVIEW_BENCH_ONLY").unwrap_or_default();
    let scenarios: Vec<Scenario> = scenarios(&picks)
        .into_iter()
        .filter(|s| s.label.contains(only.as_str()))
        .collect();
    let mut measured: Vec<Measured<'_>> = scenarios
        .iter()
        .map(|s| Measured {
            label: s.label,
            target: Target { ..s.target },
            runs: Vec::new(),
        })
        .collect();
    let (mut first_medians, mut first_odd) = (Vec::new(), 0);
    for run in 1..=runs {
        let (median, odd) = first_thumbnails(&server, &who, &dataset.db, &picks);
        println!("run {run}: first thumbnails: median {median:.2} ms, {odd} not 2xx");
        first_medians.push(median);
        first_odd += odd;
        for (scenario, m) in scenarios.iter().zip(&mut measured) {
            if scenario.warm {
                let _ = http::get(server.port, &scenario.load.path, &who.cookie);
            }
            let outcome = wrk::run(server.port, &scenario.load, &who, seconds, &work)
                .unwrap_or_else(|e| panic!("{}: {e}", scenario.label));
            println!(
                "run {run}: {:<36} {:>7.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  {} not 2xx",
                scenario.label, outcome.per_second, outcome.p50_ms, outcome.p99_ms, outcome.not_2xx
            );
            m.runs.push(outcome);
        }
    }
    drop(server);

    report::header();
    measured.iter().for_each(report::row);
    report::first_thumbnails(
        &first_medians,
        first_odd,
        runs * FIRST_THUMBNAILS,
        FIRST_THUMBNAIL_MS,
    );
    println!(
        "\np99 of each run (ms): {}",
        measured
            .iter()
            .map(|m| format!(
                "{}: {:?}",
                m.label,
                m.runs
                    .iter()
                    .map(|o| (o.p99_ms * 100.0).round() / 100.0)
                    .collect::<Vec<_>>()
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
}

fn scenarios(picks: &Picks) -> Vec<Scenario> {
    let get = |path: String| Load {
        method: "GET",
        path,
        form: None,
        connections: 16,
    };
    let page = |floor: Option<f64>| Target {
        millis: 30.0,
        on_median: false,
        floor,
    };
    let model = utf8_percent_encode(&picks.model, NON_ALPHANUMERIC);
    vec![
        Scenario {
            label: "sessions, filtered, page 3",
            load: get(format!(
                "/sessions?show=active&model={model}&sort=date&page=3"
            )),
            target: page(Some(200.0)),
            warm: false,
        },
        // Sorted by the counters: served from their indexes (issue 16), not by reading and
        // sorting every session, so the page costs the same at 1,000 or 30,000 sessions.
        Scenario {
            label: "sessions by image count, page 5",
            load: get("/sessions?sort=images&dir=desc&page=5".into()),
            target: page(None),
            warm: false,
        },
        Scenario {
            label: "sessions by KO rate, page 5",
            load: get("/sessions?sort=ko_rate&dir=desc&page=5".into()),
            target: page(None),
            warm: false,
        },
        Scenario {
            label: "session gallery (~100 images)",
            load: get(format!("/sessions/{}", picks.session)),
            target: page(Some(100.0)),
            warm: false,
        },
        Scenario {
            label: "search (word in 1 % of prompts)",
            load: get(format!("/search?q={SEARCH_WORD}")),
            target: page(None),
            warm: false,
        },
        Scenario {
            label: "image page",
            load: get(format!("/images/{}", picks.image)),
            target: page(None),
            warm: false,
        },
        Scenario {
            label: "rating POST (toggle like)",
            load: Load {
                method: "POST",
                path: format!("/images/{}/rating", picks.image),
                form: Some("action=like"),
                connections: 16,
            },
            target: Target {
                millis: 10.0,
                on_median: false,
                floor: Some(50.0),
            },
            warm: false,
        },
        Scenario {
            label: "cached thumbnail, one client",
            load: Load {
                connections: 1,
                ..get(format!("/images/{}/thumb", picks.real_images[0]))
            },
            target: Target {
                millis: 2.0,
                on_median: true,
                floor: None,
            },
            warm: true,
        },
        Scenario {
            label: "cached thumbnail, 16 clients",
            load: get(format!("/images/{}/thumb", picks.real_images[0])),
            target: page(None),
            warm: true,
        },
    ]
}

/// Times single requests for thumbnails not made yet (the cache is emptied first); returns
/// the median in ms and how many answers were not 2xx.
fn first_thumbnails(
    server: &Server,
    who: &SignedIn,
    db: &std::path::Path,
    picks: &Picks,
) -> (f64, usize) {
    let _ = std::fs::remove_dir_all(sdreview::startup::thumbnail_dir(db));
    let mut times = Vec::new();
    let mut odd = 0;
    for id in &picks.real_images[1..=FIRST_THUMBNAILS] {
        let started = Instant::now();
        let reply = http::get(server.port, &format!("/images/{id}/thumb"), &who.cookie).unwrap();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if !(200..300).contains(&reply.status) {
            odd += 1;
        }
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], odd)
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
