//! The OpenAPI document describes every route of the API's route table, and unknown routes
//! answer in JSON.

use sdreview::routes::api::{ApiDoc, Method, ROUTES};
use utoipa::OpenApi;

use super::api_client::Api;
use crate::support::app::TestApp;

#[test]
fn every_route_in_the_route_table_is_in_the_openapi_document() {
    let document = ApiDoc::openapi();
    for route in ROUTES {
        let item = document
            .paths
            .get_path_item(route.path)
            .unwrap_or_else(|| panic!("{} is not in the OpenAPI document", route.path));
        let operation = match route.method {
            Method::Get => &item.get,
            Method::Post => &item.post,
            Method::Put => &item.put,
            Method::Patch => &item.patch,
            Method::Delete => &item.delete,
        };
        assert!(
            operation.is_some(),
            "{:?} {} is not in the OpenAPI document",
            route.method,
            route.path
        );
    }
    let documented: usize = document
        .paths
        .paths
        .values()
        .map(|item| {
            [&item.get, &item.post, &item.put, &item.patch, &item.delete]
                .iter()
                .filter(|op| op.is_some())
                .count()
        })
        .sum();
    assert_eq!(
        documented,
        ROUTES.len(),
        "and nothing documented is missing from the table"
    );
}

#[tokio::test]
async fn the_document_is_served_as_openapi_3_1_and_unknown_routes_answer_json() {
    let app = TestApp::spawn().await;
    let api = Api::as_role(&app, "vic", "viewer");
    let (status, document) = api.get("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(document["paths"]["/api/sessions"]["get"].is_object());
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
    let (status, body) = api.get("/api/nothing/here").await;
    assert_eq!(status, 404);
    assert!(body["error"].as_str().unwrap().contains("openapi.json"));
}

/// Whether `text` is RFC 3339 in UTC, as every time of the API is written.
fn is_utc_rfc3339(text: &serde_json::Value) -> bool {
    text.as_str()
        .is_some_and(|t| t.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(t).is_ok())
}

#[tokio::test]
async fn times_are_rfc3339_in_utc_and_the_document_says_date_time() {
    let app = TestApp::spawn().await;
    let api = Api::as_role(&app, "rita", "reviewer");
    let image = super::ratings::good_image(&app);
    let (status, body) = api
        .post(
            &format!("/api/images/{image}/rating"),
            serde_json::json!({"action": "perfect"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = api.get(&format!("/api/images/{image}")).await;
    for time in [
        &body["created_at"],
        &body["updated_at"],
        &body["session"]["created_at"],
        &body["raters"][0]["updated_at"],
    ] {
        assert!(is_utc_rfc3339(time), "{time} in {body}");
    }
    let (_, sessions) = api.get("/api/sessions").await;
    let first = &sessions["items"][0]["created_at"];
    assert!(is_utc_rfc3339(first), "{sessions}");

    let document = serde_json::to_value(ApiDoc::openapi()).unwrap();
    let schemas = &document["components"]["schemas"];
    for (schema, field) in [
        ("SessionItem", "created_at"),
        ("SessionRecord", "created_at"),
        ("ImageRecord", "created_at"),
        ("ImageRecord", "updated_at"),
        ("RaterVerdict", "updated_at"),
    ] {
        assert_eq!(
            schemas[schema]["properties"][field]["format"], "date-time",
            "{schema}.{field}: {}",
            schemas[schema]["properties"][field]
        );
    }
}
