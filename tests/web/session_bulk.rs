//! Bulk actions on the sessions list and who may run them.

use crate::support::app::TestApp;

fn first_ids(app: &TestApp, n: usize) -> Vec<String> {
    app.lib
        .text(&format!("SELECT group_concat(id) AS value FROM (SELECT id FROM sessions WHERE is_deleted = 0 AND is_archived = 0 ORDER BY id LIMIT {n})"))
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect()
}

fn form<'a>(action: &'a str, ids: &'a [String]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![("action", action)];
    form.extend(ids.iter().map(|id| ("ids", id.as_str())));
    form
}

fn count_where(app: &TestApp, ids: &[String], condition: &str) -> i64 {
    app.lib.count(&format!(
        "SELECT count(*) AS value FROM sessions WHERE id IN ({}) AND {condition}",
        ids.join(",")
    ))
}

#[tokio::test]
async fn a_reviewer_archives_and_flags_in_bulk_and_sees_a_toast() {
    let app = TestApp::spawn().await;
    let browser = app.browser("rita", "reviewer").await;
    let ids = first_ids(&app, 3);
    let response = browser.post("/sessions/bulk", &form("archive", &ids)).await;
    assert_eq!(response.status(), 200);
    let trigger = response.headers()["hx-trigger"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(trigger.contains("3 sessions archived"), "{trigger}");
    let list = response.text().await.unwrap();
    assert!(
        list.trim_start()
            .starts_with("<section id=\"session-list\"")
    );
    for id in &ids {
        assert!(
            !list.contains(&format!("href=\"/sessions/{id}\"")),
            "archived {id} left the active list"
        );
    }
    assert_eq!(count_where(&app, &ids, "is_archived = 1"), 3);
    for (action, condition) in [
        ("unarchive", "is_archived = 0"),
        ("test", "is_test = 1"),
        ("untest", "is_test = 0"),
        ("failed", "is_failed = 1"),
        ("unfailed", "is_failed = 0"),
    ] {
        let response = browser.post("/sessions/bulk", &form(action, &ids)).await;
        assert_eq!(response.status(), 200, "{action}");
        assert_eq!(count_where(&app, &ids, condition), 3, "{action}");
    }
}

#[tokio::test]
async fn the_list_after_a_bulk_action_keeps_the_filter_of_the_page() {
    let app = TestApp::spawn().await;
    let browser = app.browser("rita", "reviewer").await;
    let ids = first_ids(&app, 1);
    let response = browser
        .client
        .post(format!("{}/sessions/bulk", browser.base))
        .header("X-CSRF-Token", &browser.csrf)
        .header("HX-Request", "true")
        .header(
            "HX-Current-URL",
            format!("{}/sessions?show=archived", browser.base),
        )
        .form(&form("archive", &ids))
        .send()
        .await
        .unwrap();
    let list = response.text().await.unwrap();
    assert!(
        list.contains(&format!("href=\"/sessions/{}\"", ids[0])),
        "the archived view shows it"
    );
}

#[tokio::test]
async fn a_viewer_cannot_archive_and_a_reviewer_cannot_delete() {
    let app = TestApp::spawn().await;
    let ids = first_ids(&app, 2);
    let viewer = app.browser("vera", "viewer").await;
    let response = viewer.post("/sessions/bulk", &form("archive", &ids)).await;
    assert_eq!(response.status(), 403);
    assert!(response.text().await.unwrap().contains("reviewer"));
    let reviewer = app.browser("rita", "reviewer").await;
    for action in ["delete", "restore"] {
        let response = reviewer.post("/sessions/bulk", &form(action, &ids)).await;
        assert_eq!(response.status(), 403, "{action}");
        assert!(response.text().await.unwrap().contains("admin"));
    }
    assert_eq!(
        count_where(&app, &ids, "is_archived = 0 AND is_deleted = 0"),
        2
    );
}

#[tokio::test]
async fn an_admin_deletes_softly_and_restores_and_no_file_is_touched() {
    let app = TestApp::spawn().await;
    let files_before = count_files(&app.lib.root);
    let admin = app.browser("ada", "admin").await;
    let ids = first_ids(&app, 2);
    let response = admin.post("/sessions/bulk", &form("delete", &ids)).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["hx-trigger"]
            .to_str()
            .unwrap()
            .contains("2 sessions moved to the trash")
    );
    assert_eq!(count_where(&app, &ids, "is_deleted = 1"), 2);
    assert_eq!(count_files(&app.lib.root), files_before);
    let response = admin.post("/sessions/bulk", &form("restore", &ids)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(count_where(&app, &ids, "is_deleted = 0"), 2);
}

#[tokio::test]
async fn a_bulk_request_without_ids_or_with_an_unknown_action_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.browser("ada", "admin").await;
    let response = admin.post("/sessions/bulk", &[("action", "archive")]).await;
    assert_eq!(response.status(), 400);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("select at least one")
    );
    let response = admin
        .post("/sessions/bulk", &[("action", "purge"), ("ids", "1")])
        .await;
    assert_eq!(response.status(), 400);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("archive, unarchive")
    );
    let response = admin
        .post("/sessions/bulk", &[("action", "archive"), ("ids", "one")])
        .await;
    assert_eq!(response.status(), 400);
}

pub fn count_files(root: &std::path::Path) -> usize {
    std::fs::read_dir(root)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            if path.is_dir() { count_files(&path) } else { 1 }
        })
        .sum()
}
