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
