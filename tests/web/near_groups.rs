//! Near-duplicate groups: the background pass groups the planted copies and nothing else, a
//! pair marked "not duplicates" splits its group, the gallery stacks a group into one tile
//! with its count, and the statistics can count a group once.

use std::collections::BTreeMap;

use super::api_client::Api;
use crate::support::app::TestApp;
use crate::support::near_library::{groups_when, ids_by_name, planted_group, planted_library};

fn members(groups: &BTreeMap<i64, i64>) -> Vec<i64> {
    groups.keys().copied().collect()
}

#[tokio::test]
async fn the_planted_copies_are_one_group_named_by_its_smallest_id() {
    let app = TestApp::serve_hashing(planted_library()).await;
    let ids = ids_by_name(&app.lib);
    let planted = planted_group(&ids);
    let groups = groups_when(&app.lib, |g| g.len() == planted.len()).await;
    assert_eq!(
        members(&groups),
        planted,
        "the scene and its three copies, no other scene"
    );
    assert!(
        groups.values().all(|&group| group == planted[0]),
        "{groups:?}"
    );
}

#[tokio::test]
async fn a_pair_marked_not_duplicates_splits_its_group() {
    let app = TestApp::serve_hashing(planted_library()).await;
    let ids = ids_by_name(&app.lib);
    let planted = planted_group(&ids);
    groups_when(&app.lib, |g| g.len() == planted.len()).await;
    let (scene, dotted) = (ids["scene1.png"], ids["copy_dotted.png"]);
    let reviewer = app.browser("reviewer", "reviewer").await;
    let marked = reviewer
        .post_form(
            &format!("/images/{scene}/not-duplicates"),
            &[("other", &dotted.to_string()), ("apart", "1")],
        )
        .await;
    assert!(
        marked.status().is_redirection() || marked.status().is_success(),
        "{}",
        marked.status()
    );

    let together =
        |g: &BTreeMap<i64, i64>| g.contains_key(&scene) && g.get(&scene) == g.get(&dotted);
    let groups = groups_when(&app.lib, |g| !together(g)).await;
    assert!(!together(&groups), "the marked pair is split: {groups:?}");
    // The re-encoded copy is the same picture as both (0 bits), so which of the two keeps the
    // group is decided by id; the other is left alone, and the resized copy stays grouped.
    assert_eq!(
        groups.len(),
        3,
        "one of the pair leaves, the rest stay: {groups:?}"
    );
    assert!(members(&groups).iter().all(|id| planted.contains(id)));
    assert!(
        groups.contains_key(&ids["copy_reencoded.png"])
            && groups.contains_key(&ids["copy_resized.png"])
    );

    // Taking the mark back brings it home.
    reviewer
        .post_form(
            &format!("/images/{scene}/not-duplicates"),
            &[("other", &dotted.to_string()), ("apart", "0")],
        )
        .await;
    let groups = groups_when(&app.lib, |g| g.len() == planted.len()).await;
    assert_eq!(members(&groups), planted);
}

#[tokio::test]
async fn the_gallery_stacks_a_group_into_one_tile_with_its_count() {
    let app = TestApp::serve_hashing(planted_library()).await;
    let ids = ids_by_name(&app.lib);
    let planted = planted_group(&ids);
    groups_when(&app.lib, |g| g.len() == planted.len()).await;
    let session = app.lib.count("SELECT id AS value FROM sessions LIMIT 1");
    let viewer = app.browser("viewer", "viewer").await;

    let flat = viewer.get_text(&format!("/sessions/{session}")).await;
    assert_eq!(
        flat.matches("<div class=\"tile").count(),
        9,
        "every image without the switch"
    );
    assert!(!flat.contains("stack-count"));

    let page = viewer
        .get_text(&format!("/sessions/{session}?group=near"))
        .await;
    assert_eq!(
        page.matches("<div class=\"tile").count(),
        6,
        "five scenes and one stack"
    );
    assert_eq!(page.matches("class=\"tile stacked\"").count(), 1, "{page}");
    assert!(page.contains(">×4<"), "the stack says how many it holds");
    // In file order the dotted copy comes first: it stands for the group.
    let dotted = ids["copy_dotted.png"];
    let stack_at = page.find("tile stacked").unwrap();
    let stack = &page[stack_at..stack_at + 400];
    assert!(
        stack.contains(&format!("href=\"/images/{dotted}?")),
        "{stack}"
    );
    assert!(
        page.contains("name=\"group\" value=\"near\" checked"),
        "the switch shows it is on"
    );

    // A filter still applies: only what passes it is stacked and counted.
    let kept = viewer
        .get_text(&format!("/sessions/{session}?group=near&sort=seed"))
        .await;
    assert_eq!(kept.matches("<div class=\"tile").count(), 6);
    let bad = viewer.get(&format!("/sessions/{session}?group=far")).await;
    assert_eq!(bad.status(), 400);

    // The representative's page lists the rest of its group.
    let image = viewer
        .get_text(&format!("/images/{dotted}?group=near"))
        .await;
    assert!(image.contains("Near-duplicates (3)"));
}

#[tokio::test]
async fn the_statistics_can_count_a_group_once() {
    let app = TestApp::serve_hashing(planted_library()).await;
    let ids = ids_by_name(&app.lib);
    let planted = planted_group(&ids);
    groups_when(&app.lib, |g| g.len() == planted.len()).await;
    let api = Api::as_role(&app, "admin", "admin");
    // Every copy judged KO, one other scene OK.
    for id in &planted {
        let (status, body) = api
            .post(
                &format!("/api/images/{id}/rating"),
                serde_json::json!({"action": "ko", "category": "malformed"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = api
        .post(
            &format!("/api/images/{}/rating", ids["scene2.png"]),
            serde_json::json!({"action": "ok"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let (_, each) = api.get("/api/analytics/stats").await;
    assert_eq!(
        (
            each["totals"]["images"].as_u64(),
            each["totals"]["ko"].as_u64()
        ),
        (Some(9), Some(4)),
        "{}",
        each["totals"]
    );
    let (status, once) = api.get("/api/analytics/stats?group=near").await;
    assert_eq!(status, 200, "{once}");
    assert_eq!(
        once["totals"]["images"].as_u64(),
        Some(6),
        "{}",
        once["totals"]
    );
    assert_eq!(
        once["totals"]["ko"].as_u64(),
        Some(1),
        "four KO copies count as one"
    );
    assert_eq!(once["totals"]["ok"].as_u64(), Some(1));

    let (status, body) = api.get("/api/images?group=near").await;
    assert_eq!(
        status, 400,
        "the list gives every image and says so: {body}"
    );
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("/api/analytics/stats"),
        "{body}"
    );
}
