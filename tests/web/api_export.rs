//! `GET /api/export/images`: a streamed download with the gallery's filters, and the Export
//! links on the gallery and search pages.

use parquet::file::reader::{FileReader, SerializedFileReader};

use super::api_client::Api;
use crate::support::app::TestApp;

async fn download(app: &TestApp, token: &str, query: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}/api/export/images?{query}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_csv_download_is_named_and_holds_the_filtered_images() {
    let app = TestApp::spawn().await;
    let user = app.add_user("vic", "viewer");
    app.lib.execute(
        "INSERT INTO judgements (image_id, user_id, status, failure_category, liked, created_at, updated_at)
         SELECT id, (SELECT id FROM users WHERE name = 'vic'), 'ko', 'noise', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00'
         FROM images WHERE on_disk ORDER BY id LIMIT 4",
    );
    let response = download(&app, &user.token, "format=csv&status=ko").await;
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"sdreview-{today}-4.csv\"")
    );
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let body = response.bytes().await.unwrap();
    let mut reader = csv::Reader::from_reader(&body[..]);
    let ids: Vec<i64> = reader
        .records()
        .map(|r| r.unwrap()[0].parse().unwrap())
        .collect();
    let judged: Vec<i64> = (0..4)
        .map(|n| {
            app.lib.count(&format!(
                "SELECT id AS value FROM images WHERE on_disk ORDER BY id LIMIT 1 OFFSET {n}"
            ))
        })
        .collect();
    assert_eq!(ids, judged);
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
}

#[tokio::test]
async fn a_parquet_download_reads_back_with_one_row_per_image() {
    let app = TestApp::spawn().await;
    let user = app.add_user("vic", "viewer");
    let response = download(&app, &user.token, "format=parquet").await;
    assert_eq!(response.status(), 200);
    let body = response.bytes().await.unwrap();
    let reader = SerializedFileReader::new(body).unwrap();
    let rows = reader.metadata().file_metadata().num_rows();
    let images = app.lib.count(
        "SELECT count(*) AS value FROM images i JOIN sessions s ON s.id = i.session_id
         WHERE i.on_disk AND NOT i.is_deleted AND NOT s.is_deleted",
    );
    assert_eq!(rows, images);
}

#[tokio::test]
async fn export_parameters_are_checked_before_anything_is_sent() {
    let app = TestApp::spawn().await;
    let api = Api::as_role(&app, "vic", "viewer");
    for (query, field) in [
        ("", "format"),
        ("format=xlsx", "format"),
        ("format=csv&page=2", "page"),
        ("format=csv&sort=seed", "sort"),
        ("format=csv&group=near", "group"),
        ("format=csv&colour=red", "colour"),
        ("format=csv&status=maybe", "status"),
    ] {
        let (status, body) = api.get(&format!("/api/export/images?{query}")).await;
        assert_eq!(
            (status, body["field"].as_str()),
            (400, Some(field)),
            "{query}: {body}"
        );
    }
    // The words `sdreview export --filter sort=seed` says too (tests/export.rs).
    let (_, body) = api.get("/api/export/images?format=csv&sort=seed").await;
    let pairs = [("sort".to_owned(), "seed".to_owned())];
    let shared = sdreview::domain::export_request::filter(&pairs).unwrap_err();
    assert_eq!(body["error"], shared.message);
    let (status, _) = api.get("/api/export/images?format=csv&deleted=1").await;
    assert_eq!(status, 403, "the trash is for admins");
}

#[tokio::test]
async fn the_gallery_and_search_pages_offer_an_export_of_their_filter() {
    let app = TestApp::spawn().await;
    let browser = app.browser("vic", "viewer").await;
    let session = app.lib.count(
        "SELECT session_id AS value FROM images WHERE on_disk AND NOT is_deleted ORDER BY id LIMIT 1",
    );
    let page = browser
        .get_text(&format!("/sessions/{session}?liked=0&sort=seed"))
        .await;
    assert!(
        page.contains(&format!(
            "href=\"/api/export/images?session={session}&#38;format=csv\""
        )),
        "the export link keeps the filter, drops the sort"
    );
    let export = browser
        .get(&format!(
            "/api/export/images?session={session}&format=jsonl"
        ))
        .await;
    assert_eq!(
        export.status(),
        200,
        "a signed-in browser downloads with its cookie"
    );
    let text = export.text().await.unwrap();
    assert!(text.lines().count() > 0);
    let search = browser.get_text("/search?q=portrait").await;
    assert!(search.contains("href=\"/api/export/images?q=portrait&#38;format=parquet\""));
}

#[tokio::test]
async fn slow_exports_are_bounded_and_pages_and_ratings_keep_answering() {
    let app = TestApp::spawn().await;
    // Large enough that an export no client reads stalls with its buffers full.
    app.lib.add_many_sessions(200, 1_000);
    let viewers: Vec<_> = (1..=4)
        .map(|n| app.add_user(&format!("slow{n}"), "viewer"))
        .collect();
    let mut held = Vec::new();
    let mut statuses = Vec::new();
    for viewer in &viewers {
        for _ in 0..2 {
            let response = download(&app, &viewer.token, "format=csv").await;
            statuses.push(response.status().as_u16());
            if response.status() == 429 {
                assert_eq!(response.headers()["retry-after"], "10");
                let body: serde_json::Value = response.json().await.unwrap();
                assert!(
                    body["error"].as_str().unwrap().contains("try again"),
                    "{body}"
                );
            } else {
                held.push(response);
            }
        }
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 200, 429, 429]);
    let third = download(&app, &viewers[0].token, "format=csv").await;
    assert_eq!(third.status(), 429, "two at once per user");
    let body: serde_json::Value = third.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("you already have 2")
    );

    // Six exports wait for their clients, and the pool is still free for everyone else.
    let reviewer = Api::as_role(&app, "rita", "reviewer");
    let image = app
        .lib
        .count("SELECT min(id) AS value FROM images WHERE on_disk");
    let (status, _) = reviewer
        .post(
            &format!("/api/images/{image}/rating"),
            serde_json::json!({"action": "like"}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = reviewer.get("/api/sessions").await;
    assert_eq!(status, 200);

    // A client that leaves gives its place back.
    drop(held);
    let mut answered = 0;
    for _ in 0..100 {
        answered = download(&app, &viewers[3].token, "format=csv")
            .await
            .status()
            .as_u16();
        if answered == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(answered, 200);
}
