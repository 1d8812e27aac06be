//! `/api/sessions`: cursor pages with the sessions page's filters, a session's images, edits,
//! flags and the trash, with roles and errors.

use reqwest::Method;
use serde_json::{Value, json};

use super::api_client::Api;
use crate::support::app::TestApp;

fn ids(items: &[Value]) -> Vec<i64> {
    items.iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

fn first_session(app: &TestApp) -> i64 {
    app.lib.count(
        "SELECT s.id AS value FROM sessions s JOIN session_stats st ON st.session_id = s.id
         WHERE st.image_count >= 3 ORDER BY s.id LIMIT 1",
    )
}

#[tokio::test]
async fn sessions_come_in_cursor_pages_that_add_up_to_the_filtered_list() {
    let app = TestApp::spawn().await;
    let api = Api::as_role(&app, "viewer", "viewer");
    let all = api.all("/api/sessions?limit=3").await;
    let active = app
        .lib
        .count("SELECT count(*) AS value FROM sessions WHERE NOT is_deleted AND NOT is_archived");
    assert_eq!(all.len() as i64, active);
    let mut sorted = ids(&all);
    sorted.dedup();
    assert_eq!(sorted.len(), all.len(), "no session twice across pages");
    assert!(all[0]["image_count"].is_i64() && all[0]["tags"].is_array());

    app.lib.execute(&format!(
        "UPDATE sessions SET is_test = 1 WHERE id = {}",
        first_session(&app)
    ));
    let tests = api.all("/api/sessions?show=test").await;
    assert_eq!(ids(&tests), [first_session(&app)]);
}

#[tokio::test]
async fn bad_list_parameters_are_400s_that_name_the_parameter() {
    let app = TestApp::spawn().await;
    let api = Api::as_role(&app, "viewer", "viewer");
    for (query, field) in [
        ("colour=red", "colour"),
        ("show=hidden", "show"),
        ("page=2", "page"),
        ("limit=0", "limit"),
        ("cursor=zzz", "cursor"),
        ("from=2024-13-01", "from"),
    ] {
        let (status, body) = api.get(&format!("/api/sessions?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["field"], field, "{query}: {body}");
        assert!(!body["error"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn without_a_valid_token_the_api_answers_401_in_json() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    for auth in [None, Some("Bearer sdr_nope_nope"), Some("Basic abc")] {
        let mut request = client.get(format!("{}/api/sessions", app.address));
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401, "{auth:?}");
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().len() > 5, "{body}");
    }
}

#[tokio::test]
async fn a_sessions_images_take_the_gallery_filters_and_an_unknown_session_is_a_404() {
    let app = TestApp::spawn().await;
    let api = Api::as_role(&app, "viewer", "viewer");
    let session = first_session(&app);
    let images = api
        .all(&format!("/api/sessions/{session}/images?limit=2"))
        .await;
    let expected = app.lib.count(&format!(
        "SELECT count(*) AS value FROM images WHERE session_id = {session} AND on_disk AND NOT is_deleted"
    ));
    assert_eq!(images.len() as i64, expected);
    assert!(images.iter().all(|i| i["session"]["id"] == session));
    assert!(images[0]["file_path"].as_str().unwrap().contains('/'));

    let (status, body) = api
        .get(&format!("/api/sessions/{session}/images?status=ko"))
        .await;
    assert_eq!((status, body["items"].as_array().unwrap().len()), (200, 0));
    let (status, body) = api.get("/api/sessions/999999/images").await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = api
        .get(&format!("/api/sessions/{session}/images?status=maybe"))
        .await;
    assert_eq!((status, body["field"].as_str()), (400, Some("status")));
    let (status, _) = api
        .get(&format!("/api/sessions/{session}/images?deleted=1"))
        .await;
    assert_eq!(status, 403, "the trash is for admins");
}

#[tokio::test]
async fn a_reviewer_edits_a_session_and_a_viewer_is_refused_without_a_write() {
    let app = TestApp::spawn().await;
    let reviewer = Api::as_role(&app, "rita", "reviewer");
    let viewer = Api::as_role(&app, "vic", "viewer");
    let session = first_session(&app);
    let path = format!("/api/sessions/{session}/metadata");

    let (status, body) = viewer.patch(&path, json!({"notes": "mine"})).await;
    assert_eq!(status, 403, "{body}");
    assert!(body["error"].as_str().unwrap().contains("reviewer"));
    assert_eq!(
        app.lib.text(&format!(
            "SELECT notes AS value FROM sessions WHERE id = {session}"
        )),
        None
    );

    let edit = json!({"display_name": "Foxes, 猫", "notes": "two\nlines", "tags": ["keep", "fox"]});
    let (status, body) = reviewer.patch(&path, edit).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["display_name"], "Foxes, 猫");
    assert_eq!(body["notes"], "two\nlines");
    assert_eq!(body["tags"], json!(["fox", "keep"]));
    let (_, body) = reviewer.patch(&path, json!({"display_name": null})).await;
    assert_eq!(body["display_name"], Value::Null);
    assert_eq!(
        body["notes"], "two\nlines",
        "absent fields stay as they are"
    );

    let (status, body) = reviewer.patch(&path, json!({"colour": "red"})).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("colour")));
    let (status, body) = reviewer.patch(&path, json!({"tags": ["a, b"]})).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("tags")),
        "{body}"
    );
    let (status, _) = reviewer
        .patch("/api/sessions/999999/metadata", json!({"notes": "x"}))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn flags_set_what_is_given_and_leave_the_rest() {
    let app = TestApp::spawn().await;
    let reviewer = Api::as_role(&app, "rita", "reviewer");
    let session = first_session(&app);
    let path = format!("/api/sessions/{session}/flags");
    let (status, body) = reviewer
        .post(&path, json!({"test": true, "starred": true}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["is_test"].as_bool(), body["is_starred"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(body["is_failed"], false);
    let (_, body) = reviewer.post(&path, json!({"test": false})).await;
    assert_eq!(
        (body["is_test"].as_bool(), body["is_starred"].as_bool()),
        (Some(false), Some(true))
    );
    let (status, body) = reviewer.post(&path, json!({})).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = reviewer.post(&path, json!({"test": "yes"})).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("test")),
        "{body}"
    );
}

#[tokio::test]
async fn only_an_admin_moves_a_session_to_the_trash_and_back() {
    let app = TestApp::spawn().await;
    let reviewer = Api::as_role(&app, "rita", "reviewer");
    let admin = Api::as_role(&app, "ada", "admin");
    let session = first_session(&app);
    let path = format!("/api/sessions/{session}");
    let (status, _) = reviewer.delete(&path).await;
    assert_eq!(status, 403);
    let deleted = || {
        app.lib.count(&format!(
            "SELECT is_deleted AS value FROM sessions WHERE id = {session}"
        ))
    };
    assert_eq!(deleted(), 0);
    let (status, body) = admin.delete(&path).await;
    assert_eq!((status, body["changed"].as_bool()), (200, Some(true)));
    assert_eq!(deleted(), 1);
    let (_, body) = admin.delete(&path).await;
    assert_eq!(body["changed"], false);
    let (status, body) = admin.post(&format!("{path}/restore"), json!({})).await;
    assert_eq!((status, body["changed"].as_bool()), (200, Some(true)));
    assert_eq!(deleted(), 0);
    let (status, _) = admin.delete("/api/sessions/999999").await;
    assert_eq!(status, 404);
    let response = admin.send(Method::PUT, &path, None).await;
    assert_eq!(response.status(), 405);
}
