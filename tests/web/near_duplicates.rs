//! Near-duplicates: the background pass hashes a library with planted near-copies; the API
//! and the image page find the copies and nothing else; a pair marked "not a duplicate" stays
//! apart after a rescan; the trash and the roles hold.

use std::time::Duration;

use serde_json::Value;

use super::api_client::{Api, ids_in};
use crate::support::app::TestApp;
use crate::support::near_library::{SCENES, ids_by_name, planted_library};

/// Asks for the near-duplicates until the image is hashed (409 until then).
async fn similar(api: &Api, id: i64, query: &str) -> (u16, Value) {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let (status, body) = api.get(&format!("/api/images/{id}/similar{query}")).await;
        if status != 409 || std::time::Instant::now() > deadline {
            return (status, body);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_copies_of_a_picture_are_its_near_duplicates_and_nothing_else_is() {
    let app = TestApp::serve_hashing(planted_library()).await;
    let ids = ids_by_name(&app.lib);
    let api = Api::as_role(&app, "viewer", "viewer");
    let (status, body) = similar(&api, ids["scene1.png"], "").await;
    assert_eq!(status, 200, "{body}");
    let mut found = ids_in(&body);
    found.sort_unstable();
    let mut copies = vec![
        ids["copy_reencoded.png"],
        ids["copy_resized.png"],
        ids["copy_dotted.png"],
    ];
    copies.sort_unstable();
    assert_eq!(
        found, copies,
        "the three copies, and no other scene: {body}"
    );
    let distances: Vec<u64> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["distance"].as_u64().unwrap())
        .collect();
    assert!(
        distances.windows(2).all(|w| w[0] <= w[1]),
        "nearest first: {body}"
    );
    assert_eq!(
        distances[0], 0,
        "the re-encoded copy is the same picture: {body}"
    );
    for seed in 2..=SCENES {
        let (status, body) = similar(&api, ids[&format!("scene{seed}.png")], "").await;
        assert_eq!(
            (status, body.as_array().map(Vec::len)),
            (200, Some(0)),
            "scene {seed}: {body}"
        );
    }
    // A distance of 0 keeps the copies whose hash is the very same: the re-encoded one at least.
    let (_, exact) = similar(&api, ids["scene1.png"], "?max_distance=0").await;
    assert!(
        ids_in(&exact).contains(&ids["copy_reencoded.png"]),
        "{exact}"
    );
    assert!(
        ids_in(&exact).iter().all(|id| copies.contains(id)),
        "{exact}"
    );

    let page = api
        .send(
            reqwest::Method::GET,
            &format!("/images/{}", ids["copy_dotted.png"]),
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Near-duplicates (3)"),
        "the image page counts them"
    );
}

#[tokio::test]
async fn a_pair_marked_not_duplicates_stays_apart_after_a_rescan() {
    let app = TestApp::serve_hashing(planted_library()).await;
    let ids = ids_by_name(&app.lib);
    let (scene, dotted) = (ids["scene1.png"], ids["copy_dotted.png"]);
    let viewer = app.browser("viewer", "viewer").await;
    let reviewer = app.browser("reviewer", "reviewer").await;
    let api = Api::as_role(&app, "api-viewer", "viewer");
    assert_eq!(similar(&api, scene, "").await.0, 200);

    let refused = viewer
        .post_form(
            &format!("/images/{scene}/not-duplicates"),
            &[("other", &dotted.to_string()), ("apart", "1")],
        )
        .await;
    assert_eq!(refused.status(), 403, "a viewer cannot mark pairs");

    let marked = reviewer
        .post_form(
            &format!("/images/{scene}/not-duplicates"),
            &[("other", &dotted.to_string()), ("apart", "1")],
        )
        .await;
    assert!(
        marked.status().is_success() || marked.status().is_redirection(),
        "{}",
        marked.status()
    );
    let page = reviewer.get_text(&format!("/images/{scene}")).await;
    assert!(
        page.contains("Near-duplicates (2)"),
        "the page follows the redirect back, one fewer"
    );
    let (_, body) = similar(&api, scene, "").await;
    assert!(!ids_in(&body).contains(&dotted), "{body}");
    let (_, body) = similar(&api, dotted, "").await;
    assert!(
        !ids_in(&body).contains(&scene),
        "the mark holds both ways: {body}"
    );

    app.lib.import();
    let (_, body) = similar(&api, scene, "").await;
    assert!(!ids_in(&body).contains(&dotted), "after a rescan: {body}");
    assert_eq!(ids_in(&body).len(), 2);
}

#[tokio::test]
async fn the_trash_and_bad_parameters_are_answered_as_everywhere_else() {
    let app = TestApp::serve_hashing(planted_library()).await;
    let ids = ids_by_name(&app.lib);
    let viewer = Api::as_role(&app, "viewer", "viewer");
    let admin = Api::as_role(&app, "admin", "admin");
    let scene = ids["scene1.png"];
    assert_eq!(similar(&viewer, scene, "").await.0, 200);
    let resized = ids["copy_resized.png"];
    assert_eq!(admin.delete(&format!("/api/images/{resized}")).await.0, 200);

    let (_, body) = similar(&viewer, scene, "").await;
    assert!(
        !ids_in(&body).contains(&resized),
        "a viewer is not shown the trash: {body}"
    );
    let (_, body) = similar(&admin, scene, "").await;
    assert!(ids_in(&body).contains(&resized), "an admin is: {body}");
    assert_eq!(
        similar(&viewer, resized, "").await.0,
        404,
        "a trashed image is not found"
    );

    let (status, body) = viewer
        .get(&format!("/api/images/{scene}/similar?max_distance=300"))
        .await;
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().contains("0 to 64"),
        "{body}"
    );
    let (status, body) = viewer
        .get(&format!("/api/images/{scene}/similar?distance=3"))
        .await;
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().contains("max_distance"),
        "{body}"
    );
}
