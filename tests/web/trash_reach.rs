//! What is in the trash (a deleted image, any image of a deleted session, a deleted session)
//! answers 404 to everyone on every route that takes its id, except that an admin looks at it
//! read-only from the trash; nothing but restore writes to it, and bulk actions skip it.

use crate::support::app::{Browser, TestApp};

/// Two readable PNGs of one live session: (image, another of the same session).
fn two_images(app: &TestApp) -> (i64, i64) {
    let image = crate::ratings::good_image(app);
    let other = app.lib.count(&format!(
        "SELECT min(id) AS value FROM images WHERE id > {image} AND broken IS NULL AND on_disk
           AND session_id = (SELECT session_id FROM images WHERE id = {image})"
    ));
    (image, other)
}

fn session_of(app: &TestApp, image: i64) -> i64 {
    app.lib.count(&format!(
        "SELECT session_id AS value FROM images WHERE id = {image}"
    ))
}

fn writes_to(app: &TestApp, image: i64) -> i64 {
    app.lib.count(&format!(
        "SELECT (SELECT count(*) FROM judgements WHERE image_id = {image})
              + (SELECT count(*) FROM images WHERE id = {image} AND notes IS NOT NULL) AS value"
    ))
}

/// Every read and write of an image by id, with the statuses it answered.
async fn image_routes(browser: &Browser, image: i64) -> Vec<(String, u16)> {
    let mut answers = Vec::new();
    for path in ["", "/original", "/thumb"] {
        let path = format!("/images/{image}{path}");
        answers.push((path.clone(), browser.get(&path).await.status().as_u16()));
    }
    for (path, form) in [
        ("rating", &[("action", "like")][..]),
        ("notes", &[("notes", "hidden")][..]),
    ] {
        let path = format!("/images/{image}/{path}");
        answers.push((
            path.clone(),
            browser.post(&path, form).await.status().as_u16(),
        ));
    }
    answers
}

/// Every read and write of a session by id.
async fn session_routes(browser: &Browser, session: i64, image: i64) -> Vec<(String, u16)> {
    let mut answers = Vec::new();
    let id = image.to_string();
    for path in [
        format!("/sessions/{session}"),
        format!("/sessions/{session}/tiles?page=1"),
        format!("/sessions/{session}/tiles/{image}"),
        format!("/search/tiles?session={session}"),
    ] {
        answers.push((path.clone(), browser.get(&path).await.status().as_u16()));
    }
    for (path, form) in [
        ("name", &[("display_name", "renamed")][..]),
        ("notes", &[("notes", "hidden")][..]),
        ("flags", &[("flag", "test"), ("value", "1")][..]),
        ("star", &[][..]),
        ("tags", &[("tag", "hidden")][..]),
        ("tags/remove", &[("tag", "hidden")][..]),
        (
            "images/bulk",
            &[("ids", id.as_str()), ("action", "like")][..],
        ),
    ] {
        let path = format!("/sessions/{session}/{path}");
        answers.push((
            path.clone(),
            browser.post(&path, form).await.status().as_u16(),
        ));
    }
    answers
}

fn all_404(answers: &[(String, u16)], who: &str) {
    for (path, status) in answers {
        assert_eq!(*status, 404, "{who}: {path}");
    }
}

/// The first `reads` answers (reads) are 404; the writes too, but a viewer may not write
/// anything and hears so first.
fn out_of_reach(answers: &[(String, u16)], reads: usize, role: &str) {
    all_404(&answers[..reads], role);
    let writes = if role == "viewer" { 403 } else { 404 };
    for (path, status) in &answers[reads..] {
        assert_eq!(*status, writes, "{role}: {path}");
    }
}

#[tokio::test]
async fn a_deleted_image_is_out_of_reach_of_viewers_and_reviewers_and_unchanged_by_admins() {
    let app = TestApp::spawn().await;
    let (image, _) = two_images(&app);
    app.lib.execute(&format!(
        "UPDATE images SET is_deleted = 1 WHERE id = {image}"
    ));
    for role in ["viewer", "reviewer"] {
        let browser = app.browser(role, role).await;
        out_of_reach(&image_routes(&browser, image).await, 3, role);
    }
    let admin = app.browser("ada", "admin").await;
    let answers = image_routes(&admin, image).await;
    assert!(answers[..3].iter().all(|(_, s)| *s == 200), "{answers:?}");
    all_404(&answers[3..], "admin writing");
    assert_eq!(writes_to(&app, image), 0, "nothing was written");
}

#[tokio::test]
async fn a_deleted_session_and_its_images_are_out_of_reach_and_unchanged() {
    let app = TestApp::spawn().await;
    let (image, _) = two_images(&app);
    let session = session_of(&app, image);
    app.lib.execute(&format!(
        "UPDATE sessions SET is_deleted = 1 WHERE id = {session}"
    ));
    let before = app.lib.text(&format!(
        "SELECT updated_at AS value FROM sessions WHERE id = {session}"
    ));
    let live = app.lib.count(&format!(
        "SELECT min(id) AS value FROM images WHERE session_id != {session} AND on_disk"
    ));
    for role in ["viewer", "reviewer"] {
        let browser = app.browser(role, role).await;
        out_of_reach(&image_routes(&browser, image).await, 3, role);
        out_of_reach(&session_routes(&browser, session, image).await, 4, role);
        let through = format!("/images/{live}?session={session}");
        assert_eq!(browser.get(&through).await.status(), 404, "{through}");
        assert_eq!(browser.get(&format!("/images/{live}")).await.status(), 200);
    }
    let admin = app.browser("ada", "admin").await;
    let answers = session_routes(&admin, session, image).await;
    assert!(answers[..4].iter().all(|(_, s)| *s == 200), "{answers:?}");
    all_404(&answers[4..], "admin writing");
    all_404(&image_routes(&admin, image).await[3..], "admin writing");
    assert_eq!(writes_to(&app, image), 0);
    assert_eq!(
        app.lib.text(&format!(
            "SELECT updated_at AS value FROM sessions WHERE id = {session}"
        )),
        before,
        "no name, notes, flag, star or tag was written"
    );
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM session_tags WHERE tag = 'hidden'"),
        0
    );
}

#[tokio::test]
async fn an_admin_sees_a_trashed_image_read_only_and_restores_it_from_its_page() {
    let app = TestApp::spawn().await;
    let (image, _) = two_images(&app);
    app.lib.execute(&format!(
        "UPDATE images SET is_deleted = 1 WHERE id = {image}"
    ));
    let admin = app.browser("ada", "admin").await;
    let page = admin.get_text(&format!("/images/{image}")).await;
    assert!(page.contains("This image is in the trash"), "{page}");
    assert!(page.contains(&format!("/trash/images/{image}/restore")));
    assert!(!page.contains("id=\"rate-perfect\""), "no rating buttons");
    assert!(
        !page.contains(&format!("/images/{image}/notes")),
        "no notes form"
    );
    assert!(!page.contains("ko-dialog\""), "no KO dialog");

    let restored = admin
        .client
        .post(format!("{}/trash/images/{image}/restore", admin.base))
        .header("X-CSRF-Token", &admin.csrf)
        .header("HX-Request", "true")
        .header("HX-Current-URL", format!("{}/images/{image}", admin.base))
        .send()
        .await
        .unwrap();
    assert_eq!(restored.status(), 200);
    assert_eq!(restored.headers()["hx-refresh"], "true", "the page reloads");
    let page = admin.get_text(&format!("/images/{image}")).await;
    assert!(!page.contains("in the trash"));
    assert!(page.contains("id=\"rate-perfect\""));
}

#[tokio::test]
async fn an_admin_sees_a_trashed_session_read_only_with_a_restore_button() {
    let app = TestApp::spawn().await;
    let (image, _) = two_images(&app);
    let session = session_of(&app, image);
    app.lib.execute(&format!(
        "UPDATE sessions SET is_deleted = 1 WHERE id = {session}"
    ));
    let admin = app.browser("ada", "admin").await;
    let page = admin.get_text(&format!("/sessions/{session}")).await;
    assert!(page.contains("This session is in the trash"), "{page}");
    assert!(page.contains(&format!("/trash/sessions/{session}/restore")));
    assert!(
        !page.contains(&format!("/sessions/{session}/name")),
        "no rename"
    );
    assert!(
        !page.contains(&format!("/sessions/{session}/flags")),
        "no flags"
    );
    assert!(!page.contains("name=\"action\""), "no bulk actions");
    let image_page = admin.get_text(&format!("/images/{image}")).await;
    assert!(image_page.contains("This image's session is in the trash"));
    assert!(image_page.contains(&format!("/trash/sessions/{session}/restore")));
}

#[tokio::test]
async fn bulk_actions_skip_what_is_in_the_trash_and_say_how_many() {
    let app = TestApp::spawn().await;
    let (image, other) = two_images(&app);
    app.lib.execute(&format!(
        "UPDATE images SET is_deleted = 1 WHERE id = {other}"
    ));
    let reviewer = app.browser("rita", "reviewer").await;
    let form = [
        ("ids", image.to_string()),
        ("ids", other.to_string()),
        ("action", "like".to_owned()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = reviewer.post("/search/bulk", &form).await;
    assert_eq!(response.status(), 200);
    let toast = response.headers()["hx-trigger"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        toast.contains("Liked 1 image; 1 in the trash was skipped"),
        "{toast}"
    );
    assert_eq!(writes_to(&app, image), 1);
    assert_eq!(writes_to(&app, other), 0);

    let (live, deleted) = (
        app.lib.count("SELECT min(id) AS value FROM sessions"),
        app.lib.count("SELECT max(id) AS value FROM sessions"),
    );
    app.lib.execute(&format!(
        "UPDATE sessions SET is_deleted = 1 WHERE id = {deleted}"
    ));
    let (live, deleted) = (live.to_string(), deleted.to_string());
    let response = reviewer
        .post(
            "/sessions/bulk",
            &[("action", "archive"), ("ids", &live), ("ids", &deleted)],
        )
        .await;
    assert_eq!(response.status(), 200);
    let toast = response.headers()["hx-trigger"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        toast.contains("1 session archived; 1 in the trash was skipped"),
        "{toast}"
    );
    assert_eq!(
        app.lib.count(&format!(
            "SELECT is_archived AS value FROM sessions WHERE id = {deleted}"
        )),
        0
    );
}

#[tokio::test]
async fn only_an_admin_lists_deleted_sessions() {
    let app = TestApp::spawn().await;
    for role in ["viewer", "reviewer"] {
        let browser = app.browser(role, role).await;
        assert_eq!(browser.get("/sessions?show=deleted").await.status(), 403);
        let page = browser.get_text("/sessions").await;
        assert!(!page.contains("<option value=\"deleted\""), "{role}");
    }
    let admin = app.browser("ada", "admin").await;
    assert_eq!(admin.get("/sessions?show=deleted").await.status(), 200);
}
