//! A library served by the release binary, and a generator writing a session into it image by
//! image: the live benchmark's measure 3, which the hardening benchmark runs too (issue 16,
//! item 5).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sdreview::synth::png_file::{TextChunk, TextKind, png_bytes};

use crate::{http, process};

/// The generator writes this many images, one every so often.
const GENERATED: usize = 40;
pub const GENERATOR_PAUSE: Duration = Duration::from_millis(250);
const API_POLL: Duration = Duration::from_millis(50);

pub fn png(seed: usize, size: (u32, u32)) -> Vec<u8> {
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

pub fn sdreview(root: &Path, db: &Path, args: &[&str]) -> String {
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

pub struct Served {
    pub child: Child,
    pub port: u16,
    pub cookie: String,
    token: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        process::stop(&mut self.child);
    }
}

/// `serve` on a free port, signed in as a viewer made for the run.
pub fn serve(root: &Path, db: &Path, log: &Path) -> Served {
    let added = sdreview(root, db, &["user", "add", "bench", "--role", "viewer"]);
    let token = added
        .lines()
        .find(|l| l.starts_with("sdr_"))
        .unwrap()
        .trim()
        .to_owned();
    let port = process::free_port();
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

pub fn write_session(root: &Path, name: &str, images: &[Vec<u8>]) -> Instant {
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
/// Sessions of one image or a few, written as a copy writes them (no pause).
fn copy_sessions(root: &Path, count: usize, prefix: &str, images: &[Vec<u8>]) {
    for s in 0..count {
        write_session(root, &format!("{prefix}{s:04}-copied {s}"), images);
    }
}

pub fn after_a_busy_start(dir: &Path, sessions: usize) -> Vec<f64> {
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

pub fn after_a_bulk_copy(dir: &Path, folders: usize) -> Vec<f64> {
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
