//! Search: words, phrases and exclusions across the library, combined with gallery filters.

use std::collections::HashSet;

use crate::gallery::tile_ids;
use crate::support::app::TestApp;

/// Ids of images whose prompt or negative prompt holds `word` (case-insensitive, whole text).
fn with_prompt(app: &TestApp, condition: &str) -> HashSet<i64> {
    let sql = format!(
        "SELECT i.id AS id FROM images i
         LEFT JOIN prompt_texts p ON p.id = i.prompt_id
         LEFT JOIN prompt_texts n ON n.id = i.negative_prompt_id
         WHERE i.on_disk = 1 AND i.is_deleted = 0 AND ({condition})"
    );
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    use diesel::RunQueryDsl;
    diesel::sql_query(sql)
        .load::<Row>(&mut *app.lib.pool().get().unwrap())
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

async fn all_results(browser: &crate::support::app::Browser, query: &str) -> HashSet<i64> {
    let mut all = Vec::new();
    for page in 1.. {
        let html = browser
            .get_text(&format!("/search/tiles?{query}&page={page}"))
            .await;
        all.extend(tile_ids(&html));
        if !html.contains("class=\"sentinel\"") {
            break;
        }
    }
    let unique: HashSet<i64> = all.iter().copied().collect();
    assert_eq!(unique.len(), all.len(), "no result twice");
    unique
}

#[tokio::test]
async fn search_finds_words_phrases_and_excludes_with_minus() {
    let app = TestApp::spawn().await;
    let browser = app.browser("ann", "viewer").await;
    let fox = with_prompt(&app, "lower(p.text) LIKE '%fox%'");
    assert!(!fox.is_empty());
    let page = browser.get_text("/search?q=fox").await;
    assert!(page.contains("images</strong>") || page.contains("image</strong>"));
    let first = tile_ids(&page)[0];
    assert!(
        page.contains(&format!("href=\"/images/{first}?q=fox\"")),
        "tiles keep the words"
    );
    assert_eq!(all_results(&browser, "q=fox").await, fox);
    let fox_no_snow = with_prompt(
        &app,
        "lower(p.text) LIKE '%fox%'
         AND ' ' || replace(lower(coalesce(p.text, '')), ',', ' ') || ' ' NOT LIKE '% snow %'",
    );
    assert_eq!(all_results(&browser, "q=fox+-snow").await, fox_no_snow);
    let phrase = with_prompt(&app, "lower(p.text) LIKE '%red fox%'");
    assert!(!phrase.is_empty());
    assert_eq!(all_results(&browser, "q=%22red+fox%22").await, phrase);
}

/// "fox OR samurai" found nothing: OR was read as a word. The prompt is searched unless the
/// negative prompt, or both, are asked for.
#[tokio::test]
async fn or_finds_either_word_and_a_search_reads_the_texts_asked_for() {
    let app = TestApp::spawn().await;
    let browser = app.browser("ann", "viewer").await;
    let either = with_prompt(
        &app,
        "lower(p.text) LIKE '%fox%' OR lower(p.text) LIKE '%samurai%'",
    );
    assert!(!either.is_empty());
    assert_eq!(all_results(&browser, "q=fox+OR+samurai").await, either);

    let negative = with_prompt(&app, "lower(n.text) LIKE '%watermark%'");
    let prompt = with_prompt(&app, "lower(p.text) LIKE '%watermark%'");
    assert!(!negative.is_empty());
    assert_eq!(all_results(&browser, "q=watermark").await, prompt);
    assert_eq!(
        all_results(&browser, "q=watermark&in=negative").await,
        negative
    );
    let both = with_prompt(
        &app,
        "lower(p.text) LIKE '%fox%' OR lower(n.text) LIKE '%fox%'",
    );
    assert_eq!(all_results(&browser, "q=fox&in=both").await, both);
    assert_eq!(browser.get("/search?q=fox&in=title").await.status(), 400);
}

/// Each result names its session and shows the words of its prompt that matched.
#[tokio::test]
async fn each_result_shows_its_session_and_the_matching_words() {
    let app = TestApp::spawn().await;
    let browser = app.browser("ann", "viewer").await;
    let page = browser.get_text("/search?q=samurai").await;
    let first = tile_ids(&page)[0];
    let session = app.lib.text(&format!(
        "SELECT coalesce(s.display_name, s.name) AS value FROM images i JOIN sessions s ON s.id = i.session_id WHERE i.id = {first}"
    )).unwrap();
    let tile = &page[page.find(&format!("data-id=\"{first}\"")).unwrap()..];
    let tile = &tile[..tile.find("class=\"pick\"").unwrap()];
    assert!(tile.contains("class=\"caption\""), "{tile}");
    assert!(
        tile.contains(&format!("<span class=\"session\">{session}</span>")),
        "the session: {tile}"
    );
    assert!(tile.contains("<mark>samurai</mark>"), "the words: {tile}");
}

/// Past 1,000 matches the count says "1,000+", as the user guide promises.
#[tokio::test]
async fn a_search_with_more_than_a_thousand_results_says_1000_plus() {
    let app = TestApp::spawn().await;
    let browser = app.browser("ann", "viewer").await;
    app.lib.execute(
        "INSERT INTO prompt_texts (hash, text) VALUES (randomblob(16), 'a zanzibarquux lighthouse');
         INSERT INTO prompts_fts (rowid, text) SELECT id, text FROM prompt_texts WHERE text = 'a zanzibarquux lighthouse';
         WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 1100)
         INSERT INTO images (session_id, filename, prompt_id, format, file_size, file_mtime_ns, width, height)
         SELECT i.session_id, 'copy-' || k || '-' || i.filename,
                (SELECT id FROM prompt_texts WHERE text = 'a zanzibarquux lighthouse'),
                i.format, i.file_size, i.file_mtime_ns, i.width, i.height
         FROM n, (SELECT * FROM images WHERE broken IS NULL ORDER BY id LIMIT 1) i;",
    );
    let page = browser.get_text("/search?q=zanzibarquux").await;
    assert!(page.contains("1,000+ images"), "the count is capped");
}

#[tokio::test]
async fn search_combines_with_gallery_filters() {
    let app = TestApp::spawn().await;
    let browser = app.browser("ann", "reviewer").await;
    let me = app
        .lib
        .count("SELECT id AS value FROM users WHERE name = 'ann'");
    let fox = with_prompt(&app, "lower(p.text) LIKE '%fox%'");
    let liked: Vec<i64> = fox.iter().copied().take(3).collect();
    for id in &liked {
        app.lib.execute(&format!(
            "INSERT INTO judgements (image_id, user_id, liked, created_at, updated_at) VALUES ({id}, {me}, 1, datetime(), datetime())"
        ));
    }
    let shown = all_results(&browser, "q=fox&liked=1").await;
    assert_eq!(shown, liked.into_iter().collect());
}

#[tokio::test]
async fn search_results_can_be_narrowed_to_split_verdicts() {
    let app = TestApp::spawn().await;
    let browser = app.browser("ann", "reviewer").await;
    app.add_user("bob", "reviewer");
    let fox = with_prompt(&app, "lower(p.text) LIKE '%fox%'");
    let split: HashSet<i64> = fox.iter().copied().take(2).collect();
    let agreed = fox.iter().copied().nth(2).unwrap();
    for id in &split {
        app.lib.execute(&format!(
            "INSERT INTO judgements (image_id, user_id, status, created_at, updated_at)
             SELECT {id}, id, 'ok', datetime(), datetime() FROM users WHERE name = 'ann';
             INSERT INTO judgements (image_id, user_id, status, failure_category, created_at, updated_at)
             SELECT {id}, id, 'ko', 'noise', datetime(), datetime() FROM users WHERE name = 'bob';"
        ));
    }
    app.lib.execute(&format!(
        "INSERT INTO judgements (image_id, user_id, status, created_at, updated_at)
         SELECT {agreed}, id, 'ok', datetime(), datetime() FROM users"
    ));
    assert_eq!(all_results(&browser, "q=fox&status=split").await, split);
    let page = browser.get_text("/search?q=fox&status=split").await;
    assert!(
        page.contains(r#"name="status" value="split" checked"#),
        "the Split chip shows as chosen"
    );
}

#[tokio::test]
async fn an_empty_search_explains_and_a_bad_one_is_a_400_with_the_message() {
    let app = TestApp::spawn().await;
    let browser = app.browser("ann", "viewer").await;
    let empty = browser.get_text("/search?q=").await;
    assert!(
        empty.contains("-snow"),
        "the empty page explains the syntax"
    );
    assert!(tile_ids(&empty).is_empty());
    let response = browser.get("/search?q=-dog").await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("at least one word"));
    let response = browser.get("/search?q=cat&colour=red").await;
    assert_eq!(response.status(), 400);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("unknown parameter `colour`")
    );
}

#[tokio::test]
async fn deleting_an_image_or_its_session_takes_it_out_of_search_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.browser("root", "admin").await;
    let fox = with_prompt(&app, "lower(p.text) LIKE '%fox%'");
    let before = all_results(&admin, "q=fox").await;
    assert!(before.len() >= 2);
    let mut ids: Vec<i64> = before.iter().copied().collect();
    ids.sort();
    let (gone, its_session) = (
        ids[0],
        app.lib.count(&format!(
            "SELECT session_id AS value FROM images WHERE id = {}",
            ids[1]
        )),
    );
    let session_of_gone = app.lib.count(&format!(
        "SELECT session_id AS value FROM images WHERE id = {gone}"
    ));
    let response = admin
        .post(
            &format!("/sessions/{session_of_gone}/images/bulk"),
            &[("ids", &gone.to_string()), ("action", "delete")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let after = all_results(&admin, "q=fox").await;
    assert!(!after.contains(&gone), "a deleted image leaves the results");

    let response = admin
        .post(
            "/sessions/bulk",
            &[("ids", &its_session.to_string()), ("action", "delete")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let after = all_results(&admin, "q=fox").await;
    let in_session = app.lib.count(&format!(
        "SELECT count(*) AS value FROM images WHERE session_id = {its_session} AND id IN ({})",
        after
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    ));
    assert_eq!(
        in_session, 0,
        "a deleted session's images leave the results"
    );
    assert!(fox.len() >= after.len());
}
