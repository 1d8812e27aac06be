//! The sessions list: filters, sorts, pagination, stars, tags and bulk actions.

use std::collections::HashSet;

use crate::support::app::{Browser, TestApp};

/// Session ids in the order the page lists them.
pub fn listed(page: &str) -> Vec<i64> {
    page.split("<a class=\"title\" href=\"/sessions/")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
        .collect()
}

/// Ids from SQL that selects `id`, sorted.
fn ids(app: &TestApp, sql: &str) -> Vec<i64> {
    let text = app
        .lib
        .text(&format!(
            "SELECT group_concat(id) AS value FROM ({sql} ORDER BY id)"
        ))
        .unwrap_or_default();
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect()
}

async fn listed_sorted(browser: &Browser, query: &str) -> Vec<i64> {
    let mut ids = listed(
        &browser
            .get_text(&format!("/sessions?per_page=200&{query}"))
            .await,
    );
    ids.sort();
    ids
}

/// Some variety: flags, stars, tags and a display name on the generated sessions.
fn vary(app: &TestApp) {
    app.lib.execute(
        "UPDATE sessions SET is_archived = 1 WHERE id % 5 = 1;
         UPDATE sessions SET is_test = 1 WHERE id % 4 = 2;
         UPDATE sessions SET is_failed = 1 WHERE id % 6 = 3;
         UPDATE sessions SET is_starred = 1 WHERE id % 3 = 0;
         INSERT INTO session_tags (session_id, tag) SELECT id, 'keeper' FROM sessions WHERE id % 2 = 0;
         UPDATE sessions SET display_name = 'Zebra parade' WHERE id = (SELECT max(id) FROM sessions WHERE id % 7 != 4 AND is_archived = 0);
         -- Last: what is in the trash takes no more edits (migration guard_trash_writes).
         UPDATE sessions SET is_deleted = 1 WHERE id % 7 = 4;",
    );
}

#[tokio::test]
async fn each_filter_lists_exactly_the_sessions_the_database_holds_for_it() {
    let app = TestApp::spawn().await;
    vary(&app);
    // An admin: only admins list the deleted sessions (the trash).
    let browser = app.browser("ada", "admin").await;
    let live = "SELECT id FROM sessions WHERE is_deleted = 0";
    let active = "SELECT id FROM sessions WHERE is_deleted = 0 AND is_archived = 0";
    let model = app.lib.text("SELECT model_name AS value FROM sessions WHERE model_name IS NOT NULL AND is_deleted = 0 AND is_archived = 0 GROUP BY 1 ORDER BY count(*) LIMIT 1").unwrap();
    let sampler = app.lib.text("SELECT sampler AS value FROM sessions WHERE sampler IS NOT NULL AND is_deleted = 0 AND is_archived = 0 GROUP BY 1 ORDER BY count(*) LIMIT 1").unwrap();
    let day = app
        .lib
        .text(&format!(
            "SELECT date(created_at) AS value FROM ({active}) JOIN sessions USING (id) LIMIT 1"
        ))
        .unwrap();
    let cases: Vec<(String, String)> = vec![
        (String::new(), active.into()),
        (
            "show=archived".into(),
            format!("{live} AND is_archived = 1"),
        ),
        ("show=test".into(), format!("{live} AND is_test = 1")),
        ("show=failed".into(), format!("{live} AND is_failed = 1")),
        (
            "show=deleted".into(),
            "SELECT id FROM sessions WHERE is_deleted = 1".into(),
        ),
        ("show=all".into(), live.into()),
        (
            format!("model={}", urlencode(&model)),
            format!("{active} AND model_name = '{model}'"),
        ),
        (
            format!("sampler={}", urlencode(&sampler)),
            format!("{active} AND sampler = '{sampler}'"),
        ),
        (
            "tag=Keeper".into(),
            format!(
                "{active} AND id IN (SELECT session_id FROM session_tags WHERE tag = 'keeper')"
            ),
        ),
        ("starred=1".into(), format!("{active} AND is_starred = 1")),
        (
            format!("from={day}&to={day}"),
            format!("{active} AND date(created_at) = '{day}'"),
        ),
        (
            format!("from={day}"),
            format!("{active} AND date(created_at) >= '{day}'"),
        ),
        (
            format!("to={day}"),
            format!("{active} AND date(created_at) <= '{day}'"),
        ),
        (
            "q=zeb".into(),
            format!("{active} AND display_name = 'Zebra parade'"),
        ),
    ];
    for (query, sql) in cases {
        let expected = ids(&app, &sql);
        assert!(
            !expected.is_empty() || query.starts_with("show=deleted"),
            "{query} tests nothing"
        );
        assert_eq!(
            listed_sorted(&browser, &query).await,
            expected,
            "filter {query}"
        );
    }
    let total = ids(&app, live).len();
    let narrowed = listed_sorted(&browser, "show=all&starred=1&tag=keeper").await;
    assert_eq!(
        narrowed,
        ids(
            &app,
            &format!("{live} AND is_starred = 1 AND id IN (SELECT session_id FROM session_tags)")
        )
    );
    assert!(narrowed.len() < total);
}

#[tokio::test]
async fn the_name_search_matches_folder_name_prefixes() {
    let app = TestApp::spawn().await;
    let browser = app.browser("rita", "reviewer").await;
    let folder = app
        .lib
        .text("SELECT folder_name AS value FROM sessions ORDER BY id LIMIT 1")
        .unwrap();
    let word: String = folder
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.len() > 3 && w.chars().any(char::is_alphabetic))
        .unwrap()
        .to_owned();
    let prefix = &word[..3];
    let found = listed_sorted(&browser, &format!("show=all&q={prefix}")).await;
    let id = app.lib.count(&format!(
        "SELECT id AS value FROM sessions WHERE folder_name = '{folder}'"
    ));
    assert!(found.contains(&id), "{prefix} should find {folder}");
    assert!(listed(&browser.get_text("/sessions?q=%22%29%28*OR").await).is_empty());
}

#[tokio::test]
async fn unrated_lists_the_sessions_with_images_i_have_not_rated() {
    let app = TestApp::spawn().await;
    let browser = app.browser("rita", "reviewer").await;
    let me = app
        .lib
        .count("SELECT id AS value FROM users WHERE name = 'rita'");
    let rated = app.lib.count("SELECT session_id AS value FROM session_stats WHERE image_count > 0 ORDER BY session_id LIMIT 1");
    app.lib.execute(&format!(
        "INSERT INTO judgements (image_id, user_id, liked, created_at, updated_at)
         SELECT id, {me}, 1, '2025-01-01', '2025-01-01' FROM images WHERE session_id = {rated};"
    ));
    let expected = ids(&app, &format!(
        "SELECT s.id FROM sessions s JOIN session_stats st ON st.session_id = s.id
         LEFT JOIN user_session_stats u ON u.session_id = s.id AND u.user_id = {me}
         WHERE s.is_deleted = 0 AND s.is_archived = 0 AND st.image_count > coalesce(u.rated_count, 0)"
    ));
    let found = listed_sorted(&browser, "unrated=1").await;
    assert_eq!(found, expected);
    assert!(!found.contains(&rated));
    let page = browser.get_text("/sessions?per_page=200").await;
    assert!(
        page.contains("me 100%"),
        "the rated session shows 100% rated by me"
    );
}

#[tokio::test]
async fn every_sort_orders_by_its_key_both_ways() {
    let app = TestApp::spawn().await;
    app.lib.execute("UPDATE images SET like_count = 1 WHERE id % 3 = 0; UPDATE images SET ko_count = 1 WHERE id % 4 = 0;");
    let browser = app.browser("rita", "reviewer").await;
    let keys = [
        ("date", "created_at"),
        ("name", "lower(coalesce(display_name, name))"),
        ("images", "printf('%08d', image_count)"),
        (
            "like_rate",
            "printf('%012.6f', CAST(liked_count AS REAL) / max(image_count, 1))",
        ),
        (
            "ko_rate",
            "printf('%012.6f', CAST(ko_count AS REAL) / max(image_count, 1))",
        ),
    ];
    for (sort, key) in keys {
        for dir in ["asc", "desc"] {
            let order = listed(
                &browser
                    .get_text(&format!("/sessions?per_page=200&sort={sort}&dir={dir}"))
                    .await,
            );
            assert!(order.len() > 3);
            let values: Vec<String> = order
                .iter()
                .map(|id| app.lib.text(&format!("SELECT {key} AS value FROM sessions JOIN session_stats ON session_id = id WHERE id = {id}")).unwrap())
                .collect();
            let mut sorted = values.clone();
            sorted.sort();
            if dir == "desc" {
                sorted.reverse();
            }
            assert_eq!(values, sorted, "sort={sort}&dir={dir}");
            assert!(sorted.first() != sorted.last(), "sort={sort} tests nothing");
        }
    }
}

#[tokio::test]
async fn pages_cover_every_session_once_without_gaps() {
    let app = TestApp::spawn().await;
    // Many sessions sharing one date, so only the id can break the tie.
    app.lib.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 70)
         INSERT INTO sessions (folder_name, name, created_at, source, scanned_at, updated_at)
         SELECT 'extra_' || i, 'extra ' || i, '2024-06-01 10:00:00', 'images_only', '2024-06-01', '2024-06-01' FROM n;",
    );
    let browser = app.browser("rita", "reviewer").await;
    let expected = ids(
        &app,
        "SELECT id FROM sessions WHERE is_deleted = 0 AND is_archived = 0",
    );
    for sort in ["date", "name", "images", "like_rate", "ko_rate"] {
        let mut seen = Vec::new();
        let mut page = 1;
        loop {
            let text = browser
                .get_text(&format!("/sessions?per_page=25&sort={sort}&page={page}"))
                .await;
            let found = listed(&text);
            assert!(found.len() <= 25);
            seen.extend(found);
            if !text.contains("rel=\"next\"") {
                break;
            }
            page += 1;
        }
        assert!(page >= 3, "{sort}: several pages expected");
        let unique: HashSet<_> = seen.iter().collect();
        assert_eq!(
            unique.len(),
            seen.len(),
            "{sort}: a session was listed twice"
        );
        seen.sort();
        assert_eq!(seen, expected, "{sort}: pages missed a session");
    }
}

#[tokio::test]
async fn bad_parameters_get_a_400_that_names_the_allowed_values() {
    let app = TestApp::spawn().await;
    let browser = app.browser("vera", "viewer").await;
    for (query, says) in [
        ("show=bin", "active, archived, test, failed, deleted, all"),
        ("sort=size", "date, name, images, like_rate, ko_rate"),
        ("dir=sideways", "asc or desc"),
        ("per_page=7", "25, 50, 100 or 200"),
        ("page=-1", "a number from 1"),
        ("from=yesterday", "YYYY-MM-DD"),
        ("starred=yes", "1 or 0"),
        ("from=2025-02-01&to=2025-01-01", "empty"),
    ] {
        let response = browser.get(&format!("/sessions?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        assert!(response.text().await.unwrap().contains(says), "{query}");
    }
}

#[tokio::test]
async fn the_list_alone_is_sent_to_htmx_and_the_whole_page_otherwise() {
    let app = TestApp::spawn().await;
    let browser = app.browser("vera", "viewer").await;
    let page = browser.get_text("/sessions").await;
    assert!(
        page.contains("<html")
            && page.contains("id=\"filters\"")
            && page.contains("id=\"session-list\"")
    );
    let fragment = browser
        .client
        .get(format!("{}/sessions?show=all", browser.base))
        .header("HX-Request", "true")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        fragment
            .trim_start()
            .starts_with("<section id=\"session-list\"")
    );
    assert!(!fragment.contains("<html") && !fragment.contains("id=\"filters\""));
    assert!(
        !page.contains("name=\"ids\""),
        "a viewer gets no bulk checkboxes"
    );
}

#[tokio::test]
async fn a_star_and_tags_round_trip_and_filter_the_list() {
    let app = TestApp::spawn().await;
    let browser = app.browser("rita", "reviewer").await;
    let id = app
        .lib
        .count("SELECT min(id) AS value FROM sessions WHERE is_deleted = 0 AND is_archived = 0");
    let response = browser.post(&format!("/sessions/{id}/star"), &[]).await;
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("aria-pressed=\"true\"")
    );
    assert_eq!(
        app.lib.count(&format!(
            "SELECT is_starred AS value FROM sessions WHERE id = {id}"
        )),
        1
    );
    assert_eq!(listed_sorted(&browser, "starred=1").await, vec![id]);

    let response = browser
        .post(
            &format!("/sessions/{id}/tags"),
            &[("tag", "  Best   Shots ")],
        )
        .await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains(">best shots</a>"));
    assert_eq!(
        app.lib
            .text(&format!(
                "SELECT group_concat(tag) AS value FROM session_tags WHERE session_id = {id}"
            ))
            .as_deref(),
        Some("best shots")
    );
    assert_eq!(listed_sorted(&browser, "tag=best+shots").await, vec![id]);
    let options = browser.get_text("/sessions/tags?prefix=Be").await;
    assert!(
        options.contains("<option value=\"best shots\">"),
        "{options}"
    );
    assert!(
        !browser
            .get_text("/sessions/tags?prefix=zz")
            .await
            .contains("<option")
    );

    let too_long = "x".repeat(41);
    let response = browser
        .post(
            &format!("/sessions/{id}/tags"),
            &[("tag", too_long.as_str())],
        )
        .await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("40 characters"));

    let response = browser
        .post(
            &format!("/sessions/{id}/tags/remove"),
            &[("tag", "best shots")],
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        app.lib.count(&format!(
            "SELECT count(*) AS value FROM session_tags WHERE session_id = {id}"
        )),
        0
    );
    browser.post(&format!("/sessions/{id}/star"), &[]).await;
    assert_eq!(
        app.lib.count(&format!(
            "SELECT is_starred AS value FROM sessions WHERE id = {id}"
        )),
        0
    );
    assert_eq!(
        browser.post("/sessions/999999/star", &[]).await.status(),
        404
    );
}

#[tokio::test]
async fn a_viewer_cannot_star_or_tag() {
    let app = TestApp::spawn().await;
    let browser = app.browser("vera", "viewer").await;
    assert_eq!(browser.post("/sessions/1/star", &[]).await.status(), 403);
    assert_eq!(
        browser
            .post("/sessions/1/tags", &[("tag", "x")])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.lib.count("SELECT count(*) AS value FROM session_tags"),
        0
    );
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn an_unknown_parameter_is_a_400_that_names_it_and_the_accepted_ones() {
    let app = TestApp::serve(crate::support::TestLibrary::empty()).await;
    let admin = app.browser("ursula", "admin").await;
    for (path, accepted) in [
        ("/sessions?colour=red", "`show`"),
        ("/sessions?show=all&colour=red", "`per_page`"),
        ("/trash?colour=red", "`sessions_page`"),
        ("/sessions/tags?prefix=a&colour=red", "`prefix`"),
    ] {
        let response = admin.get(path).await;
        assert_eq!(response.status(), 400, "{path}");
        let text = response.text().await.unwrap();
        assert!(text.contains("`colour`"), "{path}: {text}");
        assert!(text.contains(accepted), "{path}: {text}");
    }
}

/// The cover of a session's row, as the list shows it.
fn cover_of(page: &str, session: i64) -> Option<i64> {
    let row = page
        .split(&format!("id=\"session-row-{session}\""))
        .nth(1)?;
    let cover = row.split("class=\"cover\"").nth(1)?;
    let src = cover.split("src=\"/images/").nth(1)?;
    src[..src.find('/')?].parse().ok()
}

#[tokio::test]
async fn a_like_moves_a_session_s_cover_at_the_next_load() {
    let app = TestApp::spawn().await;
    let session = app.lib.count(
        "SELECT session_id AS value FROM images WHERE on_disk = 1 AND is_deleted = 0
           AND broken IS NULL AND like_count = 0
         GROUP BY session_id HAVING count(*) >= 3 AND max(like_count) = 0 ORDER BY session_id LIMIT 1",
    );
    let (first, last) = (
        app.lib.count(&format!(
            "SELECT id AS value FROM images WHERE session_id = {session} AND on_disk = 1
               AND is_deleted = 0 AND broken IS NULL ORDER BY filename, id LIMIT 1"
        )),
        app.lib.count(&format!(
            "SELECT id AS value FROM images WHERE session_id = {session} AND on_disk = 1
               AND is_deleted = 0 AND broken IS NULL ORDER BY filename DESC, id DESC LIMIT 1"
        )),
    );
    let reviewer = app.browser("rita", "reviewer").await;
    let list = "/sessions?show=all&per_page=200";
    assert_eq!(
        cover_of(&reviewer.get_text(list).await, session),
        Some(first),
        "without a like, the first image"
    );
    // Asked twice: the second answer comes from what the server kept.
    assert_eq!(
        cover_of(&reviewer.get_text(list).await, session),
        Some(first)
    );
    let liked = reviewer
        .post(&format!("/images/{last}/rating"), &[("action", "like")])
        .await;
    assert_eq!(liked.status(), 200);
    assert_eq!(
        cover_of(&reviewer.get_text(list).await, session),
        Some(last),
        "the liked image, at once"
    );
}

/// "1–25 of N": the total the sessions page shows.
fn total_shown(page: &str) -> i64 {
    let at = page.find(" of ").expect("a total");
    let digits: String = page[at + 4..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap()
}

#[tokio::test]
async fn the_total_follows_every_change_to_the_sessions_whoever_writes_it() {
    // The total is remembered between requests (issue 16): a change made by another
    // connection, as an import in another process makes, must still show at once.
    let app = TestApp::spawn().await;
    let browser = app.browser("ada", "admin").await;
    let count = |sql: &str| {
        app.lib
            .text(&format!(
                "SELECT count(*) AS value FROM sessions WHERE {sql}"
            ))
            .unwrap()
            .parse::<i64>()
            .unwrap()
    };
    let active = "is_deleted = 0 AND is_archived = 0";
    let shown = total_shown(&browser.get_text("/sessions?per_page=25").await);
    assert_eq!(shown, count(active));
    // Archived by another connection: one fewer.
    app.lib
        .execute("UPDATE sessions SET is_archived = 1 WHERE id = (SELECT min(id) FROM sessions)");
    let shown = total_shown(&browser.get_text("/sessions?per_page=25").await);
    assert_eq!(shown, count(active));
    // A tag added by another connection: the tag's filter sees it.
    let tagged = "/sessions?per_page=25&tag=fresh";
    assert!(
        browser
            .get_text(tagged)
            .await
            .contains("No sessions match.")
    );
    app.lib.execute(
        "INSERT INTO session_tags (session_id, tag) SELECT max(id), 'fresh' FROM sessions",
    );
    assert_eq!(total_shown(&browser.get_text(tagged).await), 1);
    // Another database served by the same process keeps its own totals.
    let other = TestApp::spawn().await;
    other
        .lib
        .execute("UPDATE sessions SET is_archived = 1 WHERE id % 2 = 0");
    let other_browser = other.browser("ada", "admin").await;
    let other_active = other
        .lib
        .text(&format!(
            "SELECT count(*) AS value FROM sessions WHERE {active}"
        ))
        .unwrap();
    assert_eq!(
        total_shown(&other_browser.get_text("/sessions?per_page=25").await).to_string(),
        other_active
    );
}
