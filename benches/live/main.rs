//! Live library benchmark (issue 12), against the release binary:
//! 1. From the last file of a new 100-image session being written to the session being listed
//!    with its 100 images, as a browser with the sessions page open sees it (it asks
//!    `/sessions/news` every second, at a phase of its own). Median of several runs; target
//!    2 s.
//! 2. A library of 5,000 session folders watched: the inotify watches the server holds, read
//!    from /proc/<pid>/fdinfo, against the system's limit (never raised here).
//! 3. More recently changed folders than the watcher watches at once (issue 16), then a
//!    generator writing a new session image by image, one every 250 ms, while a client asks
//!    the API for the session's image count every 50 ms: each image's time from its file being
//!    complete to its being counted. Median over the session's images; target 2 s.
//!    (a) The server started right after 1,000 sessions were copied (and imported).
//!    (b) 2,000 folders copied in while the server runs, the generator starting right after.
//!
//! Run: `cargo bench --bench live` (SDREVIEW_BENCH_RUNS=N, default 7).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod generator;
#[path = "../web/http.rs"]
mod http;
#[path = "../common/process.rs"]
mod process;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use generator::{
    GENERATOR_PAUSE, Served, after_a_bulk_copy, after_a_busy_start, png, sdreview, serve,
    write_session,
};

const LISTED_S: f64 = 2.0;
const IMAGES: usize = 100;
const POLL: Duration = Duration::from_secs(1);

fn main() {
    let runs: usize = std::env::var("SDREVIEW_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(7);
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("live-bench");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();

    let times = time_to_listed(&work.join("small"), runs);
    let median = median(&times);
    println!(
        "new 100-image session listed after its last file: median {median:.2} s (runs: {}) target <= {LISTED_S} s: {}",
        times
            .iter()
            .map(|t| format!("{t:.2}"))
            .collect::<Vec<_>>()
            .join(", "),
        verdict(median <= LISTED_S)
    );

    let (watches, limit, found_s) = watches_of_a_large_library(&work.join("large"), 5_000);
    println!(
        "5,000 session folders watched: {watches} inotify watches held (system limit {limit}, not raised); a new folder among them listed {found_s:.2} s after its last file"
    );

    report_image_by_image(
        "(a) server started right after 1,000 sessions were copied",
        &after_a_busy_start(&work.join("busy-start"), 1_000),
    );
    report_image_by_image(
        "(b) 2,000 folders added at once",
        &after_a_bulk_copy(&work.join("bulk-copy"), 2_000),
    );
}

fn report_image_by_image(condition: &str, times: &[f64]) {
    let median = median(times);
    let slowest = times.iter().copied().fold(0.0, f64::max);
    println!(
        "{condition}, then a session written image by image: new image listed after its file is complete: median {median:.2} s, slowest {slowest:.2} s ({} images, one every {} ms) target <= {LISTED_S} s: {}",
        times.len(),
        GENERATOR_PAUSE.as_millis(),
        verdict(median <= LISTED_S)
    );
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "MISSED" }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

/// The address the sessions page polls, from a page or a news answer.
fn poller(body: &str) -> String {
    let start = body.find("id=\"session-news\"").expect("a poller");
    let rest = &body[start..];
    let from = rest.find("hx-get=\"").unwrap() + "hx-get=\"".len();
    let to = rest[from..].find('"').unwrap() + from;
    rest[from..to].replace("&#38;", "&").replace("&amp;", "&")
}

/// Polls as the page does, every second from `phase`, until the row titled `title` shows its
/// `IMAGES` images; returns when that answer arrived.
fn seen_listed(served: &Served, poll: &mut String, title: &str, phase: Instant) -> Instant {
    let wanted = format!("{IMAGES} img");
    let link = format!(">{title}</a>");
    let mut next = phase;
    loop {
        let now = Instant::now();
        if next > now {
            std::thread::sleep(next - now);
        }
        next += POLL;
        let reply = http::get(served.port, poll, &served.cookie).unwrap();
        if reply.status == 200 {
            *poll = poller(&reply.body);
            if let Some(row) = reply.body.find(&link) {
                let row_end = reply.body[row..]
                    .find("</li>")
                    .map_or(reply.body.len(), |e| row + e);
                if reply.body[row..row_end].contains(&wanted) {
                    return Instant::now();
                }
            }
        }
        assert!(
            phase.elapsed() < Duration::from_secs(120),
            "{title} never listed"
        );
    }
}

fn time_to_listed(dir: &Path, runs: usize) -> Vec<f64> {
    let root = dir.join("apioutput");
    let db = dir.join("metadata.db");
    std::fs::create_dir_all(&root).unwrap();
    let starter: Vec<Vec<u8>> = (0..5).map(|n| png(n, (64, 96))).collect();
    for s in 0..20 {
        write_session(&root, &format!("20261101_1200{s:02}-existing"), &starter);
    }
    sdreview(&root, &db, &["import", "--json"]);
    let served = serve(&root, &db, &dir.join("serve.log"));
    let images: Vec<Vec<u8>> = (0..IMAGES).map(|n| png(n, (256, 384))).collect();
    let mut times = Vec::new();
    for run in 0..runs {
        let page = http::get(served.port, "/sessions", &served.cookie).unwrap();
        let mut poll = poller(&page.body);
        // The open page's timer runs at a phase of its own relative to the generator.
        let phase = Instant::now() + Duration::from_millis((run as u64 * 137) % 1000);
        let title = format!("bench run {run} of {runs}");
        let written = write_session(&root, &format!("20261201_1300{run:02}-{title}"), &images);
        let seen = seen_listed(&served, &mut poll, &title, phase);
        times.push((seen - written).as_secs_f64());
    }
    times
}

/// inotify watches the process holds, from the `inotify wd:` lines of its descriptors.
fn inotify_watches(pid: u32) -> usize {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fdinfo")) else {
        return 0;
    };
    fds.flatten()
        .filter_map(|fd| std::fs::read_to_string(fd.path()).ok())
        .map(|info| {
            info.lines()
                .filter(|l| l.starts_with("inotify wd:"))
                .count()
        })
        .sum()
}

fn watches_of_a_large_library(dir: &Path, folders: usize) -> (usize, String, f64) {
    let root = dir.join("apioutput");
    let db = dir.join("metadata.db");
    std::fs::create_dir_all(&root).unwrap();
    let one = vec![png(1, (64, 96))];
    for s in 0..folders {
        write_session(
            &root,
            // Valid dates, all older than the new folder's: a name that is no date would be
            // dated by its mtime (today), and the new folder would not come first.
            &format!(
                "2025{:02}{:02}_120000-library {s}",
                1 + s % 12,
                1 + (s / 12) % 28
            ),
            &one,
        );
    }
    sdreview(&root, &db, &["import", "--json"]);
    // Folders written long ago, as a real library's are: none is taken for one being written.
    for entry in std::fs::read_dir(&root).unwrap().flatten() {
        let old = std::time::SystemTime::now() - Duration::from_secs(86_400);
        std::fs::File::open(entry.path())
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    let served = serve(&root, &db, &dir.join("serve.log"));
    std::thread::sleep(Duration::from_secs(2));
    let watches = inotify_watches(served.child.id());
    let limit = std::fs::read_to_string("/proc/sys/fs/inotify/max_user_watches")
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "unknown".to_owned());
    let page = http::get(served.port, "/sessions", &served.cookie).unwrap();
    let mut poll = poller(&page.body);
    let images: Vec<Vec<u8>> = (0..IMAGES).map(|n| png(n, (64, 96))).collect();
    let written = write_session(&root, "20261201_140000-in a large library", &images);
    let seen = seen_listed(&served, &mut poll, "in a large library", Instant::now());
    (watches, limit, (seen - written).as_secs_f64())
}
