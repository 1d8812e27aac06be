//! Review mode over HTTP: the queue's order and paging, blind mode on the server, decisions
//! that are safe to send twice, plain forms with their CSRF field, the screen rendition, the
//! summary of a pass and the session's way in.

use serde_json::Value;

use crate::support::app::{Browser, TestApp};

fn ids(json: &Value) -> Vec<i64> {
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect()
}

async fn queue(browser: &Browser, query: &str) -> Value {
    let response = browser.get(&format!("/review/queue?{query}")).await;
    assert_eq!(response.status(), 200, "GET /review/queue?{query}");
    response.json().await.unwrap()
}

/// Every image of the queue, page after page, following the cursor.
async fn whole_queue(browser: &Browser, query: &str) -> Vec<i64> {
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
fn sql_ids(app: &TestApp, sql: &str) -> Vec<i64> {
    app.lib
        .text(&format!("SELECT group_concat(id) AS value FROM ({sql})"))
        .unwrap_or_default()
        .split(',')
        .filter(|id| !id.is_empty())
        .map(|id| id.parse().unwrap())
        .collect()
}

/// A decision as the review script sends it: the whole verdict, JSON back.
async fn decide(browser: &Browser, image: i64, query: &str, form: &[(&str, &str)]) -> Value {
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

fn session_of(app: &TestApp, min: i64) -> i64 {
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

#[tokio::test]
async fn blind_mode_sends_no_other_verdict_until_i_have_given_mine() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let bo = app.browser("bo", "reviewer").await;
    let session = session_of(&app, 2);
    let query = format!("session={session}");
    let first = ids(&queue(&ana, &query).await)[0];
    decide(
        &bo,
        first,
        &query,
        &[("status", "ko"), ("category", "noise")],
    )
    .await;

    let page = queue(&ana, &query).await;
    assert!(page["items"][0]["others"].is_null(), "{}", page["items"][0]);
    let text = serde_json::to_string(&page).unwrap();
    assert!(
        !text.contains("\"bo\"") && !text.contains("noise"),
        "{text}"
    );
    let html = ana.get_text(&format!("/review?{query}")).await;
    assert!(html.contains("&#34;others&#34;:null"), "nor does the page");
    assert!(!html.contains("&#34;bo&#34;"));

    let answer = decide(&ana, first, &query, &[("quality", "perfect")]).await;
    assert_eq!(answer["mine"]["quality"], "perfect");
    assert_eq!(answer["others"][0]["name"], "bo");
    assert_eq!(answer["others"][0]["verdict"]["category"], "noise");

    // Not blind: shown at once.
    let second = ids(&queue(&ana, &query).await)[0];
    decide(&bo, second, &query, &[("liked", "1")]).await;
    let open = queue(&ana, &format!("{query}&blind=0")).await;
    assert_eq!(open["items"][0]["id"], second);
    assert_eq!(open["items"][0]["others"][0]["name"], "bo");
}

#[tokio::test]
async fn a_decision_sent_twice_changes_nothing_the_second_time() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let image = crate::ratings::good_image(&app);
    let verdict = [
        ("quality", "imperfect"),
        ("liked", "1"),
        ("status", "ko"),
        ("category", "malformed"),
        ("notes", "hands"),
    ];
    let once = decide(&ana, image, "", &verdict).await;
    let twice = decide(&ana, image, "", &verdict).await;
    assert_eq!(once["mine"], twice["mine"]);
    assert_eq!(
        twice["before"], twice["mine"],
        "the retry found it already there"
    );
    let counters = app.lib.count(&format!(
        "SELECT like_count * 100 + imperfect_count * 10 + ko_count AS value FROM images WHERE id = {image}"
    ));
    assert_eq!(counters, 111, "counted once");
}

#[tokio::test]
async fn a_plain_form_posts_its_csrf_field_and_is_sent_on_to_the_next_image_with_an_undo() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let session = session_of(&app, 3);
    let query = format!("session={session}");
    let order = ids(&queue(&ana, &query).await);
    let path = format!("{}/review/images/{}?{query}", ana.base, order[0]);
    let form = |with_token: bool| {
        let mut fields = vec![
            ("action", "restore".to_owned()),
            ("quality", "perfect".to_owned()),
        ];
        if with_token {
            fields.push(("csrf_token", ana.csrf.clone()));
        }
        fields
    };
    let refused = ana
        .client
        .post(&path)
        .form(&form(false))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403, "a form without the token is refused");
    assert!(refused.text().await.unwrap().contains("security token"));
    let wrong = ana
        .client
        .post(&path)
        .form(&[("action", "restore"), ("csrf_token", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM judgements WHERE quality IS NOT NULL"),
        0,
        "nothing was written"
    );

    let sent = ana
        .client
        .post(&path)
        .form(&form(true))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    let next = sent.headers()["location"].to_str().unwrap().to_owned();
    assert!(next.starts_with("/review?"), "{next}");
    assert!(next.contains(&format!("cursor={}", order[0])), "{next}");
    assert!(next.contains(&format!("undo={}", order[0])), "{next}");
    let page = ana.get_text(&next).await;
    assert!(
        page.contains(&format!("data-id=\"{}\"", order[1])),
        "the next image"
    );
    assert!(
        page.contains("name=\"undo\" value=\"1\""),
        "with an Undo form"
    );
    assert!(page.contains(&format!("name=\"csrf_token\" value=\"{}\"", ana.csrf)));
    assert_eq!(
        app.lib.count(&format!(
            "SELECT count(*) AS value FROM judgements WHERE image_id = {} AND quality = 'perfect'",
            order[0]
        )),
        1
    );
}

#[tokio::test]
async fn a_viewer_cannot_decide_and_is_told_why() {
    let app = TestApp::spawn().await;
    let vic = app.browser("vic", "viewer").await;
    let image = crate::ratings::good_image(&app);
    let response = vic
        .post(
            &format!("/review/images/{image}"),
            &[("action", "restore"), ("quality", "perfect")],
        )
        .await;
    assert_eq!(response.status(), 403);
    assert!(response.text().await.unwrap().contains("reviewer role"));
    assert_eq!(app.lib.count("SELECT count(*) AS value FROM judgements"), 0);
    let page = vic.get_text("/review").await;
    assert!(page.contains("you can look but not rate"));
}

#[tokio::test]
async fn bad_review_parameters_are_a_400_that_says_what_is_allowed() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    for (query, says) in [
        ("order=size", "file, seed or random"),
        ("blind=maybe", "1 or 0"),
        ("cursor=first", "image number"),
        ("colour=red", "unknown parameter"),
    ] {
        let response = ana.get(&format!("/review?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        assert!(response.text().await.unwrap().contains(says), "{query}");
    }
    let response = ana.get("/review/summary").await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn the_screen_rendition_is_a_cached_jpeg_of_screen_size() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "viewer").await;
    let image = app.lib.count(
        "SELECT id AS value FROM images WHERE width = 512 AND height = 768 AND broken IS NULL
         AND format = 'png' ORDER BY id LIMIT 1",
    );
    let response = ana.get(&format!("/images/{image}/screen")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let bytes = response.bytes().await.unwrap();
    let screen = image::load_from_memory(&bytes).unwrap();
    assert_eq!(
        (screen.width(), screen.height()),
        (512, 768),
        "a smaller original is never upscaled"
    );
    let again = ana
        .client
        .get(format!("{}/images/{image}/screen", ana.base))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn the_summary_counts_what_i_judged_in_this_pass_and_the_session_says_what_is_left() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let session = session_of(&app, 6);
    let total = app.lib.count(&format!(
        "SELECT count(*) AS value FROM images WHERE session_id = {session} AND on_disk AND NOT is_deleted"
    ));
    let page = ana.get_text(&format!("/sessions/{session}")).await;
    assert!(page.contains(&format!("Review {total} left")), "the way in");

    // Judged before the pass: not counted in it.
    let order = ids(&queue(&ana, &format!("session={session}")).await);
    decide(&ana, order[0], "", &[("liked", "1")]).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let review = ana.get_text(&format!("/review?session={session}")).await;
    let since = review
        .split("since=")
        .nth(1)
        .unwrap()
        .split(['&', '"'])
        .next()
        .unwrap()
        .replace("%3A", ":");
    let query = format!("session={session}&since={since}");
    decide(
        &ana,
        order[1],
        &query,
        &[("quality", "perfect"), ("status", "ok")],
    )
    .await;
    decide(
        &ana,
        order[2],
        &query,
        &[("status", "ko"), ("category", "noise")],
    )
    .await;
    decide(&ana, order[3], &query, &[("quality", "imperfect")]).await;
    let summary = ana.get_text(&format!("/review/summary?{query}")).await;
    assert!(!summary.contains("<html"), "a fragment");
    assert!(summary.contains("Pass done: 3 images judged"), "{summary}");
    assert!(summary.contains("<strong>1</strong> Thumbs up"));
    assert!(summary.contains("<strong>1</strong> Thumbs down"));
    assert!(
        summary.contains("<strong>0</strong> Hearts"),
        "the earlier heart is not in this pass"
    );
    assert!(summary.contains("<strong>1</strong> Noise"));
    assert!(summary.contains(&format!("href=\"/images/{}\"", order[2])));
    let page = ana.get_text(&format!("/sessions/{session}")).await;
    let entry = page
        .split("id=\"review-session\"")
        .nth(1)
        .unwrap_or_default();
    assert!(
        page.contains(&format!("Review {} left", total - 4)),
        "{}",
        &entry[..entry.len().min(200)]
    );
}

#[tokio::test]
async fn a_gallery_rating_is_one_request_that_answers_with_the_rated_tile() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let image = crate::ratings::good_image(&app);
    let session = app.lib.count(&format!(
        "SELECT session_id AS value FROM images WHERE id = {image}"
    ));
    let path = format!("/sessions/{session}/tiles/{image}?sort=seed");
    let response = ana.post(&path, &[("action", "like")]).await;
    assert_eq!(response.status(), 200);
    let undo = response.headers()["x-undo"].to_str().unwrap().to_owned();
    let tile = response.text().await.unwrap();
    assert!(tile.trim_start().starts_with("<div class=\"tile"), "{tile}");
    assert!(tile.contains(&format!("data-id=\"{image}\"")));
    assert!(tile.contains("I like it"), "the tile shows the new verdict");
    assert!(
        tile.contains("sort=seed"),
        "its link keeps the gallery's filter"
    );
    assert_eq!(
        app.lib.count(&format!(
            "SELECT like_count AS value FROM images WHERE id = {image}"
        )),
        1
    );
    // X-Undo is the form that puts the previous verdict back.
    let form: Vec<(String, String)> = serde_urlencoded::from_str(&undo).unwrap();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert!(form.contains(&("action", "restore")));
    let back = ana.post(&path, &form).await;
    assert_eq!(back.status(), 200);
    assert!(!back.text().await.unwrap().contains("I like it"));
    assert_eq!(
        app.lib.count(&format!(
            "SELECT like_count AS value FROM images WHERE id = {image}"
        )),
        0
    );

    let elsewhere = ana
        .post(
            &format!("/sessions/{}/tiles/{image}", session + 1),
            &[("action", "like")],
        )
        .await;
    assert_eq!(elsewhere.status(), 404, "the tile must be in that session");
    let vic = app.browser("vic", "viewer").await;
    assert_eq!(vic.post(&path, &[("action", "like")]).await.status(), 403);
}
