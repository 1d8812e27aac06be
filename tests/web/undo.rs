//! The toast after a bulk delete offers Undo, which restores what that delete took and nothing
//! else.

use crate::gallery::tile_ids;
use crate::support::app::TestApp;

#[tokio::test]
async fn undo_after_a_bulk_image_delete_restores_only_what_it_deleted() {
    let app = TestApp::spawn().await;
    let admin = app.browser("ada", "admin").await;
    let session = app.lib.count(
        "SELECT session_id AS value FROM images GROUP BY session_id ORDER BY count(*) DESC LIMIT 1",
    );
    let page = admin.get_text(&format!("/sessions/{session}")).await;
    let ids: Vec<String> = tile_ids(&page)[..3]
        .iter()
        .map(|id| id.to_string())
        .collect();
    // One of them was in the trash already: the undo must leave it there.
    app.lib.execute(&format!(
        "UPDATE images SET is_deleted = 1 WHERE id = {}",
        ids[0]
    ));
    let mut form: Vec<(&str, &str)> = ids.iter().map(|id| ("ids", id.as_str())).collect();
    form.push(("action", "delete"));
    let response = admin
        .post(&format!("/sessions/{session}/images/bulk"), &form)
        .await;
    assert_eq!(response.status(), 200);
    let trigger: serde_json::Value =
        serde_json::from_str(response.headers()["hx-trigger"].to_str().unwrap()).unwrap();
    let toast = &trigger["toast"];
    assert_eq!(
        toast["value"],
        "Deleted 2 images; 1 in the trash was skipped"
    );
    let url = toast["undo"]["url"].as_str().unwrap();
    assert_eq!(toast["undo"]["target"], "#gallery-results");
    let fields: Vec<(String, String)> = toast["undo"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().unwrap().to_owned(),
                pair[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(admin.post(url, &fields).await.status(), 200);
    let deleted = |id: &str| {
        app.lib.count(&format!(
            "SELECT is_deleted AS value FROM images WHERE id = {id}"
        ))
    };
    assert_eq!(deleted(&ids[0]), 1, "what was deleted before stays deleted");
    assert_eq!(
        (deleted(&ids[1]), deleted(&ids[2])),
        (0, 0),
        "the rest is back"
    );
}
