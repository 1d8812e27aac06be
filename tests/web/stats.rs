//! The statistics page and `GET /api/analytics/stats` on judgements crafted so that every
//! figure is known by hand: rates and intervals, a failing pair, agreement between two raters.

use reqwest::StatusCode;
use sdreview::db::ids::{ImageId, UserId};
use sdreview::db::judgements;
use sdreview::domain::rating::RatingAction;
use serde_json::Value;

use crate::support::app::{TestApp, TestUser};

pub(crate) fn user_id(app: &TestApp, name: &str) -> UserId {
    UserId(app.lib.count(&format!(
        "SELECT id AS value FROM users WHERE name = '{name}'"
    )) as i32)
}

/// The first `n` readable images, in id order.
pub(crate) fn images(app: &TestApp, n: usize) -> Vec<ImageId> {
    (0..n)
        .map(|at| {
            ImageId(app.lib.count(&format!(
                "SELECT id AS value FROM images WHERE broken IS NULL AND on_disk AND NOT is_deleted
                 ORDER BY id LIMIT 1 OFFSET {at}"
            )) as i32)
        })
        .collect()
}

pub(crate) fn rate(app: &TestApp, user: UserId, ids: &[ImageId], action: &RatingAction) {
    let mut conn = app.lib.pool().get().unwrap();
    judgements::rate(
        &mut conn,
        sdreview::db::caller::Caller::new(user, sdreview::domain::role::Role::Reviewer),
        ids,
        action,
        judgements::Mode::Set,
    )
    .unwrap();
}

pub(crate) fn ko(category: &str) -> RatingAction {
    RatingAction::Ko {
        category: category.into(),
        notes: None,
    }
}

pub(crate) async fn api(app: &TestApp, user: &TestUser, query: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .get(format!("{}/api/analytics/stats?{query}", app.address))
        .bearer_auth(&user.token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

pub(crate) fn close(value: &Value, expected: f64) -> bool {
    (value.as_f64().unwrap() - expected).abs() < 1e-4
}

/// Ten images both ann and ben judged: ann OK on the first five, KO on the rest; ben agrees on
/// 4 of ann's OK and 3 of her KO. The 2x2 table [[4, 1], [2, 3]] gives p_o = 0.7, p_e = 0.5,
/// Cohen's kappa 0.4; Fleiss' kappa (2 raters each) (0.7 - 0.505) / 0.495 = 0.39394;
/// Krippendorff's alpha 1 - 19 * 6 / (400 - 121 - 81) = 0.42424.
fn two_raters(app: &TestApp) -> Vec<ImageId> {
    app.add_user("ann", "reviewer");
    app.add_user("ben", "reviewer");
    let (ann, ben) = (user_id(app, "ann"), user_id(app, "ben"));
    let ids = images(app, 10);
    rate(app, ann, &ids[..5], &RatingAction::Ok);
    rate(app, ann, &ids[5..], &ko("noise"));
    rate(app, ben, &ids[..4], &RatingAction::Ok);
    rate(app, ben, &ids[4..5], &ko("malformed"));
    rate(app, ben, &ids[5..7], &RatingAction::Ok);
    rate(app, ben, &ids[7..], &ko("noise"));
    ids
}

#[tokio::test]
async fn the_api_gives_rates_with_wilson_intervals_and_agreement_known_by_hand() {
    let app = TestApp::spawn().await;
    two_raters(&app);
    let viewer = app.add_user("vic", "viewer");
    let (status, report) = api(&app, &viewer, "").await;
    assert_eq!(status, 200, "{report}");
    let totals = &report["totals"];
    // Ten judged images; KO when any rater said KO: images 5 to 10, and ben's KO of image 5.
    assert_eq!(totals["judged"], 10);
    assert_eq!(totals["ko"], 6);
    // Wilson 95 % for 6 of 10: 0.3127 to 0.8318.
    assert!(close(&totals["ko_rate"]["rate"], 0.6));
    assert!(
        close(&totals["ko_rate"]["low"], 0.3127),
        "{}",
        totals["ko_rate"]
    );
    assert!(
        close(&totals["ko_rate"]["high"], 0.8318),
        "{}",
        totals["ko_rate"]
    );
    let noise = report["ko_by_category"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "noise")
        .unwrap();
    assert_eq!(noise["images"], 5);
    let agreement = &report["raters"]["agreement"];
    assert_eq!(agreement["images"], 10);
    assert!(
        close(&agreement["alpha"], 1.0 - 19.0 * 6.0 / 198.0),
        "{agreement}"
    );
    assert!(
        close(&agreement["fleiss_kappa"], 0.195 / 0.495),
        "{agreement}"
    );
    assert_eq!(agreement["fleiss_raters"], 2);
    let pair = &agreement["pairs"][0];
    assert_eq!(
        (&pair["first"], &pair["second"]),
        (&"ann".into(), &"ben".into())
    );
    assert_eq!(
        (pair["shared"].as_u64(), pair["disagreements"].as_u64()),
        (Some(10), Some(3))
    );
    assert!(close(&pair["cohen_kappa"], 0.4), "{pair}");
    let people = report["raters"]["people"].as_array().unwrap();
    assert_eq!(people.len(), 2);
    assert_eq!(people[0]["judgements"], 10);
    let per_model: u64 = report["by_model"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["judged"].as_u64().unwrap())
        .sum();
    assert_eq!(per_model, 10, "every judged image in exactly one model");
}

#[tokio::test]
async fn a_pair_that_fails_together_stands_out_and_a_lucky_small_one_does_not() {
    let app = TestApp::spawn().await;
    app.add_user("ann", "reviewer");
    let ann = user_id(&app, "ann");
    let ids = images(&app, 126);
    // Four combinations of two made-up placeholders, 30 images each. Light=dusk with Pose=sitting
    // fails 27 times in 30; every other combination 3 times in 30. Six more images carry
    // Prop=umbrella, all KO: a perfect rate on too few images to mean anything.
    app.lib.execute(
        "INSERT INTO variations (placeholder, value) VALUES
           ('Light', 'dusk'), ('Light', 'noon'), ('Pose', 'sitting'), ('Pose', 'standing'),
           ('Prop', 'umbrella');",
    );
    let variation = |placeholder: &str, value: &str| {
        app.lib.count(&format!(
            "SELECT id AS value FROM variations WHERE placeholder = '{placeholder}' AND value = '{value}'"
        ))
    };
    let combos = [
        ("dusk", "sitting"),
        ("dusk", "standing"),
        ("noon", "sitting"),
        ("noon", "standing"),
    ];
    let mut failing = Vec::new();
    let mut passing = Vec::new();
    for (at, (light, pose)) in combos.iter().enumerate() {
        let block = &ids[at * 30..at * 30 + 30];
        for image in block {
            app.lib.execute(&format!(
                "INSERT INTO image_variations (image_id, variation_id) VALUES ({0}, {1}), ({0}, {2})",
                image.0,
                variation("Light", light),
                variation("Pose", pose)
            ));
        }
        let kos = if at == 0 { 27 } else { 3 };
        failing.extend_from_slice(&block[..kos]);
        passing.extend_from_slice(&block[kos..]);
    }
    for image in &ids[120..126] {
        app.lib.execute(&format!(
            "INSERT INTO image_variations (image_id, variation_id) VALUES ({}, {})",
            image.0,
            variation("Prop", "umbrella")
        ));
    }
    failing.extend_from_slice(&ids[120..126]);
    rate(&app, ann, &failing, &ko("malformed"));
    rate(&app, ann, &passing, &RatingAction::Ok);

    let viewer = app.add_user("vic", "viewer");
    let (status, report) = api(&app, &viewer, "").await;
    assert_eq!(status, 200, "{report}");
    let pairs = &report["failing_pairs"];
    let top = &pairs["pairs"][0];
    assert_eq!(top["pattern"], "Light=dusk + Pose=sitting", "{pairs}");
    assert_eq!(top["sample_count"], 30);
    assert!(close(&top["failure_rate"], 0.9));
    assert!(close(&top["expected_rate"], 0.1));
    assert_eq!(top["common_category"], "malformed");
    assert!(top["q_value"].as_f64().unwrap() < 1e-6, "{top}");
    let shrunk = top["shrunk_rate"].as_f64().unwrap();
    assert!(
        shrunk < 0.9 && shrunk > 0.5,
        "pulled towards the rest: {shrunk}"
    );
    assert!(
        !pairs["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["pattern"].as_str().unwrap().contains("Light=noon")),
        "no other combination stands out: {pairs}"
    );
    // The owner's knobs: a threshold above 90 % leaves nothing; six images are not enough.
    let (_, strict) = api(&app, &viewer, "failure_threshold=0.95").await;
    assert!(
        strict["failing_pairs"]["pairs"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(strict["failing_pairs"]["significant"].as_u64().unwrap() >= 1);
    // Placeholder values: the umbrella (6 of 6 KO) ranks below dusk (27 + 3 of 60), whose
    // interval is narrower: worst first by the top of the success rate's interval.
    let light = report["placeholders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["placeholder"] == "Light")
        .unwrap();
    assert_eq!(light["values"][0]["value"], "dusk");
    assert_eq!(light["values"][0]["judged"], 60);
    assert_eq!(light["values"][0]["ko"], 30);
}

#[tokio::test]
async fn figures_follow_a_gallery_filter_and_bad_parameters_are_json_errors_naming_them() {
    let app = TestApp::spawn().await;
    let ids = two_raters(&app);
    let viewer = app.add_user("vic", "viewer");
    // Images someone called OK: ann's first five and ben's 6th and 7th; KO among them, the
    // 5th (ben) and the 6th and 7th (ann).
    let (_, called_ok) = api(&app, &viewer, "status=ok&rater=ben").await;
    assert_eq!(called_ok["totals"]["images"], 7, "{}", called_ok["totals"]);
    assert_eq!(called_ok["totals"]["ko"], 3);
    assert_eq!(called_ok["query"], "status=ok&rater=ben");
    let session = app.lib.count(&format!(
        "SELECT session_id AS value FROM images WHERE id = {}",
        ids[0].0
    ));
    let (_, one_session) = api(&app, &viewer, &format!("session={session}")).await;
    let in_session = app.lib.count(&format!(
        "SELECT count(*) AS value FROM images WHERE session_id = {session} AND on_disk AND NOT is_deleted"
    ));
    assert_eq!(one_session["totals"]["images"], in_session);

    let (status, error) = api(&app, &viewer, "failure_threshold=70").await;
    assert_eq!(status, 400);
    assert_eq!(error["field"], "failure_threshold");
    assert!(error["error"].as_str().unwrap().contains("from 0 to 1"));
    let (status, error) = api(&app, &viewer, "model=no-such-model").await;
    assert_eq!(status, 422);
    assert_eq!(error["field"], "model");
    assert!(!error["valid"].as_array().unwrap().is_empty(), "{error}");
    let (status, error) = api(&app, &viewer, "category=bent").await;
    assert_eq!(status, 422);
    assert!(error["valid"].as_array().unwrap().contains(&"noise".into()));
    let (status, error) = api(&app, &viewer, "deleted=1").await;
    assert_eq!(status, 403, "the trash is for admins: {error}");
    let unsigned = reqwest::get(format!("{}/api/analytics/stats", app.address))
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
}

#[tokio::test]
async fn a_rating_changes_the_figures_at_once_and_otherwise_they_come_from_the_cache() {
    let app = TestApp::spawn().await;
    let ids = two_raters(&app);
    let viewer = app.add_user("vic", "viewer");
    let (_, first) = api(&app, &viewer, "").await;
    let (_, again) = api(&app, &viewer, "").await;
    assert_eq!(
        first["computed_at"], again["computed_at"],
        "served from the cache"
    );
    let stored = app
        .lib
        .count("SELECT count(*) AS value FROM analytics_cache");
    assert_eq!(stored, 1);

    let carl = app.browser("carl", "reviewer").await;
    let fresh = images(&app, 11)[10];
    assert!(!ids.contains(&fresh));
    let response = carl
        .post(
            &format!("/images/{}/rating", fresh.0),
            &[("action", "ko"), ("category", "incomplete")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let (_, after) = api(&app, &viewer, "").await;
    assert_eq!(after["totals"]["ko"], 7);
    assert_eq!(after["totals"]["judged"], 11);
    assert_ne!(first["computed_at"], after["computed_at"]);
}

#[tokio::test]
async fn the_page_draws_each_figure_as_a_link_to_its_images() {
    let app = TestApp::spawn().await;
    two_raters(&app);
    let viewer = app.browser("vic", "viewer").await;
    let page = viewer.get_text("/stats").await;
    assert!(page.contains("<h1>Statistics</h1>"));
    assert!(
        page.contains(r#"aria-current="page">Stat"#),
        "the header marks where we are"
    );
    assert!(page.contains("<svg class=\"bar\""), "bars drawn inline");
    assert!(
        page.contains("/search?status=ko&#38;category=noise"),
        "a category's KO images"
    );
    let link = page
        .split("href=\"")
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .find(|href| href.contains("disagree=ann%2Cben"))
        .expect("a link to ann's and ben's disagreements");
    let gallery = viewer.get_text(&link.replace("&#38;", "&")).await;
    assert!(
        gallery.contains("3 images"),
        "ann and ben disagree on 3 images"
    );
    let model = app
        .lib
        .text(
            "SELECT s.model_name AS value FROM images i JOIN sessions s ON s.id = i.session_id
               WHERE i.ok_count + i.ko_count > 0 AND s.model_name IS NOT NULL LIMIT 1",
        )
        .unwrap();
    let restricted = viewer
        .get_text(&format!(
            "/stats?model={}",
            sdreview::web::href::url_escape(&model)
        ))
        .await;
    assert!(
        restricted.contains(&format!("model <strong>{model}</strong>"))
            || restricted.contains(&format!("value=\"{model}\""))
    );

    let bad = viewer.get("/stats?min_occurrences=none").await;
    assert_eq!(bad.status(), 400);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("`min_occurrences` is a whole number")
    );
}

/// The page's figures are drawn and compressed once per report, then only put together with
/// each viewer's header: what arrives must be the same page, compressed or not, with that
/// viewer's name in it, and new figures after a rating.
#[tokio::test]
async fn the_page_drawn_once_is_the_same_page_for_each_viewer_compressed_or_not() {
    use std::io::Read;

    let app = TestApp::spawn().await;
    two_raters(&app);
    let vic = app.browser("vic", "viewer").await;
    let rae = app.browser("rae", "reviewer").await;
    let gzipped = |browser: &crate::support::app::Browser| {
        browser
            .client
            .get(format!("{}/stats", browser.base))
            .header("Accept-Encoding", "gzip")
            .send()
    };
    let plain = vic.get_text("/stats").await;
    let response = gzipped(&vic).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let bytes = response.bytes().await.unwrap();
    let mut unzipped = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, plain, "the same page, compressed");
    assert!(bytes.len() < plain.len() / 3, "and much smaller");

    let theirs = rae.get_text("/stats").await;
    assert!(theirs.contains(">rae</a>") && !theirs.contains(">vic</a>"));
    let figures = |page: &str| page[page.find("<details class=\"filters\"").unwrap()..].to_owned();
    assert_eq!(figures(&theirs), figures(&plain), "the same figures");

    let fresh = images(&app, 11)[10];
    let response = rae
        .post(
            &format!("/images/{}/rating", fresh.0),
            &[("action", "ko"), ("category", "incomplete")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let after = vic.get_text("/stats").await;
    assert_ne!(
        figures(&after),
        figures(&plain),
        "a rating draws them again"
    );
}

#[tokio::test]
async fn the_page_counts_in_the_singular_and_says_what_agreement_figures_mean() {
    let app = TestApp::spawn().await;
    two_raters(&app);
    let viewer = app.browser("vic", "viewer").await;
    let page = viewer.get_text("/stats").await;
    assert!(
        page.contains("10 judgements on 1 day<"),
        "one day, not \"1 days\""
    );
    assert!(!page.contains(" 1 days"));
    // alpha = 0.42424: disagreements are 1 - 0.42424 = 58 % of what chance gives.
    assert!(
        page.contains("the raters disagree 58 % as often as chance alone would make them"),
        "alpha in words"
    );
    // Cohen's kappa 0.4 for ann and ben.
    assert!(
        page.contains(
            "ann and ben agree 40 % of the way from what chance alone gives (0) to always (1)"
        ),
        "kappa in words"
    );
}
