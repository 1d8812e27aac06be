//! An import running while people rate: it must never hold the database's write lock while it
//! waits for files to be read, however slow the disk.

use std::time::{Duration, Instant};

use sdreview::import::{ImportOptions, import_library};
use sdreview::synth::png_file::{TextChunk, TextKind, png_bytes};

use crate::ratings::good_image;
use crate::support::app::TestApp;

fn new_sessions(app: &TestApp, sessions: usize, files: usize) {
    for s in 0..sessions {
        let dir = app.lib.root.join(format!("20261126_12000{s}-slow disk"));
        std::fs::create_dir(&dir).unwrap();
        for f in 0..files {
            let text = format!(
                "a slow disk\nNegative prompt: blur\nSteps: 20, Sampler: Euler, Seed: {f}, Size: 64x96"
            );
            let chunk = TextChunk {
                kind: TextKind::Text,
                keyword: "parameters".into(),
                text,
                after_idat: false,
            };
            std::fs::write(
                dir.join(format!("{f:05}.png")),
                png_bytes(64, 96, &[chunk]).unwrap(),
            )
            .unwrap();
        }
    }
}

#[tokio::test]
async fn ratings_answer_at_once_while_an_import_waits_on_slow_files() {
    let app = TestApp::spawn().await;
    let alice = app.browser("alice", "reviewer").await;
    let path = format!("/images/{}/rating", good_image(&app));
    new_sessions(&app, 4, 2);
    let (db, pool, root) = (app.lib.db.clone(), app.lib.pool(), app.lib.root.clone());
    // Every file takes 1.5 s to read: an import that holds its transaction open while it
    // waits for the next session would keep each rating waiting that long.
    let import = std::thread::spawn(move || {
        let options = ImportOptions {
            progress: false,
            backup: false,
            read_delay: Duration::from_millis(1500),
        };
        import_library(&db, &pool, &root, options)
    });
    let mut slowest = Duration::ZERO;
    let mut ratings = 0;
    while !import.is_finished() {
        let started = Instant::now();
        let response = alice.post(&path, &[("action", "like")]).await;
        assert_eq!(response.status(), 200, "a rating during the import");
        slowest = slowest.max(started.elapsed());
        ratings += 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let report = import.join().unwrap().unwrap();
    assert_eq!(report.images_new, 8);
    assert!(ratings > 20, "ratings kept going: {ratings}");
    assert!(
        slowest < Duration::from_millis(1000),
        "the slowest rating waited {slowest:?} for the import"
    );
}
