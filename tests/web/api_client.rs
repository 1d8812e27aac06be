//! A script's view of the API: bearer token, JSON in and out.

use reqwest::{Client, Method, Response};
use serde_json::Value;

use crate::support::app::{TestApp, TestUser};

pub struct Api {
    client: Client,
    base: String,
    token: String,
}

impl Api {
    pub fn new(app: &TestApp, user: &TestUser) -> Api {
        Api {
            client: Client::new(),
            base: app.address.clone(),
            token: user.token.clone(),
        }
    }

    /// A user of that role, with a client holding their token.
    pub fn as_role(app: &TestApp, name: &str, role: &str) -> Api {
        let user = app.add_user(name, role);
        Api::new(app, &user)
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Response {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.unwrap()
    }

    /// Status and JSON body.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let response = self.send(method, path, body.as_ref()).await;
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        assert!(
            kind.starts_with("application/json"),
            "{path}: {status} answered {kind}"
        );
        (status, response.json().await.unwrap())
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.call(Method::DELETE, path, None).await
    }

    /// Every item of a list, following `next_cursor` page by page.
    pub async fn all(&self, path: &str) -> Vec<Value> {
        let mut items = Vec::new();
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut next = path.to_owned();
        loop {
            let (status, page) = self.get(&next).await;
            assert_eq!(status, 200, "{next}: {page}");
            items.extend(page["items"].as_array().unwrap().iter().cloned());
            match page["next_cursor"].as_str() {
                Some(cursor) => next = format!("{path}{separator}cursor={cursor}"),
                None => return items,
            }
        }
    }
}

/// The `id` of each object of a JSON array answer, in order.
pub fn ids_in(body: &Value) -> Vec<i64> {
    body.as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_i64().unwrap())
        .collect()
}
