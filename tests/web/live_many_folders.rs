//! However many folders changed recently, the one a generator writes into now is watched: the
//! folders adopted at start and the least recently written ones give up their watch first.

use std::time::Duration;

use sdreview::live::WatchSettings;

use crate::live::{PATIENCE, images_of, watching};
use crate::support::TestLibrary;
use crate::support::app::TestApp;
use crate::support::session_files::{SessionFolder, a1111_png, eventually};

/// Three folders watched at most, so a handful of folders goes past the limit.
fn watching_few() -> WatchSettings {
    WatchSettings {
        max_watched: 3,
        ..watching()
    }
}

fn copied_sessions(root: &std::path::Path, count: u32) {
    for n in 0..count {
        SessionFolder::create(root, &format!("20261201_22{n:04}-copied"))
            .write("00001.png", &a1111_png(n));
    }
}

/// A generator's pace: each image after a pause longer than the settle time, so the folder is
/// imported between images and every later image needs the folder's own watch to be seen.
async fn generate(app: &TestApp, name: &str, images: u32) -> SessionFolder {
    let session = SessionFolder::create(&app.lib.root, name);
    for n in 1..=images {
        session.write_via_rename(&format!("{n:05}.png"), &a1111_png(100 + n));
        tokio::time::sleep(Duration::from_millis(600)).await;
    }
    session
}

async fn assert_all_listed(app: &TestApp, session: &SessionFolder, images: i64) {
    let all = eventually(PATIENCE, || images_of(app, &session.name, "1") == images).await;
    assert!(
        all,
        "{images} images expected, found {}",
        images_of(app, &session.name, "1")
    );
}

#[tokio::test]
async fn folders_copied_just_before_the_start_leave_the_new_generator_folder_watched() {
    let lib = TestLibrary::empty();
    copied_sessions(&lib.root, 5);
    lib.import();
    let app = TestApp::serve_with(lib, Some(watching_few())).await;

    let session = generate(&app, "20261201_230000-generating after start", 4).await;
    assert_all_listed(&app, &session, 4).await;
}

#[tokio::test]
async fn more_folders_than_the_limit_written_meanwhile_leave_the_new_generator_folder_watched() {
    let app = TestApp::serve_with(TestLibrary::empty(), Some(watching_few())).await;
    copied_sessions(&app.lib.root, 6);
    let copied = eventually(PATIENCE, || {
        app.lib
            .count("SELECT count(*) AS value FROM images WHERE on_disk")
            == 6
    })
    .await;
    assert!(copied, "the copied folders are imported");

    let session = generate(&app, "20261201_230100-generating after a copy", 4).await;
    assert_all_listed(&app, &session, 4).await;
}
