//! The server's peak memory while predictions are uploaded: one 60 MiB line (refused once it
//! passes the line limit), and, for comparison, 60 MiB of ordinary lines of the largest
//! predictions allowed.

use std::path::Path;

use sdreview::synth::{LibrarySpec, generate};

use super::server::{self, Server};
use super::{http, median, row};

const LINE_SERVER_MB: f64 = 100.0;
const BODY_BYTES: usize = 60 * 1024 * 1024;

pub fn upload_peaks(work: &Path, runs: usize) {
    let library = work.join("predictions");
    if !library.join(".complete").exists() {
        let _ = std::fs::remove_dir_all(&library);
        std::fs::create_dir_all(&library).unwrap();
        let spec = LibrarySpec {
            sessions: 1,
            images_per_session: 4,
            large_images: 0,
            broken_per_mille: 0,
            big_session_files: 0,
            seed: 16,
        };
        generate(&library, &spec).unwrap();
        std::fs::write(library.join(".complete"), b"").unwrap();
    }
    let db = work.join("predictions.db");
    server::fresh_db(&db);
    server::import_json(&library, &db, &[]);
    let token = server::add_user(&library, &db, "classifier", "reviewer");

    let one_line = one_long_line();
    let many_lines = lines_of_the_largest_predictions();
    let log = work.join("predictions.log");
    let measure = |body: &str, expected: u16| {
        let server = Server::start(&library, &db, &log);
        let idle = server.peak_memory_mb();
        let status = post(&server, &token, body);
        assert!(
            status.is_none_or(|s| s == expected),
            "answered {status:?}, not {expected}"
        );
        (idle, server.peak_memory_mb())
    };
    let (mut line_peaks, mut lines_peaks, mut idle) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let (before, peak) = measure(&one_line, 413);
        idle.push(before);
        line_peaks.push(peak);
        lines_peaks.push(measure(&many_lines, 200).1);
    }
    let runs_text = format!("{line_peaks:.0?}");
    row(
        "server peak, one 60 MiB predictions line",
        median(&mut line_peaks),
        "MB",
        LINE_SERVER_MB,
    );
    println!(
        "    runs: {runs_text}; {:.0} MB before the upload; 60 MiB of 64 KiB lines: {:.0} MB",
        median(&mut idle),
        median(&mut lines_peaks)
    );
}

/// `{"image_id":1,"predictions":{"x":[0,0,...]}}`, 60 MiB long.
fn one_long_line() -> String {
    let mut line = String::from(r#"{"image_id":1,"predictions":{"x":["#);
    line.push_str(&"0,".repeat((BODY_BYTES - line.len()) / 2));
    line.push_str("0]}}\n");
    line
}

/// Lines of just under 64 KiB of predictions each, 60 MiB in all, for images 1 to 4.
fn lines_of_the_largest_predictions() -> String {
    let zeros = "0,".repeat(32_000);
    let mut body = String::with_capacity(BODY_BYTES + 70_000);
    let mut image = 0;
    while body.len() < BODY_BYTES {
        image = image % 4 + 1;
        body.push_str(&format!(
            "{{\"image_id\":{image},\"predictions\":{{\"x\":[{zeros}0]}}}}\n"
        ));
    }
    body
}

/// The status, or None when the connection ended before an answer could be read (the server
/// may stop reading a refused upload).
fn post(server: &Server, token: &str, body: &str) -> Option<u16> {
    let bearer = format!("Bearer {token}");
    let headers = [
        ("Authorization", bearer.as_str()),
        ("Content-Type", "application/x-ndjson"),
    ];
    http::request(server.port(), "POST", "/api/predictions", &headers, body)
        .ok()
        .map(|reply| reply.status)
}
