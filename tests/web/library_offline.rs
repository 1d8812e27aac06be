//! A library folder that cannot be read (a share that dropped, a folder renamed away) is
//! "offline": nothing in it is marked gone, every page says so, the admin page says since
//! when, a rescan is refused; once it can be read again, all goes on as before.

use std::time::Duration;

use sdreview::live::WatchSettings;

use crate::live::{PATIENCE, images_of, watching};
use crate::support::TestLibrary;
use crate::support::app::{Browser, TestApp};
use crate::support::session_files::{SessionFolder, a1111_png, eventually};

const OFFLINE: &str = "cannot be read since";

fn on_disk(app: &TestApp) -> (i64, i64) {
    (
        app.lib
            .count("SELECT count(*) AS value FROM sessions WHERE on_disk"),
        app.lib
            .count("SELECT count(*) AS value FROM images WHERE on_disk"),
    )
}

async fn page_says(browser: &Browser, path: &str, words: &str, wanted: bool) -> bool {
    let started = std::time::Instant::now();
    loop {
        let says = browser.get_text(path).await.contains(words);
        if says == wanted || started.elapsed() > PATIENCE {
            return says == wanted;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A generated library, imported, served while its folder is polled (as on a NAS).
async fn polled_library() -> TestApp {
    let lib = TestLibrary::generated();
    lib.import();
    let polling = WatchSettings {
        force_polling: true,
        ..watching()
    };
    TestApp::serve_with(lib, Some(polling)).await
}

#[tokio::test]
async fn a_library_folder_renamed_away_while_polled_is_offline_and_nothing_is_marked_gone() {
    let app = polled_library().await;
    let before = on_disk(&app);
    assert!(before.0 > 1 && before.1 > 1, "{before:?}");
    let ada = app.browser("ada", "admin").await;
    let away = app.lib.root.with_file_name("apioutput-unmounted");

    std::fs::rename(&app.lib.root, &away).unwrap();
    // Several polls later (every 300 ms), nothing is gone.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(on_disk(&app), before, "no session or image is marked gone");
    assert!(
        page_says(&ada, "/sessions", OFFLINE, true).await,
        "the sessions page says the library is offline"
    );
    let sessions = ada.get_text("/sessions").await;
    assert!(
        sessions.contains(&format!("The library folder {}", app.lib.root.display()))
            && sessions.contains("nothing is marked gone until it is back"),
        "{sessions}"
    );
    let stats = ada.get_text("/stats").await;
    assert!(stats.contains(OFFLINE), "every page says it");

    let admin = ada.get_text("/admin").await;
    assert!(admin.contains("Offline since"), "{admin}");
    assert!(
        admin.contains(&chrono::Local::now().format("%Y-%m-%d").to_string()),
        "the admin page says since when"
    );

    let refused = ada.post_form("/admin/rescan", &[]).await;
    assert_eq!(
        refused.status(),
        303,
        "the answer sends the browser to the admin page"
    );
    let page = ada.get_text("/admin").await;
    assert!(
        page.contains("No rescan") && page.contains("cannot be read"),
        "{page}"
    );
    let token = app.add_token("ada");
    let api = reqwest::Client::new()
        .post(format!("{}/api/sessions/import", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 503);
    let body: serde_json::Value = api.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("cannot be read"),
        "{body}"
    );
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM import_runs WHERE kind = 'rescan'"),
        0,
        "no rescan ran"
    );
    assert_eq!(on_disk(&app), before);

    std::fs::rename(&away, &app.lib.root).unwrap();
    assert!(
        page_says(&ada, "/sessions", OFFLINE, false).await,
        "the offline state ends by itself"
    );
    assert_eq!(on_disk(&app), before, "everything is as before");
    assert!(!ada.get_text("/admin").await.contains("Offline since"));

    let session = SessionFolder::create(&app.lib.root, "20261201_200000-after the share came back");
    session.write("00001.png", &a1111_png(1));
    assert!(
        eventually(PATIENCE, || images_of(&app, &session.name, "1") == 1).await,
        "new sessions are imported again"
    );
}

#[tokio::test]
async fn a_session_folder_removed_while_the_library_is_readable_is_still_gone() {
    let app = polled_library().await;
    let (sessions, _) = on_disk(&app);
    let folder = app.lib.manifest_session(1);
    std::fs::remove_dir_all(app.lib.session_dir(&folder)).unwrap();
    let gone = eventually(PATIENCE, || on_disk(&app).0 == sessions - 1).await;
    assert!(gone, "a folder listed as absent by a readable root is gone");
    let ada = app.browser("ada", "admin").await;
    assert!(!ada.get_text("/sessions").await.contains(OFFLINE));
}
