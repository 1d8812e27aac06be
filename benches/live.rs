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

#[path = "web/http.rs"]
mod http;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sdreview::synth::png_file::{TextChunk, TextKind, png_bytes};

const LISTED_S: f64 = 2.0;
const IMAGES: usize = 100;
const POLL: Duration = Duration::from_secs(1);
/// The generator of measure 3: this many images, one every so often.
const GENERATED: usize = 40;
const GENERATOR_PAUSE: Duration = Duration::from_millis(250);
const API_POLL: Duration = Duration::from_millis(50);

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

fn png(seed: usize, size: (u32, u32)) -> Vec<u8> {
    let text = format!(
        "a harbour at dawn, {seed}\nNegative prompt: blur\nSteps: 30, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: {seed}, Size: 512x768, Model: bench"
    );
    png_bytes(
        size.0,
        size.1,
        &[TextChunk::new(TextKind::Text, "parameters", &text)],
    )
    .unwrap()
}

fn sdreview(root: &Path, db: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_sdreview"))
        .args([
            "--library",
            root.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

struct Served {
    child: Child,
    port: u16,
    cookie: String,
    token: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
    }
}

/// `serve` on a free port, signed in as a viewer made for the run.
fn serve(root: &Path, db: &Path, log: &Path) -> Served {
    let added = sdreview(root, db, &["user", "add", "bench", "--role", "viewer"]);
    let token = added
        .lines()
        .find(|l| l.starts_with("sdr_"))
        .unwrap()
        .trim()
        .to_owned();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = std::fs::File::create(log).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_sdreview"))
        .args([
            "--library",
            root.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let mut served = Served {
        child,
        port,
        cookie: String::new(),
        token: token.clone(),
    };
    let started = Instant::now();
    while http::get(port, "/login", "").map(|r| r.status).unwrap_or(0) != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let form = format!("name=bench&secret={token}");
    let reply = http::request(
        port,
        "POST",
        "/login",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &form,
    )
    .unwrap();
    assert_eq!(reply.status, 303, "{}", reply.body);
    served.cookie = reply
        .header("Set-Cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    served
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

fn write_session(root: &Path, name: &str, images: &[Vec<u8>]) -> Instant {
    let dir = root.join(name);
    std::fs::create_dir(&dir).unwrap();
    for (n, bytes) in images.iter().enumerate() {
        // As A1111 does: a temporary name, then a rename.
        let temporary = dir.join(format!("{n:05}.png.tmp"));
        std::fs::write(&temporary, bytes).unwrap();
        std::fs::rename(&temporary, dir.join(format!("{n:05}.png"))).unwrap();
    }
    Instant::now()
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

/// Sessions of one image or a few, written as a copy writes them (no pause).
fn copy_sessions(root: &Path, count: usize, prefix: &str, images: &[Vec<u8>]) {
    for s in 0..count {
        write_session(root, &format!("{prefix}{s:04}-copied {s}"), images);
    }
}

fn after_a_busy_start(dir: &Path, sessions: usize) -> Vec<f64> {
    let root = dir.join("apioutput");
    let db = dir.join("metadata.db");
    std::fs::create_dir_all(&root).unwrap();
    let few: Vec<Vec<u8>> = (0..3).map(|n| png(n, (64, 96))).collect();
    copy_sessions(&root, sessions, "20261102_12", &few);
    sdreview(&root, &db, &["import", "--json"]);
    // Every copied folder was written in the last ten minutes: each looks like a generator's.
    let served = serve(&root, &db, &dir.join("serve.log"));
    image_by_image(&served, &root, "20261202_090000-generatorafterstart")
}

fn after_a_bulk_copy(dir: &Path, folders: usize) -> Vec<f64> {
    let root = dir.join("apioutput");
    let db = dir.join("metadata.db");
    std::fs::create_dir_all(&root).unwrap();
    let one = vec![png(1, (64, 96))];
    copy_sessions(&root, 20, "20261001_12", &one);
    sdreview(&root, &db, &["import", "--json"]);
    let served = serve(&root, &db, &dir.join("serve.log"));
    copy_sessions(&root, folders, "20261103_12", &one);
    image_by_image(&served, &root, "20261202_100000-generatoraftercopy")
}

/// The images the API counts in the session whose name holds `word`, None before it is listed.
fn image_count(served: &Served, word: &str) -> Option<u64> {
    let bearer = format!("Bearer {}", served.token);
    let reply = http::request(
        served.port,
        "GET",
        &format!("/api/sessions?q={word}"),
        &[("Authorization", &bearer)],
        "",
    )
    .ok()?;
    let page: serde_json::Value = serde_json::from_str(&reply.body).ok()?;
    page["items"].get(0)?["image_count"].as_u64()
}

/// A generator writes `GENERATED` images into the new folder `name`, one every
/// `GENERATOR_PAUSE`, while the API is asked for the session's image count every `API_POLL`:
/// for each image, the seconds from its file being complete to the count including it. Files
/// are read in the order written, so a count of n holds the first n.
fn image_by_image(served: &Served, root: &Path, name: &str) -> Vec<f64> {
    let word = name.split_once('-').unwrap().1.to_owned();
    let dir = root.join(name);
    let images: Vec<Vec<u8>> = (0..GENERATED).map(|n| png(n, (256, 384))).collect();
    let generator = std::thread::spawn(move || {
        std::fs::create_dir(&dir).unwrap();
        let mut complete = Vec::new();
        for (n, bytes) in images.iter().enumerate() {
            let temporary = dir.join(format!("{n:05}.png.tmp"));
            std::fs::write(&temporary, bytes).unwrap();
            std::fs::rename(&temporary, dir.join(format!("{n:05}.png"))).unwrap();
            complete.push(Instant::now());
            std::thread::sleep(GENERATOR_PAUSE);
        }
        complete
    });
    let started = Instant::now();
    let mut counted: Vec<Option<Instant>> = vec![None; GENERATED];
    while counted.iter().any(Option::is_none) {
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "{name}: {} of {GENERATED} images counted after 180 s",
            counted.iter().flatten().count()
        );
        let asked = Instant::now();
        if let Some(count) = image_count(served, &word) {
            let now = Instant::now();
            for slot in counted.iter_mut().take(count as usize) {
                slot.get_or_insert(now);
            }
        }
        std::thread::sleep(API_POLL.saturating_sub(asked.elapsed()));
    }
    let complete = generator.join().unwrap();
    complete
        .iter()
        .zip(counted.iter().flatten())
        .map(|(done, seen)| seen.saturating_duration_since(*done).as_secs_f64())
        .collect()
}
