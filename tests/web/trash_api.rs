//! The trash rule on every route of the API's table: a viewer and a reviewer reach nothing in
//! the trash (a deleted image, a deleted session and its images), by id or through a filter,
//! to read or to write. What is in the trash carries a marker text; no answer may hold it, and
//! nothing written may land.

use reqwest::Method;
use sdreview::routes::api::Method as ApiMethod;
use serde_json::{Value, json};

use super::api_client::Api;
use crate::support::app::TestApp;

const MARK: &str = "TRASHMARK";

struct Trashed {
    image: i64,
    session: i64,
}

/// A deleted image of a live session, and a deleted session, both marked.
fn trash_some(app: &TestApp) -> Trashed {
    let sessions: Vec<i64> = (0..2)
        .map(|n| {
            app.lib.count(&format!(
                "SELECT session_id AS value FROM (SELECT session_id, count(*) AS n FROM images
                   WHERE on_disk AND broken IS NULL GROUP BY session_id HAVING n >= 2
                   ORDER BY session_id LIMIT 1 OFFSET {n})"
            ))
        })
        .collect();
    let (live, deleted) = (sessions[0], sessions[1]);
    let image = app.lib.count(&format!(
        "SELECT min(id) AS value FROM images WHERE session_id = {live} AND on_disk AND broken IS NULL"
    ));
    app.lib.execute(&format!(
        "UPDATE images SET notes = '{MARK} image' WHERE id = {image} OR session_id = {deleted};
         UPDATE sessions SET display_name = '{MARK} session', notes = '{MARK} notes' WHERE id = {deleted};
         UPDATE images SET is_deleted = 1 WHERE id = {image};
         UPDATE sessions SET is_deleted = 1 WHERE id = {deleted};"
    ));
    Trashed {
        image,
        session: deleted,
    }
}

/// The request each route of the table gets, aimed at the trash; None for the routes that are
/// the trash's own (delete, restore) or not about images and sessions.
fn aimed(method: &Method, path: &str, trashed: &Trashed) -> Option<(String, Option<Value>)> {
    let (image, session) = (trashed.image, trashed.session);
    let body = |value: Value| Some(value);
    Some(match (method.as_str(), path) {
        (_, "/api/openapi.json") | (_, "/api/sessions/import") => return None,
        (_, p) if p.ends_with("/restore") => return None,
        ("DELETE", _) => return None,
        ("GET", "/api/sessions") => ("/api/sessions?show=deleted".into(), None),
        ("GET", "/api/sessions/{id}/images") => (format!("/api/sessions/{session}/images"), None),
        ("PATCH", "/api/sessions/{id}/metadata") => (
            format!("/api/sessions/{session}/metadata"),
            body(json!({"display_name": "renamed", "notes": "written", "tags": ["t"]})),
        ),
        ("POST", "/api/sessions/{id}/flags") => (
            format!("/api/sessions/{session}/flags"),
            body(json!({"archived": true, "starred": true})),
        ),
        ("GET", "/api/images") => (format!("/api/images?session={session}"), None),
        ("GET", "/api/images/{id}") => (format!("/api/images/{image}"), None),
        ("GET", "/api/images/{id}/similar") => (format!("/api/images/{image}/similar"), None),
        ("GET", "/api/images/{id}/like-this") => (format!("/api/images/{image}/like-this"), None),
        ("PATCH", "/api/images/{id}/metadata") => (
            format!("/api/images/{image}/metadata"),
            body(json!({"notes": "written"})),
        ),
        ("POST", "/api/images/{id}/rating") => (
            format!("/api/images/{image}/rating"),
            body(json!({"action": "like"})),
        ),
        ("PUT" | "PATCH", "/api/images/{id}/predictions") => (
            format!("/api/images/{image}/predictions"),
            body(json!({"written": 1})),
        ),
        ("POST", "/api/predictions") => return None,
        ("GET", "/api/export/images") => (
            format!("/api/export/images?format=jsonl&session={session}"),
            None,
        ),
        ("GET", "/api/analytics/stats") => {
            (format!("/api/analytics/stats?session={session}"), None)
        }
        // Counts over the live library only: the trash is never counted (tests/web/insights.rs).
        ("GET", "/api/insights/recommendations") => return None,
        (method, path) => panic!("a new API route, {method} {path}: aim it at the trash here"),
    })
}

#[tokio::test]
async fn no_api_route_lets_a_viewer_or_a_reviewer_reach_the_trash() {
    let app = TestApp::spawn().await;
    let trashed = trash_some(&app);
    let before = writes(&app, &trashed);
    let mut leaks = Vec::new();
    for role in ["viewer", "reviewer"] {
        let api = Api::as_role(&app, &format!("a-{role}"), role);
        for route in sdreview::routes::api::ROUTES {
            let method = match route.method {
                ApiMethod::Get => Method::GET,
                ApiMethod::Post => Method::POST,
                ApiMethod::Put => Method::PUT,
                ApiMethod::Patch => Method::PATCH,
                ApiMethod::Delete => Method::DELETE,
            };
            let Some((path, body)) = aimed(&method, route.path, &trashed) else {
                continue;
            };
            let response = api.send(method.clone(), &path, body.as_ref()).await;
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            let reached = (200..300).contains(&status) && text.contains(MARK);
            let wrote = method != Method::GET && (200..300).contains(&status);
            if reached || wrote {
                leaks.push(format!(
                    "{role}: {method} {path} answered {status}: {text:.200}"
                ));
            }
        }
    }
    assert!(leaks.is_empty(), "the trash leaked:\n{}", leaks.join("\n"));
    assert_eq!(writes(&app, &trashed), before, "nothing was written");
}

#[tokio::test]
async fn statistics_of_a_deleted_session_count_nothing_for_a_viewer() {
    let app = TestApp::spawn().await;
    let trashed = trash_some(&app);
    let viewer = Api::as_role(&app, "vi", "viewer");
    let (status, body) = viewer
        .get(&format!("/api/analytics/stats?session={}", trashed.session))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["totals"]["images"], 0, "{body}");
    let admin = Api::as_role(&app, "ad", "admin");
    let (_, body) = admin
        .get(&format!("/api/analytics/stats?session={}", trashed.session))
        .await;
    assert!(body["totals"]["images"].as_i64().unwrap() >= 2, "{body}");
}

#[tokio::test]
async fn the_database_itself_refuses_a_write_to_the_trash() {
    let app = TestApp::spawn().await;
    let trashed = trash_some(&app);
    app.add_user("wr", "reviewer");
    for sql in [
        format!(
            "INSERT INTO judgements (image_id, user_id, liked, created_at, updated_at)
             VALUES ({}, (SELECT id FROM users WHERE name = 'wr'), 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            trashed.image
        ),
        format!("UPDATE images SET notes = 'x' WHERE id = {}", trashed.image),
        format!("UPDATE images SET ml_predictions = '{{}}' WHERE id = {}", trashed.image),
        format!("UPDATE sessions SET notes = 'x' WHERE id = {}", trashed.session),
        format!("INSERT INTO session_tags (session_id, tag) VALUES ({}, 't')", trashed.session),
    ] {
        use diesel::connection::SimpleConnection;
        let error = app.lib.pool().get().unwrap().batch_execute(&sql).unwrap_err();
        assert!(error.to_string().contains("sdreview-trash"), "{sql}: {error}");
    }
    // The importer's own columns and a restore still go through.
    app.lib.execute(&format!(
        "UPDATE images SET file_size = file_size + 1 WHERE id = {0};
         UPDATE images SET is_deleted = 0 WHERE id = {0};
         UPDATE images SET notes = 'back' WHERE id = {0};",
        trashed.image
    ));
}

/// Everything a person could write about the trashed items, as one comparable text.
fn writes(app: &TestApp, trashed: &Trashed) -> Option<String> {
    app.lib.text(&format!(
        "SELECT (SELECT count(*) FROM judgements WHERE image_id = {0}
                   OR image_id IN (SELECT id FROM images WHERE session_id = {1}))
             || '|' || (SELECT coalesce(notes, '') || coalesce(ml_predictions, '') FROM images WHERE id = {0})
             || '|' || (SELECT coalesce(display_name, '') || coalesce(notes, '') || is_archived || is_starred FROM sessions WHERE id = {1})
             || '|' || (SELECT count(*) FROM session_tags WHERE session_id = {1}) AS value",
        trashed.image, trashed.session
    ))
}
