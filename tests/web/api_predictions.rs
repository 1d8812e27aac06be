//! Writing `ml_predictions` back: one image (replace, merge), many as JSONL with a report.

use serde_json::json;

use super::api_client::Api;
use super::ratings::good_image;
use crate::support::app::TestApp;

fn stored(app: &TestApp, image: i64) -> Option<serde_json::Value> {
    app.lib
        .text(&format!(
            "SELECT ml_predictions AS value FROM images WHERE id = {image}"
        ))
        .map(|text| serde_json::from_str(&text).unwrap())
}

#[tokio::test]
async fn put_replaces_and_patch_merges_an_images_predictions() {
    let app = TestApp::spawn().await;
    let api = Api::as_role(&app, "bot", "reviewer");
    let image = good_image(&app);
    let path = format!("/api/images/{image}/predictions");
    let (status, body) = api
        .put(&path, json!({"malformed": 0.9, "model": "clf-1"}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        stored(&app, image),
        Some(json!({"malformed": 0.9, "model": "clf-1"}))
    );
    let (_, body) = api
        .patch(&path, json!({"malformed": null, "noise": 0.1}))
        .await;
    assert_eq!(
        body["ml_predictions"],
        json!({"model": "clf-1", "noise": 0.1})
    );
    assert_eq!(
        stored(&app, image),
        Some(json!({"model": "clf-1", "noise": 0.1}))
    );
    let (_, listed) = api.get(&format!("/api/images/{image}")).await;
    assert_eq!(listed["ml_predictions"]["noise"], 0.1);

    let (status, body) = api.put(&path, json!([1, 2])).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("body")),
        "{body}"
    );
    assert_eq!(
        api.put("/api/images/999999/predictions", json!({})).await.0,
        404
    );
    let viewer = Api::as_role(&app, "vic", "viewer");
    assert_eq!(viewer.put(&path, json!({"x": 1})).await.0, 403);
    assert_eq!(
        stored(&app, image),
        Some(json!({"model": "clf-1", "noise": 0.1}))
    );
}

#[tokio::test]
async fn a_jsonl_upload_applies_good_lines_and_reports_each_refused_one() {
    let app = TestApp::spawn().await;
    let image = good_image(&app);
    let body = format!(
        "{{\"image_id\": {image}, \"predictions\": {{\"ok\": 0.99}}}}\n\
         \n\
         not json\n\
         {{\"image_id\": 999999, \"predictions\": {{}}}}\n\
         {{\"image_id\": {image}, \"predictions\": 3}}\n"
    );
    let user = app.add_user("bot", "reviewer");
    let response = reqwest::Client::new()
        .post(format!("{}/api/predictions", app.address))
        .bearer_auth(&user.token)
        .header("Content-Type", "application/x-ndjson")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let report: serde_json::Value = response.json().await.unwrap();
    assert_eq!(report["applied"], 1, "{report}");
    assert_eq!(report["refused_count"], 3);
    let lines: Vec<i64> = report["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, [3, 4, 5]);
    assert!(
        report["refused"][1]["error"]
            .as_str()
            .unwrap()
            .contains("no image 999999")
    );
    assert_eq!(stored(&app, image), Some(json!({"ok": 0.99})));
}

#[tokio::test]
async fn an_upload_past_the_limit_is_a_413_in_json() {
    let app = TestApp::spawn().await;
    let user = app.add_user("bot", "reviewer");
    let response = reqwest::Client::new()
        .post(format!("{}/api/predictions", app.address))
        .bearer_auth(&user.token)
        .body(vec![b' '; 64 * 1024 * 1024 + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("64 MiB"), "{body}");
}
