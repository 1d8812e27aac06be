//! What a session page says of where its images came from: the template its manifest holds
//! (with every session that used it), and the rated images whose files are gone from disk,
//! which stay visible and exportable.

use super::gallery::tile_ids;
use crate::support::app::TestApp;

fn session_of(app: &TestApp, folder: &str) -> i64 {
    app.lib.count(&format!(
        "SELECT id AS value FROM sessions WHERE folder_name = '{}'",
        folder.replace('\'', "''")
    ))
}

#[tokio::test]
async fn a_session_page_shows_its_manifests_template_and_links_every_session_that_used_it() {
    let app = TestApp::spawn().await;
    let folder = app.lib.manifest_session(1);
    let session = session_of(&app, &folder);
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(app.lib.session_dir(&folder).join("manifest.json")).unwrap(),
    )
    .unwrap();
    let template = manifest["snapshot"]["resolved_template"]["prompt"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.lib
            .text(&format!(
                "SELECT template_name AS value FROM sessions WHERE id = {session}"
            ))
            .as_deref(),
        Some(template.as_str()),
        "stored at import"
    );
    let browser = app.browser("vic", "viewer").await;
    let page = browser.get_text(&format!("/sessions/{session}")).await;
    let link = format!(
        "/search?template={}",
        sdreview::web::href::url_escape(&template)
    );
    assert!(page.contains(&link), "a link to the template's images");
    let found = tile_ids(&browser.get_text(&link).await);
    let own = app.lib.count(&format!(
        "SELECT min(id) AS value FROM images WHERE session_id = {session} AND on_disk"
    ));
    assert!(
        found.contains(&own),
        "the template's gallery holds the session's images"
    );
}

#[tokio::test]
async fn the_rated_images_of_a_folder_deleted_from_disk_stay_on_its_page_and_in_its_export() {
    let app = TestApp::spawn().await;
    let ann = app.add_user("ann", "reviewer");
    let folder = app.lib.manifest_session(3);
    let session = session_of(&app, &folder);
    app.lib.execute(&format!(
        "INSERT INTO judgements (image_id, user_id, status, liked, created_at, updated_at)
           SELECT id, (SELECT id FROM users WHERE name = 'ann'), 'ko', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00'
           FROM images WHERE session_id = {session} ORDER BY id LIMIT 2;"
    ));
    let images = app.lib.count(&format!(
        "SELECT count(*) AS value FROM images WHERE session_id = {session}"
    ));
    std::fs::remove_dir_all(app.lib.session_dir(&folder)).unwrap();
    app.lib.import();

    let browser = app.sign_in(&ann).await;
    let page = browser.get_text(&format!("/sessions/{session}")).await;
    assert!(
        page.contains(&format!("{images} images, 2 of them rated")),
        "the facts count the files gone and their ratings"
    );
    assert!(
        page.contains("id=\"files-gone\""),
        "and say so above the gallery"
    );
    assert!(page.contains(&format!(
        "/api/export/images?format=csv&amp;session={session}"
    )));

    let body = reqwest::Client::new()
        .get(format!(
            "{}/api/export/images?format=csv&session={session}",
            app.address
        ))
        .bearer_auth(&ann.token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(&body[..]);
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (gone, status) = (column("file_gone"), column("rater_ann_status"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "the export holds the two rated images");
    assert!(
        rows.iter()
            .all(|r| &r[gone] == "true" && &r[status] == "ko")
    );
}
