//! Blind review as one rule for the whole app: while the household's blind mode is on (the
//! default), a reviewer sees nobody else's verdict on an image they have not judged, on the
//! session page, search results, the image page, compare, review and the API; once they have
//! judged it, they see the others. An admin turns it off with a plain form; statistics stay
//! totals either way.

use serde_json::Value;

use super::api_client::Api;
use super::compare::{fixed_seed_session, placeholder_of};
use crate::support::app::{Browser, TestApp, TestUser};

/// maria's KO on an image, with a note only she wrote.
const NOTE: &str = "melted-fingers";

/// An image of a session that compare shows side by side with others, which maria judged KO
/// with a heart and a thumbs down, and nobody else has judged. Returns (session, image).
async fn judged_by_maria(app: &TestApp, maria: &Browser) -> (i64, i64) {
    let session = fixed_seed_session(app);
    let image = app.lib.count(&format!(
        "SELECT min(i.id) AS value FROM images i JOIN image_variations iv ON iv.image_id = i.id
         WHERE i.session_id = {session} AND i.on_disk AND i.broken IS NULL
         AND i.seed = (SELECT seed FROM images WHERE session_id = {session} AND broken IS NULL
                       AND seed IS NOT NULL GROUP BY seed ORDER BY count(*) DESC LIMIT 1)"
    ));
    for form in [
        vec![("action", "ko"), ("category", "malformed"), ("notes", NOTE)],
        vec![("action", "like")],
        vec![("action", "imperfect")],
    ] {
        let response = maria.post(&format!("/images/{image}/rating"), &form).await;
        assert_eq!(response.status(), 200);
    }
    (session, image)
}

/// One tile of a gallery page, by its image.
fn tile(page: &str, image: i64) -> String {
    let start = page
        .find(&format!("data-id=\"{image}\""))
        .unwrap_or_else(|| panic!("no tile for image {image}"));
    let rest = &page[start..];
    let end = rest[1..]
        .find("<div class=\"tile")
        .map_or(rest.len(), |e| e + 1);
    rest[..end].to_owned()
}

/// A word of the image's prompt that a search finds it by.
fn prompt_word(app: &TestApp, image: i64) -> String {
    let prompt = app
        .lib
        .text(&format!(
            "SELECT p.text AS value FROM images i JOIN prompt_texts p ON p.id = i.prompt_id
             WHERE i.id = {image}"
        ))
        .unwrap();
    prompt
        .split(|c: char| !c.is_ascii_alphabetic())
        .find(|w| w.len() >= 4)
        .unwrap()
        .to_owned()
}

/// Everything a reviewer may read about the image, page by page and through the API, as one
/// text per surface.
struct Surfaces {
    session_tile: String,
    search_tile: String,
    image_page: String,
    compare_card: String,
    review_page: String,
    api_image: Value,
    api_list_item: Value,
    api_rater_filter: Vec<i64>,
    export_row: Value,
}

async fn surfaces(
    app: &TestApp,
    browser: &Browser,
    user: &TestUser,
    session: i64,
    image: i64,
) -> Surfaces {
    let session_page = browser.get_text(&format!("/sessions/{session}")).await;
    let word = prompt_word(app, image);
    let search = browser
        .get_text(&format!("/search?q={word}&session={session}"))
        .await;
    let placeholder = sdreview::web::href::url_escape(&placeholder_of(app, session));
    let compare = browser
        .get_text(&format!(
            "/compare?session={session}&placeholder={placeholder}"
        ))
        .await;
    let compare_card = compare
        .split(&format!("id=\"image-{image}\""))
        .nth(1)
        .map(|card| card[..card.find("</article>").unwrap()].to_owned())
        .unwrap_or_default();
    // The review screen with the queue's own blind mode turned off, and the image first.
    let review_page = browser
        .get_text(&format!(
            "/review?session={session}&unrated=0&blind=0&at={image}"
        ))
        .await;
    let api = Api::new(app, user);
    let (status, api_image) = api.get(&format!("/api/images/{image}")).await;
    assert_eq!(status, 200, "{api_image}");
    let api_list_item = api
        .all(&format!("/api/images?session={session}"))
        .await
        .into_iter()
        .find(|item| item["id"] == image)
        .unwrap();
    let api_rater_filter = api
        .all(&format!("/api/images?session={session}&rater=maria"))
        .await
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect();
    let export = reqwest::Client::new()
        .get(format!(
            "{}/api/export/images?format=jsonl&session={session}",
            app.address
        ))
        .bearer_auth(&user.token)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    let export_row = export
        .text()
        .await
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|row| row["image_id"] == image)
        .unwrap();
    Surfaces {
        session_tile: tile(&session_page, image),
        search_tile: tile(&search, image),
        image_page: browser.get_text(&format!("/images/{image}")).await,
        compare_card,
        review_page,
        api_image,
        api_list_item,
        api_rater_filter,
        export_row,
    }
}

impl Surfaces {
    /// Nothing of maria's verdict anywhere.
    fn assert_blind(&self, image: i64) {
        for (surface, html) in [
            ("session page tile", &self.session_tile),
            ("search result tile", &self.search_tile),
            ("compare card", &self.compare_card),
        ] {
            assert!(
                !html.contains("class=\"counts\"") && !html.contains("cmp-counts"),
                "the {surface} shows others' verdicts: {html}"
            );
        }
        assert!(
            !self.image_page.contains("maria"),
            "the image page names maria"
        );
        assert!(!self.image_page.contains(NOTE));
        assert!(self.image_page.contains("hidden until you give yours"));
        assert!(
            !self.review_page.contains("maria") && !self.review_page.contains(NOTE),
            "review with blind=0 shows maria's verdict"
        );
        assert!(
            self.review_page
                .contains("Blind mode is on for the household")
        );
        for (surface, json) in [("detail", &self.api_image), ("list", &self.api_list_item)] {
            assert_eq!(
                json["raters"],
                serde_json::json!([]),
                "API {surface}: {json}"
            );
            assert_eq!(json["ko_count"], 0, "API {surface}: {json}");
            assert_eq!(json["like_count"], 0, "API {surface}");
            assert!(json["status"].is_null(), "API {surface}: {json}");
        }
        assert!(
            !self.api_rater_filter.contains(&image),
            "filtering by maria points at the image"
        );
        assert!(
            self.export_row["rater_maria_status"].is_null(),
            "{}",
            self.export_row
        );
        assert!(!self.export_row.to_string().contains(NOTE));
        assert_eq!(self.export_row["ko_count"], 0);
    }

    /// maria's verdict everywhere.
    fn assert_open(&self, image: i64) {
        for (surface, html) in [
            ("session page tile", &self.session_tile),
            ("search result tile", &self.search_tile),
        ] {
            assert!(
                html.contains("class=\"counts\"") && html.contains("KO for"),
                "the {surface} hides others' verdicts: {html}"
            );
        }
        assert!(
            self.compare_card.contains("cmp-counts"),
            "{}",
            self.compare_card
        );
        assert!(self.image_page.contains("maria"));
        assert!(self.image_page.contains(NOTE));
        assert!(self.review_page.contains("maria"));
        for json in [&self.api_image, &self.api_list_item] {
            assert!(json.to_string().contains("\"maria\""), "{json}");
            assert_eq!(json["ko_count"], 1);
        }
        assert!(self.api_rater_filter.contains(&image));
        assert_eq!(self.export_row["rater_maria_status"], "ko");
        assert_eq!(self.export_row["rater_maria_notes"], NOTE);
    }
}

#[tokio::test]
async fn a_reviewer_sees_no_other_verdict_anywhere_until_they_have_judged_the_image() {
    let app = TestApp::spawn().await;
    let maria = app.browser("maria", "reviewer").await;
    let ana_user = app.add_user("ana", "reviewer");
    let ana = app.sign_in(&ana_user).await;
    let (session, image) = judged_by_maria(&app, &maria).await;

    surfaces(&app, &ana, &ana_user, session, image)
        .await
        .assert_blind(image);

    let response = ana
        .post(&format!("/images/{image}/rating"), &[("action", "perfect")])
        .await;
    assert_eq!(response.status(), 200);
    let rated = response.text().await.unwrap();
    assert!(
        rated.contains("maria"),
        "the rating answer shows the others at once"
    );
    surfaces(&app, &ana, &ana_user, session, image)
        .await
        .assert_open(image);
}

#[tokio::test]
async fn an_admin_reviewing_blind_is_bound_as_any_reviewer() {
    let app = TestApp::spawn().await;
    let maria = app.browser("maria", "reviewer").await;
    let olga_user = app.add_user("olga", "admin");
    let olga = app.sign_in(&olga_user).await;
    let (session, image) = judged_by_maria(&app, &maria).await;
    surfaces(&app, &olga, &olga_user, session, image)
        .await
        .assert_blind(image);
}

#[tokio::test]
async fn with_blind_review_turned_off_on_the_admin_page_everyone_sees_every_verdict_at_once() {
    let app = TestApp::spawn().await;
    let maria = app.browser("maria", "reviewer").await;
    let ana_user = app.add_user("ana", "reviewer");
    let ana = app.sign_in(&ana_user).await;
    let olga = app.browser("olga", "admin").await;
    let (session, image) = judged_by_maria(&app, &maria).await;

    let admin = olga.get_text("/admin").await;
    assert!(admin.contains("Turn blind review off"), "on by default");
    // A plain form, as a browser without JavaScript sends it.
    let response = olga
        .post_form("/admin/blind-review", &[("blind", "off")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/admin");
    let admin = olga.get_text("/admin").await;
    assert!(
        admin.contains("Blind review is off"),
        "the page says what was done"
    );
    assert!(admin.contains("Turn blind review on"));

    surfaces(&app, &ana, &ana_user, session, image)
        .await
        .assert_open(image);

    let response = olga
        .post_form("/admin/blind-review", &[("blind", "on")])
        .await;
    assert_eq!(response.status(), 303);
    surfaces(&app, &ana, &ana_user, session, image)
        .await
        .assert_blind(image);
}

#[tokio::test]
async fn only_an_admin_turns_blind_review_off_and_only_to_on_or_off() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let olga = app.browser("olga", "admin").await;
    let refused = ana
        .post_form("/admin/blind-review", &[("blind", "off")])
        .await;
    assert_eq!(refused.status(), 403);
    let unknown = olga
        .post_form("/admin/blind-review", &[("blind", "maybe")])
        .await;
    assert_eq!(unknown.status(), 400);
    assert!(unknown.text().await.unwrap().contains("`on` or `off`"));
    let stored = app
        .lib
        .count("SELECT count(*) AS value FROM owner_settings WHERE name = 'blind_review'");
    assert_eq!(stored, 0, "nothing was stored: blind review is still on");
}

#[tokio::test]
async fn statistics_stay_totals_for_a_blind_reviewer() {
    let app = TestApp::spawn().await;
    let maria = app.browser("maria", "reviewer").await;
    let ana = app.add_user("ana", "reviewer");
    let vic = app.add_user("vic", "viewer");
    judged_by_maria(&app, &maria).await;
    let totals = |user: &TestUser| {
        let api = Api::new(&app, user);
        async move {
            let (status, report) = api.get("/api/analytics/stats?status=ko").await;
            assert_eq!(status, 200, "{report}");
            report["totals"].clone()
        }
    };
    let blind = totals(&ana).await;
    assert_eq!(blind["ko"], 1, "maria's KO counts: {blind}");
    assert_eq!(blind, totals(&vic).await, "the same figures as anyone's");
}

#[tokio::test]
async fn a_viewer_who_cannot_judge_sees_every_verdict() {
    let app = TestApp::spawn().await;
    let maria = app.browser("maria", "reviewer").await;
    let vic = app.add_user("vic", "viewer");
    let (_, image) = judged_by_maria(&app, &maria).await;
    let (status, json) = Api::new(&app, &vic)
        .get(&format!("/api/images/{image}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(json["raters"][0]["name"], "maria");
}
