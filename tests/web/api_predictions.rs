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

/// POSTs JSONL as a reviewer; status and report.
async fn upload(app: &TestApp, body: impl Into<reqwest::Body>) -> (u16, String) {
    let user = app.add_user("bot", "reviewer");
    let response = reqwest::Client::new()
        .post(format!("{}/api/predictions", app.address))
        .bearer_auth(&user.token)
        .header("Content-Type", "application/x-ndjson")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn numbers_come_back_with_the_digits_they_were_sent_with() {
    let app = TestApp::spawn().await;
    let image = good_image(&app);
    let predictions =
        r#"{"big":123456789012345678901234567890,"p":0.1000000000000000055511151231257827}"#;
    let (status, report) = upload(
        &app,
        format!("{{\"image_id\": {image}, \"predictions\": {predictions}}}\n"),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    let stored = app.lib.text(&format!(
        "SELECT ml_predictions AS value FROM images WHERE id = {image}"
    ));
    assert_eq!(stored.as_deref(), Some(predictions));
    let viewer = app.add_user("vic", "viewer");
    let listed = reqwest::Client::new()
        .get(format!("{}/api/images/{image}", app.address))
        .bearer_auth(&viewer.token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(listed.contains(predictions), "{listed}");
}

#[tokio::test]
async fn an_upload_that_starts_with_a_byte_order_mark_keeps_its_first_line() {
    let app = TestApp::spawn().await;
    let image = good_image(&app);
    let (status, report) = upload(
        &app,
        format!("\u{feff}{{\"image_id\": {image}, \"predictions\": {{\"first\": 1}}}}\r\n"),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(
        (report["applied"].as_i64(), report["refused_count"].as_i64()),
        (Some(1), Some(0)),
        "{report}"
    );
    assert_eq!(stored(&app, image), Some(json!({"first": 1})));
}

#[tokio::test]
async fn an_upload_of_thousands_of_lines_is_written_a_chunk_at_a_time() {
    let app = TestApp::spawn().await;
    let image = good_image(&app);
    let body: String = (0..2_500)
        .map(|n| format!("{{\"image_id\": {image}, \"predictions\": {{\"n\": {n}}}}}\n"))
        .collect();
    let (status, report) = upload(&app, body).await;
    assert_eq!(status, 200, "{report}");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["applied"], 2_500, "{report}");
    assert_eq!(stored(&app, image), Some(json!({"n": 2_499})));
}

/// Sends the head of a request announcing `length` bytes of body and only `sent` of them;
/// returns the status and body of the answer, if one comes within 20 s.
fn send_part_and_wait(address: &str, head: &str, sent: &[u8]) -> std::io::Result<(u16, String)> {
    use std::io::{Read, Write};
    let host = address.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host)?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(20)))?;
    stream.write_all(head.as_bytes())?;
    stream.write_all(sent)?;
    let mut answer = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        let read = stream.read(&mut buffer)?;
        answer.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&answer);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap())
                })
                .unwrap_or(0);
            if body.len() >= length || read == 0 {
                let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
                return Ok((status, body.to_owned()));
            }
        }
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
    }
}

#[tokio::test]
async fn an_over_long_line_is_refused_while_it_is_still_arriving() {
    let app = TestApp::spawn().await;
    let image = good_image(&app);
    let user = app.add_user("bot", "reviewer");
    let first = format!("{{\"image_id\": {image}, \"predictions\": {{\"kept\": 1}}}}\n");
    let mut sent = first.into_bytes();
    sent.extend_from_slice(b"{\"image_id\": 1, \"predictions\": {\"x\": [");
    sent.extend(std::iter::repeat_n(*b"0,", 512 * 1024).flatten());
    // 60 MiB announced, 1 MiB sent: only an answer given before the end can arrive.
    let head = format!(
        "POST /api/predictions HTTP/1.1\r\nHost: sdreview\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/x-ndjson\r\nContent-Length: {}\r\n\r\n",
        user.token,
        60 * 1024 * 1024
    );
    let address = app.address.clone();
    let (status, body) =
        tokio::task::spawn_blocking(move || send_part_and_wait(&address, &head, &sent))
            .await
            .unwrap()
            .expect("an answer before the body ends");
    assert_eq!(status, 413, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    let error = body["error"].as_str().unwrap();
    assert!(
        error.starts_with("line 2 is longer than 128 KiB, the limit for one line"),
        "{error}"
    );
    assert!(
        error.contains("Before it, 1 line was written and 0 refused"),
        "{error}"
    );
    assert_eq!(body["field"], "body");
    assert_eq!(stored(&app, image), Some(json!({"kept": 1})));
}
