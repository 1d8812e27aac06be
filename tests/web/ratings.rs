//! Rating an image over HTTP: toggles, the KO category, undo, roles, CSRF, two raters at once.

use crate::support::app::{Browser, TestApp};

/// A readable PNG in a session with several of them.
pub fn good_image(app: &TestApp) -> i64 {
    app.lib.count(
        "SELECT id AS value FROM images WHERE broken IS NULL AND format = 'png' AND on_disk
         ORDER BY id LIMIT 1",
    )
}

async fn post_many(browser: &Browser, path: &str, form: &[(&str, &str)], times: usize) {
    for _ in 0..times {
        assert_eq!(browser.post(path, form).await.status(), 200);
    }
}

fn judgement(app: &TestApp, image: i64, user: &str, column: &str) -> Option<String> {
    app.lib.text(&format!(
        "SELECT CAST(j.{column} AS TEXT) AS value FROM judgements j JOIN users u ON u.id = j.user_id
         WHERE j.image_id = {image} AND u.name = '{user}'"
    ))
}

#[tokio::test]
async fn rating_buttons_toggle_at_once_and_the_counters_follow() {
    let app = TestApp::spawn().await;
    let alice = app.browser("alice", "reviewer").await;
    let image = good_image(&app);
    let path = format!("/images/{image}/rating");

    let response = alice.post(&path, &[("action", "perfect")]).await;
    assert_eq!(response.status(), 200);
    let trigger = response.headers()["hx-trigger"]
        .to_str()
        .unwrap()
        .to_owned();
    let event: serde_json::Value = serde_json::from_str(&trigger).unwrap();
    assert_eq!(event["rated"]["id"], image);
    assert_eq!(event["rated"]["quality"], "perfect");
    assert_eq!(event["rated"]["liked"], false);
    let panel = response.text().await.unwrap();
    assert!(
        panel.starts_with("\n    <section id=\"rating-panel\"")
            || panel.contains("id=\"rating-panel\"")
    );
    assert!(!panel.contains("<html"), "a fragment, not a page");
    assert!(panel.contains(r#"id="rate-perfect" hx-post"#));
    let pressed = panel.split("id=\"rate-perfect\"").nth(1).unwrap();
    assert!(pressed[..pressed.find('>').unwrap()].contains(r#"aria-pressed="true""#));
    assert_eq!(
        judgement(&app, image, "alice", "quality").as_deref(),
        Some("perfect")
    );
    let counter = |column: &str| {
        app.lib.count(&format!(
            "SELECT {column} AS value FROM images WHERE id = {image}"
        ))
    };
    assert_eq!(counter("perfect_count"), 1);

    alice.post(&path, &[("action", "like")]).await;
    assert_eq!(counter("like_count"), 1);
    let again = alice.post(&path, &[("action", "perfect")]).await;
    assert_eq!(again.status(), 200);
    assert_eq!(judgement(&app, image, "alice", "quality"), None);
    assert_eq!(counter("perfect_count"), 0);
    assert_eq!(
        counter("like_count"),
        1,
        "the heart stays when the thumb is taken back"
    );
}

#[tokio::test]
async fn two_users_rating_the_same_image_at_once_both_count_and_the_verdict_is_split() {
    let app = TestApp::spawn().await;
    let alice = app.browser("alice", "reviewer").await;
    let bob = app.browser("bob", "reviewer").await;
    let image = good_image(&app);
    let path = format!("/images/{image}/rating");
    let ok = [("action", "restore"), ("status", "ok"), ("liked", "true")];
    let ko = [("action", "ko"), ("category", "noise"), ("notes", "grain")];
    tokio::join!(
        post_many(&alice, &path, &ok, 10),
        post_many(&bob, &path, &ko, 10),
        post_many(&alice, &path, &ok, 10),
        post_many(&bob, &path, &ko, 10),
    );

    assert_eq!(
        app.lib.count(&format!(
            "SELECT count(*) AS value FROM judgements WHERE image_id = {image}"
        )),
        2
    );
    assert_eq!(
        judgement(&app, image, "alice", "status").as_deref(),
        Some("ok")
    );
    assert_eq!(
        judgement(&app, image, "bob", "failure_category").as_deref(),
        Some("noise")
    );
    let counts = app.lib.text(&format!(
        "SELECT rater_count || ' ' || ok_count || ' ' || ko_count || ' ' || like_count AS value FROM images WHERE id = {image}"
    ));
    assert_eq!(counts.as_deref(), Some("2 1 1 1"));
    let page = alice.get_text(&format!("/images/{image}")).await;
    assert!(
        page.contains("the raters disagree"),
        "the combined verdict says split"
    );
    assert!(page.contains("KO · Noise or artefacts"));
}

#[tokio::test]
async fn a_viewer_cannot_rate_and_is_told_why() {
    let app = TestApp::spawn().await;
    let viewer = app.browser("vera", "viewer").await;
    let image = good_image(&app);
    let response = viewer
        .post(&format!("/images/{image}/rating"), &[("action", "like")])
        .await;
    assert_eq!(response.status(), 403);
    assert!(response.text().await.unwrap().contains("reviewer role"));
    assert_eq!(app.lib.count("SELECT count(*) AS value FROM judgements"), 0);
    let page = viewer.get_text(&format!("/images/{image}")).await;
    assert!(
        !page.contains("id=\"rate-like\""),
        "a viewer sees no rating buttons"
    );
}

#[tokio::test]
async fn a_rating_without_the_page_token_is_refused() {
    let app = TestApp::spawn().await;
    let alice = app.browser("alice", "reviewer").await;
    let image = good_image(&app);
    let response = alice
        .post_without_csrf(&format!("/images/{image}/rating"), &[("action", "like")])
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.lib.count("SELECT count(*) AS value FROM judgements"), 0);
}

#[tokio::test]
async fn bad_rating_forms_get_a_400_that_says_what_is_allowed() {
    let app = TestApp::spawn().await;
    let alice = app.browser("alice", "reviewer").await;
    let image = good_image(&app);
    let path = format!("/images/{image}/rating");
    let response = alice
        .post(&path, &[("action", "ko"), ("category", "ugly")])
        .await;
    assert_eq!(response.status(), 400);
    let body = response.text().await.unwrap();
    assert!(body.contains("unknown failure category"), "{body}");
    assert!(
        body.contains("malformed, noise, incomplete, off_prompt"),
        "{body}"
    );
    let response = alice.post(&path, &[("action", "ko")]).await;
    assert_eq!(response.status(), 400);
    let long = "x".repeat(5000);
    let response = alice
        .post(
            &path,
            &[("action", "ko"), ("category", "noise"), ("notes", &long)],
        )
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        alice
            .post("/images/999999/rating", &[("action", "like")])
            .await
            .status(),
        404
    );
    assert_eq!(app.lib.count("SELECT count(*) AS value FROM judgements"), 0);
}

#[tokio::test]
async fn undo_puts_back_the_verdict_from_before_the_last_change() {
    let app = TestApp::spawn().await;
    let alice = app.browser("alice", "reviewer").await;
    let image = good_image(&app);
    let path = format!("/images/{image}/rating");
    alice
        .post(
            &path,
            &[
                ("action", "ko"),
                ("category", "malformed"),
                ("notes", "six fingers"),
            ],
        )
        .await;
    let panel = alice
        .post(&path, &[("action", "perfect")])
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        judgement(&app, image, "alice", "status").as_deref(),
        Some("ok")
    );
    // The panel carries the previous verdict in its undo form.
    let undo = &panel[panel.find("class=\"undo\"").expect("an undo form")..];
    let value = |name: &str| {
        let at = undo.find(&format!("name=\"{name}\" value=\"")).unwrap() + name.len() + 15;
        undo[at..at + undo[at..].find('"').unwrap()].to_owned()
    };
    assert_eq!(value("status"), "ko");
    assert_eq!(value("category"), "malformed");
    let form = [
        ("action", "restore".to_owned()),
        ("quality", value("quality")),
        ("liked", value("liked")),
        ("status", value("status")),
        ("category", value("category")),
        ("notes", value("notes")),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(alice.post(&path, &form).await.status(), 200);
    assert_eq!(
        judgement(&app, image, "alice", "status").as_deref(),
        Some("ko")
    );
    assert_eq!(
        judgement(&app, image, "alice", "failure_notes").as_deref(),
        Some("six fingers")
    );
    assert_eq!(judgement(&app, image, "alice", "quality"), None);
}

/// The page's button, a gallery bulk action and the API all rate through one function, so
/// they refuse an unknown category with the same message, naming the valid ones.
#[tokio::test]
async fn every_rating_path_refuses_an_unknown_category_with_the_same_message() {
    let app = TestApp::spawn().await;
    let alice = app.browser("alice", "reviewer").await;
    let image = good_image(&app);
    let session = app.lib.count(&format!(
        "SELECT session_id AS value FROM images WHERE id = {image}"
    ));
    let id = image.to_string();
    let one = alice
        .post(
            &format!("/images/{image}/rating"),
            &[("action", "ko"), ("category", "ugly")],
        )
        .await;
    let bulk = alice
        .post(
            &format!("/sessions/{session}/images/bulk"),
            &[("ids", &id), ("action", "ko"), ("category", "ugly")],
        )
        .await;
    let expected =
        "unknown failure category `ugly`: use one of malformed, noise, incomplete, off_prompt";
    for (what, response) in [("button", one), ("bulk", bulk)] {
        assert_eq!(response.status(), 400, "{what}");
        let body = response.text().await.unwrap();
        assert!(body.contains(expected), "{what}: {body}");
    }
    assert_eq!(app.lib.count("SELECT count(*) AS value FROM judgements"), 0);
}
