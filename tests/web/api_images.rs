//! `/api/images`: search and filters, one image whole, notes, rating through the pages' rating
//! function, the trash; roles and errors.

use serde_json::{Value, json};

use super::api_client::Api;
use super::ratings::good_image;
use crate::support::app::TestApp;

fn judgement_count(app: &TestApp) -> i64 {
    app.lib.count("SELECT count(*) AS value FROM judgements")
}

#[tokio::test]
async fn search_and_filters_list_the_same_images_as_sql() {
    let app = TestApp::spawn().await;
    let api = Api::as_role(&app, "viewer", "viewer");
    let word = app
        .lib
        .text(
            "SELECT p.text AS value FROM prompt_texts p JOIN images i ON i.prompt_id = p.id
             WHERE i.on_disk ORDER BY i.id LIMIT 1",
        )
        .unwrap();
    let word = word
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.len() > 4)
        .unwrap()
        .to_owned();
    let found = api.all(&format!("/api/images?q={word}&limit=50")).await;
    assert!(!found.is_empty());
    assert!(found.iter().all(|i| {
        let prompt = i["prompt"].as_str().unwrap_or_default().to_lowercase();
        let negative = i["negative_prompt"]
            .as_str()
            .unwrap_or_default()
            .to_lowercase();
        prompt.contains(&word.to_lowercase()) || negative.contains(&word.to_lowercase())
    }));
    let ids: Vec<i64> = found.iter().map(|i| i["id"].as_i64().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "id order, so cursors never skip");

    let all = api.all("/api/images?limit=1000").await;
    assert_eq!(
        all.len() as i64,
        app.lib.count(
            "SELECT count(*) AS value FROM images i JOIN sessions s ON s.id = i.session_id
             WHERE i.on_disk AND NOT i.is_deleted AND NOT s.is_deleted"
        )
    );
    let (status, body) = api.get("/api/images?sort=seed").await;
    assert_eq!((status, body["field"].as_str()), (400, Some("sort")));
    let (status, body) = api.get("/api/images?q=-only").await;
    assert_eq!((status, body["field"].as_str()), (400, Some("q")), "{body}");
}

#[tokio::test]
async fn one_image_comes_whole_with_its_parameters_and_metadata() {
    let app = TestApp::spawn().await;
    let api = Api::as_role(&app, "viewer", "viewer");
    let image = good_image(&app);
    let (status, body) = api.get(&format!("/api/images/{image}")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["id"], image);
    assert!(body["parameters"]["Steps"].is_string(), "{body}");
    assert!(
        body["metadata"]["parameters"].is_string(),
        "the A1111 text is put back"
    );
    let (status, _) = api.get("/api/images/999999").await;
    assert_eq!(status, 404);
    let (status, body) = api.get(&format!("/api/images/{image}?verbose=1")).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("verbose")),
        "{body}"
    );
    let (status, body) = api.get("/api/images/abc").await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn rating_sets_without_toggling_and_an_unknown_category_is_a_422_listing_the_valid_ones() {
    let app = TestApp::spawn().await;
    let api = Api::as_role(&app, "rita", "reviewer");
    let image = good_image(&app);
    let path = format!("/api/images/{image}/rating");

    let (status, body) = api.post(&path, json!({"action": "perfect"})).await;
    assert_eq!(
        (status, body["changed"].as_bool()),
        (200, Some(true)),
        "{body}"
    );
    assert_eq!(body["image"]["perfect_count"], 1);
    assert_eq!(body["image"]["raters"][0]["name"], "rita");
    let (_, body) = api.post(&path, json!({"action": "perfect"})).await;
    assert_eq!(body["changed"], false, "sending it again changes nothing");
    assert_eq!(body["image"]["quality"], "perfect");

    let (status, body) = api
        .post(&path, json!({"action": "ko", "category": "ugly"}))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["field"], "category");
    assert_eq!(
        body["valid"],
        json!(["malformed", "noise", "incomplete", "off_prompt"])
    );
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("unknown failure category `ugly`")
    );
    let (status, body) = api.post(&path, json!({"action": "ko"})).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("category")),
        "{body}"
    );
    let (status, body) = api.post(&path, json!({"action": "burn"})).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("action")),
        "{body}"
    );

    let (status, body) = api
        .post(
            &path,
            json!({"action": "ko", "category": "noise", "notes": "grain, \"heavy\""}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["image"]["status"], "ko");
    assert_eq!(
        body["image"]["raters"][0]["failure_notes"],
        "grain, \"heavy\""
    );
    let (_, body) = api.post(&path, json!({"action": "restore"})).await;
    assert_eq!(
        body["image"]["rater_count"], 0,
        "restore with nothing clears the verdict"
    );
    let (status, _) = api
        .post("/api/images/999999/rating", json!({"action": "like"}))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_viewer_cannot_rate_or_write_notes_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let viewer = Api::as_role(&app, "vic", "viewer");
    let image = good_image(&app);
    let (status, body) = viewer
        .post(
            &format!("/api/images/{image}/rating"),
            json!({"action": "like"}),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(body["error"].as_str().unwrap().contains("reviewer role"));
    assert_eq!(judgement_count(&app), 0);
    let (status, _) = viewer
        .patch(
            &format!("/api/images/{image}/metadata"),
            json!({"notes": "x"}),
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(
        app.lib.text(&format!(
            "SELECT notes AS value FROM images WHERE id = {image}"
        )),
        None
    );
}

#[tokio::test]
async fn a_reviewer_writes_and_clears_an_images_notes() {
    let app = TestApp::spawn().await;
    let api = Api::as_role(&app, "rita", "reviewer");
    let image = good_image(&app);
    let path = format!("/api/images/{image}/metadata");
    let (status, body) = api.patch(&path, json!({"notes": "hands, 手"})).await;
    assert_eq!((status, body["notes"].as_str()), (200, Some("hands, 手")));
    let (_, body) = api.patch(&path, json!({})).await;
    assert_eq!(body["notes"], "hands, 手", "absent leaves notes alone");
    let (_, body) = api.patch(&path, json!({"notes": null})).await;
    assert_eq!(body["notes"], Value::Null);
    let (status, body) = api.patch(&path, json!({"notes": "x".repeat(4001)})).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("notes")),
        "the page's limit"
    );
    let (status, body) = api.patch(&path, json!({"notes": 3})).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("notes")));
    let (status, body) = api.patch(&path, json!({"seed": 3})).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("seed")));
    let response = api.send(reqwest::Method::PATCH, &path, None).await;
    assert_eq!(response.status(), 400, "an empty body");
}

#[tokio::test]
async fn only_an_admin_moves_an_image_to_the_trash_and_back() {
    let app = TestApp::spawn().await;
    let reviewer = Api::as_role(&app, "rita", "reviewer");
    let admin = Api::as_role(&app, "ada", "admin");
    let image = good_image(&app);
    let path = format!("/api/images/{image}");
    assert_eq!(reviewer.delete(&path).await.0, 403);
    let (status, body) = admin.delete(&path).await;
    assert_eq!((status, body["is_deleted"].as_bool()), (200, Some(true)));
    let (_, listed) = admin.get("/api/images?deleted=1&limit=1000").await;
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == image)
    );
    let (status, body) = admin.post(&format!("{path}/restore"), json!({})).await;
    assert_eq!((status, body["changed"].as_bool()), (200, Some(true)));
    assert_eq!(
        app.lib.count(&format!(
            "SELECT is_deleted AS value FROM images WHERE id = {image}"
        )),
        0
    );
}
