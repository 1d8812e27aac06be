//! The session page and its gallery: exactly the session's images, filters that agree with the
//! database, pages without duplicates or gaps, in-place edits, and bulk actions.

use std::collections::HashSet;

use crate::support::app::{Browser, TestApp};

/// The image ids of the tiles in a page or fragment, in order.
pub fn tile_ids(html: &str) -> Vec<i64> {
    html.split("data-id=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
        .collect()
}

fn ids_of(app: &TestApp, sql: &str) -> HashSet<i64> {
    let pool = app.lib.pool();
    let mut conn = pool.get().unwrap();
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    use diesel::RunQueryDsl;
    diesel::sql_query(sql)
        .load::<Row>(&mut *conn)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

/// The session with the most images (the generated library has one of 300).
fn big_session(app: &TestApp) -> i64 {
    app.lib.count(
        "SELECT session_id AS value FROM images WHERE on_disk = 1 AND is_deleted = 0
         GROUP BY session_id ORDER BY count(*) DESC LIMIT 1",
    )
}

/// Every tile of a gallery, following the tiles fragments page by page.
async fn all_tiles(browser: &Browser, session: i64, query: &str) -> Vec<i64> {
    let mut all = Vec::new();
    for page in 1.. {
        let html = browser
            .get_text(&format!("/sessions/{session}/tiles?{query}&page={page}"))
            .await;
        all.extend(tile_ids(&html));
        if !html.contains("class=\"sentinel\"") {
            break;
        }
    }
    all
}

#[tokio::test]
async fn the_gallery_shows_exactly_the_sessions_images_without_duplicates_or_gaps() {
    let app = TestApp::spawn().await;
    let browser = app.browser("ann", "viewer").await;
    let session = big_session(&app);
    let page = browser.get_text(&format!("/sessions/{session}")).await;
    assert_eq!(tile_ids(&page).len(), 100, "the first page holds 100 tiles");
    assert!(page.contains("Next page"), "a plain link to the next page");
    let expected = ids_of(
        &app,
        &format!(
            "SELECT id FROM images WHERE session_id = {session} AND on_disk = 1 AND is_deleted = 0"
        ),
    );
    let shown = all_tiles(&browser, session, "").await;
    let unique: HashSet<i64> = shown.iter().copied().collect();
    assert_eq!(unique.len(), shown.len(), "no image twice");
    assert_eq!(unique, expected);
    let second = browser
        .get_text(&format!("/sessions/{session}?page=2"))
        .await;
    assert!(second.contains("Previous page"));
}

#[tokio::test]
async fn every_filter_narrows_to_what_the_database_says() {
    let app = TestApp::spawn().await;
    let browser = app.browser("ann", "reviewer").await;
    let other = app.add_user("bob", "reviewer");
    let session = big_session(&app);
    let me = app
        .lib
        .count("SELECT id AS value FROM users WHERE name = 'ann'");
    let bob = app.lib.count(&format!(
        "SELECT id AS value FROM users WHERE name = '{}'",
        other.name
    ));
    app.lib.execute(&format!(
        "INSERT INTO judgements (image_id, user_id, quality, liked, status, failure_category, created_at, updated_at)
         SELECT id, {me}, CASE WHEN id % 3 = 0 THEN 'perfect' WHEN id % 3 = 1 THEN 'imperfect' END,
                id % 4 = 0, CASE WHEN id % 5 = 0 THEN 'ko' END, CASE WHEN id % 5 = 0 THEN 'noise' END,
                datetime(), datetime()
         FROM images WHERE session_id = {session} AND id % 2 = 0;
         INSERT INTO judgements (image_id, user_id, liked, status, created_at, updated_at)
         SELECT id, {bob}, 1, 'ok', datetime(), datetime()
         FROM images WHERE session_id = {session} AND id % 7 = 0;"
    ));
    let base = format!(
        "SELECT id FROM images WHERE session_id = {session} AND on_disk = 1 AND is_deleted = 0"
    );
    let mine = format!("SELECT image_id FROM judgements WHERE user_id = {me}");
    let variation = app
        .lib
        .text(&format!(
            "SELECT v.placeholder || ':' || v.value AS value FROM variations v
             JOIN image_variations iv ON iv.variation_id = v.id JOIN images i ON i.id = iv.image_id
             WHERE i.session_id = {session} LIMIT 1"
        ))
        .unwrap();
    let (placeholder, value) = variation.split_once(':').unwrap();
    let cases = [
        ("status=ko", format!("{base} AND ko_count > 0")),
        ("status=ok", format!("{base} AND ok_count > 0")),
        ("status=none", format!("{base} AND ok_count = 0 AND ko_count = 0")),
        // Split: raters disagree, some OK, some KO; always everyone's verdicts.
        ("status=split", format!("{base} AND ok_count > 0 AND ko_count > 0")),
        ("status=split&whose=mine", format!("{base} AND ok_count > 0 AND ko_count > 0")),
        ("quality=perfect", format!("{base} AND perfect_count > 0")),
        ("liked=1", format!("{base} AND like_count > 0")),
        ("liked=1&whose=mine", format!("{base} AND id IN ({mine} AND liked = 1)")),
        ("quality=imperfect&whose=mine", format!("{base} AND id IN ({mine} AND quality = 'imperfect')")),
        ("category=noise", format!("{base} AND id IN (SELECT image_id FROM judgements WHERE failure_category = 'noise')")),
        ("rater=bob", format!("{base} AND id IN (SELECT image_id FROM judgements WHERE user_id = {bob})")),
        (
            "unrated=1",
            format!("{base} AND id NOT IN ({mine} AND (quality IS NOT NULL OR status IS NOT NULL OR liked = 1))"),
        ),
        (
            &*format!("var={}", sdreview::web::href::url_escape(&variation)),
            format!(
                "{base} AND id IN (SELECT iv.image_id FROM image_variations iv JOIN variations v ON v.id = iv.variation_id
                 WHERE v.placeholder = '{placeholder}' AND v.value = '{}')",
                value.replace('\'', "''")
            ),
        ),
    ];
    // Everyone's verdicts first, as a household with blind review off reads them.
    app.lib
        .execute("INSERT INTO owner_settings (name, value) VALUES ('blind_review', 'off')");
    for (query, sql) in cases.iter() {
        let shown: HashSet<i64> = all_tiles(&browser, session, query)
            .await
            .into_iter()
            .collect();
        let expected = ids_of(&app, sql);
        assert!(!expected.is_empty(), "{query}: the fixture must hold some");
        assert_eq!(shown, expected, "{query}");
    }
    // Blind (the default): a filter on others' verdicts keeps only the images I have judged,
    // and "nobody's status" also takes those whose others' verdicts are hidden from me.
    app.lib
        .execute("DELETE FROM owner_settings WHERE name = 'blind_review'");
    let judged = format!("{mine} AND (quality IS NOT NULL OR status IS NOT NULL OR liked = 1)");
    for (query, sql) in cases.iter() {
        let reads_others = !query.contains("whose=mine")
            && !query.starts_with("unrated")
            && !query.starts_with("var")
            || query.starts_with("status=split");
        let sql = match *query {
            "status=none" => {
                format!("{base} AND ((ok_count = 0 AND ko_count = 0) OR id NOT IN ({judged}))")
            }
            _ if reads_others => format!("{sql} AND id IN ({judged})"),
            _ => sql.clone(),
        };
        let shown: HashSet<i64> = all_tiles(&browser, session, query)
            .await
            .into_iter()
            .collect();
        assert_eq!(shown, ids_of(&app, &sql), "blind: {query}");
    }
    let sorted = all_tiles(&browser, session, "sort=seed").await;
    let seeds: Vec<i64> = sorted
        .iter()
        .map(|id| {
            app.lib.count(&format!(
                "SELECT coalesce(seed, -1) AS value FROM images WHERE id = {id}"
            ))
        })
        .collect();
    assert!(seeds.windows(2).all(|w| w[0] <= w[1]), "sorted by seed");
}

#[tokio::test]
async fn unknown_parameters_and_bad_values_are_a_400_that_says_what_is_wrong() {
    let app = TestApp::spawn().await;
    let browser = app.browser("ann", "viewer").await;
    let session = big_session(&app);
    for (query, words) in [
        ("colour=red", "unknown parameter `colour`"),
        ("status=maybe", "ok, ko, split or none"),
    ] {
        let response = browser.get(&format!("/sessions/{session}?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        assert!(response.text().await.unwrap().contains(words), "{query}");
    }
    let response = browser.get(&format!("/sessions/{session}?deleted=1")).await;
    assert_eq!(
        response.status(),
        403,
        "the trash of a session is for admins"
    );
    assert_eq!(browser.get("/sessions/999999").await.status(), 404);
}

#[tokio::test]
async fn a_reviewer_edits_name_notes_and_flags_in_place_and_a_viewer_cannot() {
    let app = TestApp::spawn().await;
    let reviewer = app.browser("rita", "reviewer").await;
    let viewer = app.browser("vic", "viewer").await;
    let session = big_session(&app);
    let response = reviewer
        .post(
            &format!("/sessions/{session}/name"),
            &[("display_name", "  Foxes <b>in</b> snow ")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let fragment = response.text().await.unwrap();
    assert!(
        fragment.contains("id=\"session-head\""),
        "the head swaps back"
    );
    assert!(fragment.contains("Foxes "), "{fragment}");
    assert!(!fragment.contains("<b>in</b>"), "the name is escaped");
    assert_eq!(
        app.lib
            .text(&format!(
                "SELECT display_name AS value FROM sessions WHERE id = {session}"
            ))
            .as_deref(),
        Some("Foxes <b>in</b> snow")
    );
    reviewer
        .post(
            &format!("/sessions/{session}/notes"),
            &[("notes", "line one\nline two")],
        )
        .await;
    let page = reviewer.get_text(&format!("/sessions/{session}")).await;
    assert!(page.contains("line one\nline two"));
    for flag in ["test", "failed", "archived"] {
        let response = reviewer
            .post(
                &format!("/sessions/{session}/flags"),
                &[("flag", flag), ("value", "1")],
            )
            .await;
        assert_eq!(response.status(), 200, "{flag}");
    }
    assert_eq!(
        app.lib.count(&format!(
            "SELECT is_test + is_failed + is_archived AS value FROM sessions WHERE id = {session}"
        )),
        3
    );
    reviewer
        .post(
            &format!("/sessions/{session}/flags"),
            &[("flag", "test"), ("value", "0")],
        )
        .await;
    assert_eq!(
        app.lib.count(&format!(
            "SELECT is_test AS value FROM sessions WHERE id = {session}"
        )),
        0
    );
    let too_long = "x".repeat(201);
    let response = reviewer
        .post(
            &format!("/sessions/{session}/name"),
            &[("display_name", &too_long)],
        )
        .await;
    assert_eq!(response.status(), 400);
    let response = reviewer
        .post(
            &format!("/sessions/{session}/flags"),
            &[("flag", "deleted"), ("value", "1")],
        )
        .await;
    assert_eq!(response.status(), 400);
    let response = viewer
        .post(
            &format!("/sessions/{session}/name"),
            &[("display_name", "mine now")],
        )
        .await;
    assert_eq!(response.status(), 403);
    let response = viewer
        .post(
            &format!("/sessions/{session}/flags"),
            &[("flag", "test"), ("value", "1")],
        )
        .await;
    assert_eq!(response.status(), 403);
    assert!(
        !viewer
            .get_text(&format!("/sessions/{session}"))
            .await
            .contains("Rename")
    );
}

#[tokio::test]
async fn bulk_rate_ko_delete_and_restore_selected_images() {
    let app = TestApp::spawn().await;
    let admin = app.browser("ada", "admin").await;
    let reviewer = app.browser("rita", "reviewer").await;
    let session = big_session(&app);
    let page = admin.get_text(&format!("/sessions/{session}")).await;
    let ids: Vec<String> = tile_ids(&page)[..3]
        .iter()
        .map(|id| id.to_string())
        .collect();
    let list = ids.join(",");
    let bulk = format!("/sessions/{session}/images/bulk");
    let form = |action: &'static str| -> Vec<(&str, &str)> {
        let mut form: Vec<(&str, &str)> = ids.iter().map(|id| ("ids", id.as_str())).collect();
        form.push(("action", action));
        form
    };
    let response = reviewer.post(&bulk, &form("like")).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["hx-trigger"]
            .to_str()
            .unwrap()
            .contains("Liked 3 images")
    );
    // A second time does not take the heart back.
    reviewer.post(&bulk, &form("like")).await;
    assert_eq!(
        app.lib.count(&format!(
            "SELECT count(*) AS value FROM images WHERE id IN ({list}) AND like_count = 1"
        )),
        3
    );
    let mut ko = form("ko");
    ko.push(("category", "malformed"));
    assert_eq!(reviewer.post(&bulk, &ko).await.status(), 200);
    assert_eq!(
        app.lib.count(&format!(
            "SELECT count(*) AS value FROM judgements WHERE image_id IN ({list}) AND status = 'ko' AND failure_category = 'malformed'"
        )),
        3
    );
    assert_eq!(
        reviewer.post(&bulk, &form("ko")).await.status(),
        400,
        "KO needs a category"
    );
    assert_eq!(
        reviewer.post(&bulk, &form("delete")).await.status(),
        403,
        "delete is for admins"
    );
    let response = admin.post(&bulk, &form("delete")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        app.lib.count(&format!(
            "SELECT sum(is_deleted) AS value FROM images WHERE id IN ({list})"
        )),
        3
    );
    let after = admin.get_text(&format!("/sessions/{session}")).await;
    assert!(
        tile_ids(&after)
            .iter()
            .all(|id| !ids.contains(&id.to_string()))
    );
    let trash = admin
        .get_text(&format!("/sessions/{session}?deleted=1"))
        .await;
    assert_eq!(tile_ids(&trash).len(), 3, "the session's deleted images");
    let restore = format!("{bulk}?deleted=1");
    assert_eq!(admin.post(&restore, &form("restore")).await.status(), 200);
    assert_eq!(
        app.lib.count(&format!(
            "SELECT sum(is_deleted) AS value FROM images WHERE id IN ({list})"
        )),
        0
    );
    // An id of another session is not touched from this one.
    let stranger = app.lib.count(&format!(
        "SELECT id AS value FROM images WHERE session_id != {session} LIMIT 1"
    ));
    let stranger = stranger.to_string();
    admin
        .post(&bulk, &[("ids", stranger.as_str()), ("action", "delete")])
        .await;
    assert_eq!(
        app.lib.count(&format!(
            "SELECT is_deleted AS value FROM images WHERE id = {stranger}"
        )),
        0
    );
}

#[tokio::test]
async fn select_all_matching_acts_on_every_image_of_the_filter() {
    let app = TestApp::spawn().await;
    let reviewer = app.browser("rita", "reviewer").await;
    let session = big_session(&app);
    let me = app
        .lib
        .count("SELECT id AS value FROM users WHERE name = 'rita'");
    app.lib.execute(&format!(
        "INSERT INTO judgements (image_id, user_id, liked, created_at, updated_at)
         SELECT id, {me}, 1, datetime(), datetime() FROM images WHERE session_id = {session} AND id % 3 != 0"
    ));
    let response = reviewer
        .post(
            &format!("/sessions/{session}/images/bulk?liked=1&whose=mine"),
            &[("all", "1"), ("action", "perfect")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let liked = app.lib.count(&format!(
        "SELECT count(*) AS value FROM images WHERE session_id = {session} AND id % 3 != 0 AND on_disk = 1 AND is_deleted = 0"
    ));
    assert!(liked > 100, "more than one page");
    assert_eq!(
        app.lib.count(&format!(
            "SELECT count(*) AS value FROM judgements WHERE user_id = {me} AND quality = 'perfect'"
        )),
        liked
    );
}

#[tokio::test]
async fn a_tile_can_be_fetched_alone_and_keeps_the_gallerys_filter_in_its_link() {
    let app = TestApp::spawn().await;
    let browser = app.browser("ann", "viewer").await;
    let session = big_session(&app);
    let page = browser
        .get_text(&format!("/sessions/{session}?sort=seed"))
        .await;
    let first = tile_ids(&page)[0];
    assert!(page.contains(&format!(
        "href=\"/images/{first}?session={session}&#38;sort=seed\""
    )));
    let tile = browser
        .get_text(&format!(
            "/sessions/{session}/tiles/{first}?session={session}&sort=seed"
        ))
        .await;
    assert_eq!(tile_ids(&tile), vec![first]);
    let elsewhere = browser
        .get(&format!("/sessions/{}/tiles/{first}", session + 1))
        .await;
    assert_eq!(elsewhere.status(), 404);
}
