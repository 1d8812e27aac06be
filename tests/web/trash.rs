//! The trash: deleted sessions and images, restorable, for admins only.

use crate::session_bulk::count_files;
use crate::sessions::listed;
use crate::support::app::TestApp;

fn delete_some(app: &TestApp) -> (i64, i64) {
    let session = app.lib.count("SELECT min(id) AS value FROM sessions");
    let image = app.lib.count(&format!(
        "SELECT min(id) AS value FROM images WHERE session_id != {session}"
    ));
    app.lib.execute(&format!(
        "UPDATE sessions SET is_deleted = 1 WHERE id = {session};
         UPDATE images SET is_deleted = 1 WHERE id = {image};"
    ));
    (session, image)
}

#[tokio::test]
async fn only_an_admin_sees_the_trash() {
    let app = TestApp::spawn().await;
    for role in ["viewer", "reviewer"] {
        let browser = app.browser(role, role).await;
        let response = browser.get("/trash").await;
        assert_eq!(response.status(), 403, "{role}");
        assert!(response.text().await.unwrap().contains("admin"));
        assert_eq!(
            browser
                .post("/trash/sessions/1/restore", &[])
                .await
                .status(),
            403
        );
    }
}

#[tokio::test]
async fn the_trash_lists_deleted_sessions_and_images_and_restores_them_one_by_one() {
    let app = TestApp::spawn().await;
    let (session, image) = delete_some(&app);
    let files_before = count_files(&app.lib.root);
    let admin = app.browser("ada", "admin").await;
    let page = admin.get_text("/trash").await;
    assert_eq!(listed(&page), vec![session]);
    assert!(page.contains(&format!(
        "<img src=\"/images/{image}/thumb\" loading=\"lazy\""
    )));
    assert!(!listed(&admin.get_text("/sessions?show=all&per_page=200").await).contains(&session));

    let response = admin
        .post(&format!("/trash/sessions/{session}/restore"), &[])
        .await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["hx-trigger"]
            .to_str()
            .unwrap()
            .contains("1 session restored")
    );
    assert!(listed(&response.text().await.unwrap()).is_empty());
    assert_eq!(
        app.lib.count(&format!(
            "SELECT is_deleted AS value FROM sessions WHERE id = {session}"
        )),
        0
    );
    assert!(listed(&admin.get_text("/sessions?show=all&per_page=200").await).contains(&session));

    let images_before = app.lib.count(&format!("SELECT image_count AS value FROM session_stats WHERE session_id = (SELECT session_id FROM images WHERE id = {image})"));
    let response = admin
        .post(&format!("/trash/images/{image}/restore"), &[])
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        app.lib.count(&format!(
            "SELECT is_deleted AS value FROM images WHERE id = {image}"
        )),
        0
    );
    let images_after = app.lib.count(&format!("SELECT image_count AS value FROM session_stats WHERE session_id = (SELECT session_id FROM images WHERE id = {image})"));
    assert_eq!(
        images_after,
        images_before + 1,
        "the restored image counts in its session again"
    );
    assert_eq!(count_files(&app.lib.root), files_before);
}

#[tokio::test]
async fn selected_sessions_and_images_are_restored_together() {
    let app = TestApp::spawn().await;
    app.lib.execute(
        "UPDATE sessions SET is_deleted = 1 WHERE id IN (SELECT id FROM sessions ORDER BY id LIMIT 2);
         UPDATE images SET is_deleted = 1 WHERE id IN (SELECT id FROM images ORDER BY id LIMIT 3);",
    );
    let admin = app.browser("ada", "admin").await;
    let sessions = app
        .lib
        .text("SELECT group_concat(id) AS value FROM sessions WHERE is_deleted = 1")
        .unwrap();
    let images = app
        .lib
        .text("SELECT group_concat(id) AS value FROM images WHERE is_deleted = 1")
        .unwrap();
    let mut form: Vec<(&str, &str)> = sessions.split(',').map(|id| ("sessions", id)).collect();
    form.extend(images.split(',').map(|id| ("images", id)));
    let response = admin.post("/trash/restore", &form).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["hx-trigger"]
            .to_str()
            .unwrap()
            .contains("2 sessions and 3 images restored")
    );
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM sessions WHERE is_deleted = 1"),
        0
    );
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM images WHERE is_deleted = 1"),
        0
    );
    assert_eq!(admin.get("/trash?images_page=0").await.status(), 400);
}
