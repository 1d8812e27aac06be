//! The live library: sessions written while the server runs appear by themselves, whatever
//! way the generator writes its files, and the periodic check finds what events missed.

use std::time::Duration;

use sdreview::live::WatchSettings;

use crate::support::TestLibrary;
use crate::support::app::TestApp;
use crate::support::session_files::{SessionFolder, a1111_png, eventually};

/// Short times, so the tests take seconds: a folder settles after 300 ms of quiet.
pub fn watching() -> WatchSettings {
    WatchSettings {
        settle: Duration::from_millis(300),
        reconcile: None,
        poll_interval: Duration::from_millis(300),
        ..WatchSettings::default()
    }
}

pub const PATIENCE: Duration = Duration::from_secs(15);

pub fn images_of(app: &TestApp, folder: &str, condition: &str) -> i64 {
    app.lib.count(&format!(
        "SELECT count(*) AS value FROM images i JOIN sessions s ON s.id = i.session_id
          WHERE s.folder_name = '{folder}' AND i.on_disk AND {condition}"
    ))
}

pub fn session_on_disk(app: &TestApp, folder: &str) -> Option<bool> {
    let on_disk = app.lib.count(&format!(
        "SELECT coalesce(max(on_disk), -1) AS value FROM sessions WHERE folder_name = '{folder}'"
    ));
    (on_disk >= 0).then_some(on_disk == 1)
}

#[tokio::test]
async fn a_session_written_file_by_file_appears_whole_with_no_image_marked_broken() {
    let app = TestApp::serve_with(TestLibrary::empty(), Some(watching())).await;
    let session = SessionFolder::create(&app.lib.root, "20261201_090000-lighthouse");
    for n in 1..=3 {
        session.write(&format!("{n:05}.png"), &a1111_png(n));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for n in 4..=6 {
        session.write_via_rename(&format!("{n:05}.png"), &a1111_png(n));
    }
    // Pauses longer than the settle time: the folder is imported while this file is cut
    // short, and the file must be read again as it grows.
    session
        .write_in_chunks("00007.png", &a1111_png(7), 3, Duration::from_millis(900))
        .await;

    let whole = eventually(PATIENCE, || {
        images_of(&app, &session.name, "broken IS NULL") == 7
    })
    .await;
    assert!(
        whole,
        "7 readable images expected, found {} ({} broken)",
        images_of(&app, &session.name, "1"),
        images_of(&app, &session.name, "broken IS NOT NULL")
    );
    assert_eq!(images_of(&app, &session.name, "broken IS NOT NULL"), 0);
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM images WHERE filename LIKE '%.tmp'"),
        0,
        "temporary files are never images"
    );
}

#[tokio::test]
async fn a_folder_renamed_or_deleted_while_watched_is_seen_under_its_new_name_or_as_gone() {
    let app = TestApp::serve_with(TestLibrary::empty(), Some(watching())).await;
    let session = SessionFolder::create(&app.lib.root, "20261201_100000-first name");
    session.write("00001.png", &a1111_png(1));
    session.write("00002.png", &a1111_png(2));
    let first = eventually(PATIENCE, || {
        images_of(&app, "20261201_100000-first name", "1") == 2
    })
    .await;
    assert!(
        first,
        "{:?} {:?}",
        app.lib
            .text("SELECT group_concat(folder_name || ':' || on_disk) AS value FROM sessions"),
        app.lib
            .text("SELECT group_concat(filename) AS value FROM images")
    );

    let renamed = app.lib.root.join("20261201_100000-second name");
    std::fs::rename(&session.path, &renamed).unwrap();
    let seen = eventually(PATIENCE, || {
        images_of(&app, "20261201_100000-second name", "1") == 2
            && session_on_disk(&app, "20261201_100000-first name") == Some(false)
    })
    .await;
    assert!(seen, "the new name is a session and the old one is gone");

    std::fs::remove_dir_all(&renamed).unwrap();
    let gone = eventually(PATIENCE, || {
        session_on_disk(&app, "20261201_100000-second name") == Some(false)
    })
    .await;
    assert!(gone, "a deleted folder is marked gone (its rows are kept)");
}

#[tokio::test]
async fn the_periodic_check_finds_a_session_when_no_event_arrives() {
    let settings = WatchSettings {
        events: false,
        reconcile: Some(Duration::from_secs(1)),
        ..watching()
    };
    let app = TestApp::serve_with(TestLibrary::empty(), Some(settings)).await;
    let session = SessionFolder::create(&app.lib.root, "20261201_110000-unseen");
    session.write("00001.png", &a1111_png(1));
    session.write("00002.png", &a1111_png(2));
    assert!(eventually(PATIENCE, || images_of(&app, &session.name, "1") == 2).await);
}

#[tokio::test]
async fn polling_finds_new_sessions_where_events_cannot_be_used() {
    let settings = WatchSettings {
        force_polling: true,
        ..watching()
    };
    let app = TestApp::serve_with(TestLibrary::empty(), Some(settings)).await;
    let session = SessionFolder::create(&app.lib.root, "20261201_120000-polled");
    session.write("00001.png", &a1111_png(1));
    tokio::time::sleep(Duration::from_millis(700)).await;
    session.write_via_rename("00002.png", &a1111_png(2));
    assert!(eventually(PATIENCE, || images_of(&app, &session.name, "1") == 2).await);
}

#[tokio::test]
async fn without_watching_a_new_folder_stays_unknown() {
    let app = TestApp::serve_with(TestLibrary::empty(), None).await;
    let session = SessionFolder::create(&app.lib.root, "20261201_130000-unwatched");
    session.write("00001.png", &a1111_png(1));
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(session_on_disk(&app, &session.name), None);
}

#[tokio::test]
async fn many_folders_copied_in_at_once_are_imported_in_one_pass() {
    let app = TestApp::serve_with(TestLibrary::empty(), Some(watching())).await;
    let png = a1111_png(1);
    for n in 0..40 {
        let folder = SessionFolder::create(&app.lib.root, &format!("20261201_19{n:04}-copied"));
        folder.write("00001.png", &png);
    }
    let all = eventually(PATIENCE, || {
        app.lib
            .count("SELECT count(*) AS value FROM images WHERE on_disk")
            == 40
    })
    .await;
    assert!(all, "every copied folder is imported");
    assert!(
        app.lib.count(
            "SELECT count(*) AS value FROM import_runs WHERE kind = 'watch' AND folder IS NULL"
        ) >= 1,
        "one run over the library rather than forty"
    );
}
