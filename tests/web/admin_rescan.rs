//! "Rescan now" on the admin page and `POST /api/sessions/import`: a rescan started from the
//! browser or a script, followed to its end, and recorded.

use std::time::Duration;

use crate::support::TestLibrary;
use crate::support::app::TestApp;
use crate::support::session_files::{SessionFolder, a1111_png, eventually};

fn runs(app: &TestApp, kind: &str) -> i64 {
    app.lib.count(&format!(
        "SELECT count(*) AS value FROM import_runs WHERE kind = '{kind}'"
    ))
}

#[tokio::test]
async fn rescan_now_imports_what_is_new_and_the_page_lists_the_run_with_its_problems() {
    let app = TestApp::serve(TestLibrary::empty()).await;
    let ada = app.browser("ada", "admin").await;
    let folder = SessionFolder::create(&app.lib.root, "20261201_170000-rescanned");
    folder.write("00001.png", &a1111_png(1));
    folder.write("00002.png", b"not an image at all");

    let started = ada.post_form("/admin/rescan", &[]).await;
    assert!(
        crate::admin::followed(&ada, started)
            .await
            .contains("Rescan started")
    );
    assert!(eventually(Duration::from_secs(20), || runs(&app, "rescan") == 1).await);

    let progress = ada.get("/admin/progress").await;
    assert_eq!(
        progress.headers()["hx-redirect"],
        "/admin",
        "a finished rescan loads the admin page by its own address"
    );
    let page = ada.get_text("/admin").await;
    assert!(
        page.contains("rescan") && page.contains("1 broken"),
        "{page}"
    );
    assert!(
        page.contains("20261201_170000-rescanned/00002.png"),
        "the broken file is listed with its path"
    );
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM images WHERE on_disk"),
        2
    );
}

#[tokio::test]
async fn the_api_starts_a_rescan_for_an_admin_and_answers_where_to_follow_it() {
    let app = TestApp::serve(TestLibrary::empty()).await;
    let admin = app.add_user("ada", "admin");
    let reviewer = app.add_user("rita", "reviewer");
    let client = reqwest::Client::new();
    let url = format!("{}/api/sessions/import", app.address);

    let refused = client
        .post(&url)
        .bearer_auth(&reviewer.token)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("admin"), "{body}");
    assert!(body["field"].is_null());

    let accepted = client
        .post(&url)
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 202);
    assert_eq!(accepted.headers()["location"], "/api/sessions/import");
    let body: serde_json::Value = accepted.json().await.unwrap();
    assert_eq!(body["progress"], "/api/sessions/import");
    assert!(eventually(Duration::from_secs(20), || runs(&app, "rescan") == 1).await);

    let status: serde_json::Value = client
        .get(&url)
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["running"], false);
    assert_eq!(status["last_runs"][0]["kind"], "rescan");
}

#[tokio::test]
async fn the_admin_page_says_when_the_last_import_ran_without_its_backup_and_why() {
    use crate::support::small_disk::SmallDisk;
    let mut lib = TestLibrary::generated();
    lib.import();
    let size = std::fs::metadata(&lib.db).unwrap().len();
    let disk = lib.dir.path().join("disk");
    // Room for the database and its log, not for a copy of it beside them.
    let Some(_disk) = SmallDisk::mount(&disk, size / 1024 + 6 * 1024) else {
        return;
    };
    std::fs::copy(&lib.db, disk.join("metadata.db")).unwrap();
    lib.db = disk.join("metadata.db");
    let session = lib.manifest_session(1);
    let folder = SessionFolder {
        path: lib.session_dir(&session),
        name: session,
    };
    folder.write("99999.png", &a1111_png(9));
    let app = TestApp::serve(lib).await;
    let ada = app.browser("ada", "admin").await;
    assert!(!ada.get_text("/admin").await.contains("without its backup"));

    ada.post_form("/admin/rescan", &[]).await;
    assert!(eventually(Duration::from_secs(20), || runs(&app, "rescan") == 1).await);
    let page = ada.get_text("/admin").await;
    assert!(
        page.contains("The last import ran without its backup")
            && page.contains("a backup needs about"),
        "{page}"
    );
    assert!(page.contains("no backup"), "the run is marked");
}
