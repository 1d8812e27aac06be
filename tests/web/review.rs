//! Review mode over HTTP: the queue's order and paging, by file, seed or a random order, over
//! a tag or a search. Helpers shared with `review_decisions.rs`.

use serde_json::Value;

use crate::support::app::{Browser, TestApp};

pub fn ids(json: &Value) -> Vec<i64> {
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect()
}

pub async fn queue(browser: &Browser, query: &str) -> Value {
    let response = browser.get(&format!("/review/queue?{query}")).await;
    assert_eq!(response.status(), 200, "GET /review/queue?{query}");
    response.json().await.unwrap()
}

/// Every image of the queue, page after page, following the cursor.
pub async fn whole_queue(browser: &Browser, query: &str) -> Vec<i64> {
    let mut all = Vec::new();
    let mut cursor = String::new();
    for _ in 0..200 {
        let page = queue(browser, &format!("{query}{cursor}")).await;
        let found = ids(&page);
        all.extend(&found);
        if !page["more"].as_bool().unwrap() {
            return all;
        }
        cursor = format!("&cursor={}", found.last().unwrap());
    }
    panic!("the queue never ended");
}

/// The ids a query selects, in its order (one query: the client's kept-alive connection
/// must not sit idle past the server's keep-alive while a test reads).
pub fn sql_ids(app: &TestApp, sql: &str) -> Vec<i64> {
    app.lib
        .text(&format!("SELECT group_concat(id) AS value FROM ({sql})"))
        .unwrap_or_default()
        .split(',')
        .filter(|id| !id.is_empty())
        .map(|id| id.parse().unwrap())
        .collect()
}

/// A decision as the review script sends it: the whole verdict, JSON back.
pub async fn decide(browser: &Browser, image: i64, query: &str, form: &[(&str, &str)]) -> Value {
    let response = browser
        .client
        .post(format!("{}/review/images/{image}?{query}", browser.base))
        .header("X-CSRF-Token", &browser.csrf)
        .header("Accept", "application/json")
        .form(&[&[("action", "restore")], form].concat())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

pub fn session_of(app: &TestApp, min: i64) -> i64 {
    let folder = app.lib.manifest_session(min);
    app.lib.count(&format!(
        "SELECT id AS value FROM sessions WHERE folder_name = '{folder}'"
    ))
}

#[tokio::test]
async fn the_queue_is_my_unrated_images_newest_session_first_paged_by_a_cursor() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let expected = sql_ids(
        &app,
        "SELECT i.id FROM images i JOIN sessions s ON s.id = i.session_id
         WHERE i.on_disk AND NOT i.is_deleted AND NOT s.is_deleted
         ORDER BY s.created_at DESC, s.id DESC, i.filename, i.id",
    );
    assert!(expected.len() > 300, "the library has a big session");
    assert_eq!(
        whole_queue(&ana, "").await,
        expected,
        "each image once, in order"
    );

    // A judged image leaves the queue, and the cursor still finds the rest.
    let first_page = ids(&queue(&ana, "").await);
    decide(&ana, first_page[3], "", &[("quality", "perfect")]).await;
    let rest = ids(&queue(&ana, &format!("cursor={}", first_page[1])).await);
    assert_eq!(rest[0], first_page[2]);
    assert_eq!(rest[1], first_page[4], "the judged image is gone");
    let all = whole_queue(&ana, "").await;
    assert_eq!(all.len(), expected.len() - 1);
    // Someone else's verdict does not take it out of my queue.
    let bo = app.browser("bo", "reviewer").await;
    decide(&bo, first_page[0], "", &[("liked", "1")]).await;
    assert_eq!(ids(&queue(&ana, "").await)[0], first_page[0]);
    // With unrated=0 every image is there again.
    assert_eq!(whole_queue(&ana, "unrated=0").await.len(), expected.len());
}

#[tokio::test]
async fn a_queue_goes_by_seed_or_by_a_random_order_that_stays_the_same_for_the_pass() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let session = session_of(&app, 4);
    let by_seed = sql_ids(
        &app,
        &format!(
            "SELECT id FROM images WHERE session_id = {session} AND on_disk AND NOT is_deleted
             ORDER BY seed IS NOT NULL, seed, filename, id"
        ),
    );
    assert_eq!(
        whole_queue(&ana, &format!("session={session}&order=seed")).await,
        by_seed
    );
    let shuffled = whole_queue(&ana, &format!("session={session}&order=random&salt=7")).await;
    assert_eq!(
        whole_queue(&ana, &format!("session={session}&order=random&salt=7")).await,
        shuffled,
        "the same salt, the same order"
    );
    let mut sorted = shuffled.clone();
    sorted.sort();
    let mut expected = by_seed.clone();
    expected.sort();
    assert_eq!(sorted, expected, "every image once");
    let others: Vec<Vec<i64>> = futures_orders(&ana, session).await;
    assert!(
        others.iter().any(|o| *o != shuffled),
        "another salt shuffles"
    );
}

async fn futures_orders(browser: &Browser, session: i64) -> Vec<Vec<i64>> {
    let mut out = Vec::new();
    for salt in 1..6 {
        out.push(
            whole_queue(
                browser,
                &format!("session={session}&order=random&salt={salt}"),
            )
            .await,
        );
    }
    out
}

#[tokio::test]
async fn a_queue_over_a_tag_or_a_search_holds_only_those_images() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let session = session_of(&app, 3);
    app.lib.execute(&format!(
        "INSERT INTO session_tags (session_id, tag) VALUES ({session}, 'portraits')"
    ));
    let tagged = sql_ids(
        &app,
        &format!(
            "SELECT id FROM images WHERE session_id = {session} AND on_disk AND NOT is_deleted
             ORDER BY filename, id"
        ),
    );
    assert_eq!(whole_queue(&ana, "tag=portraits").await, tagged);
    let page = ana.get_text("/review?tag=portraits").await;
    assert!(
        page.contains("Tag: portraits"),
        "the screen says what is reviewed"
    );

    let mut matching = whole_queue(&ana, "q=portrait").await;
    let mut hits = sql_ids(
        &app,
        "SELECT i.id FROM images i JOIN sessions s ON s.id = i.session_id
         WHERE i.on_disk AND NOT i.is_deleted AND NOT s.is_deleted
           AND (i.prompt_id IN (SELECT rowid FROM prompts_fts WHERE prompts_fts MATCH '\"portrait\"')
             OR i.negative_prompt_id IN (SELECT rowid FROM prompts_fts WHERE prompts_fts MATCH '\"portrait\"'))",
    );
    assert!(!hits.is_empty());
    matching.sort();
    hits.sort();
    assert_eq!(matching, hits, "the search's images, each once");
}
