//! What makes an image KO (`rule`): anyone's KO, a majority's, or every judgement counted
//! once; on images judged by one, two and three people, so the rules part ways and every
//! figure can be worked out by hand.

use sdreview::db::ids::ImageId;
use sdreview::domain::rating::RatingAction;

use super::stats::{api, close, images, ko, rate, user_id};
use crate::support::app::TestApp;

/// Ten images. One rater (ann): image 0 KO, 1, 2 and 9 OK. Two (ann, ben): 3 KO and OK (a
/// tie), 4 KO and KO, 5 OK and OK. Three (ann, ben, cat): 6 KO OK OK, 7 KO KO OK, 8 OK OK OK.
/// By hand:
/// - `any` (someone said KO): 0, 3, 4, 6, 7: 5 of 10 images;
/// - `majority` (more than half said KO; the tie 3 is not): 0, 4, 7: 3 of 10 images;
/// - `each` (judgements): 4 + 2·3 + 3·3 = 19 judgements, of which 1 + 3 + 3 = 7 KO;
/// - coverage: 19 judgements on 10 images, 1.9 raters per image.
pub(crate) fn one_two_and_three_raters(app: &TestApp) -> Vec<ImageId> {
    for name in ["ann", "ben", "cat"] {
        app.add_user(name, "reviewer");
    }
    let (ann, ben, cat) = (
        user_id(app, "ann"),
        user_id(app, "ben"),
        user_id(app, "cat"),
    );
    let ids = images(app, 10);
    let at = |list: &[usize]| list.iter().map(|&i| ids[i]).collect::<Vec<_>>();
    rate(app, ann, &at(&[0, 3, 4, 6, 7]), &ko("noise"));
    rate(app, ann, &at(&[1, 2, 5, 8, 9]), &RatingAction::Ok);
    rate(app, ben, &at(&[4, 7]), &ko("malformed"));
    rate(app, ben, &at(&[3, 5, 6, 8]), &RatingAction::Ok);
    rate(app, cat, &at(&[6, 7, 8]), &RatingAction::Ok);
    ids
}

#[tokio::test]
async fn each_rule_gives_the_rate_worked_out_by_hand_with_its_coverage() {
    let app = TestApp::spawn().await;
    one_two_and_three_raters(&app);
    let viewer = app.add_user("vic", "viewer");

    let (status, any) = api(&app, &viewer, "").await;
    assert_eq!(status, 200, "{any}");
    assert_eq!(any["rule"], "any", "the default rule");
    let totals = &any["totals"];
    assert_eq!(
        (&totals["judged"], &totals["counted"], &totals["ko"]),
        (&10.into(), &10.into(), &5.into())
    );
    assert!(close(&totals["ko_rate"]["rate"], 0.5));
    assert_eq!(totals["judgements"], 19);
    assert!(close(&totals["raters_per_image"], 1.9), "{totals}");

    // Asked after `any`: the rule is part of the cache key, or this would be any's figures.
    let (_, majority) = api(&app, &viewer, "rule=majority").await;
    assert_eq!(majority["rule"], "majority");
    assert_eq!(majority["query"], "rule=majority");
    let totals = &majority["totals"];
    assert_eq!((&totals["counted"], &totals["ko"]), (&10.into(), &3.into()));
    assert!(close(&totals["ko_rate"]["rate"], 0.3), "{totals}");
    // Wilson 95 % for 3 of 10: 10.78 % to 60.32 %.
    assert!(close(&totals["ko_rate"]["low"], 0.1078), "{totals}");
    assert!(close(&totals["ko_rate"]["high"], 0.6032), "{totals}");

    let (_, each) = api(&app, &viewer, "rule=each").await;
    let totals = &each["totals"];
    assert_eq!(
        (&totals["judged"], &totals["counted"], &totals["ko"]),
        (&10.into(), &19.into(), &7.into())
    );
    assert!(close(&totals["ko_rate"]["rate"], 7.0 / 19.0), "{totals}");
    let counted: u64 = each["by_model"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["counted"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, 19, "every judgement in exactly one model");
    // The categories follow the rule too: noise is ann's 5 KO judgements out of 19.
    let noise = each["ko_by_category"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "noise")
        .unwrap();
    assert_eq!(noise["images"], 5);
    assert!(close(&noise["rate"]["rate"], 5.0 / 19.0), "{noise}");

    let stored = app
        .lib
        .count("SELECT count(*) AS value FROM analytics_cache");
    assert_eq!(stored, 3, "one cached report per rule");

    let (status, refused) = api(&app, &viewer, "rule=most").await;
    assert_eq!(status, 400, "{refused}");
    assert_eq!(refused["field"], "rule");
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("any, majority or each")
    );
}

#[tokio::test]
async fn the_page_offers_the_rule_and_names_it_with_the_coverage_beside_each_rate() {
    let app = TestApp::spawn().await;
    one_two_and_three_raters(&app);
    let viewer = app.browser("vic", "viewer").await;
    let page = viewer.get_text("/stats?rule=majority").await;
    assert!(
        page.contains(r#"<select name="rule""#),
        "a control in the form"
    );
    assert!(
        page.contains(r#"<option value="majority" selected>"#),
        "showing the rule asked for"
    );
    assert!(
        page.contains("KO 3 of 10 judged images"),
        "the headline rate"
    );
    assert!(page.contains("1.9 raters per image"), "coverage beside it");
    let bars = page.matches(r#"<span class="bar-detail"#).count();
    assert!(bars > 3);
    assert!(
        page.matches(" · rule: majority · ").count() > bars,
        "each bar names its rule, and so does the headline"
    );
    assert!(!page.contains("rule: any"));
    let each = viewer.get_text("/stats?rule=each").await;
    assert!(
        each.contains("KO 7 of 19 judgements"),
        "each judgement once"
    );
    let any = viewer.get_text("/stats").await;
    assert!(any.contains("KO 5 of 10 judged images"));
    assert!(any.contains(r#"<option value="any" selected>"#));
}

#[tokio::test]
async fn an_export_under_a_rule_writes_that_rules_verdict_in_its_status_column() {
    let app = TestApp::spawn().await;
    let ids = one_two_and_three_raters(&app);
    let viewer = app.add_user("vic", "viewer");
    let status_of = |body: &str| -> Vec<(i64, String)> {
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        let at = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "status")
            .unwrap();
        reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[0].parse().unwrap(), r[at].to_owned())
            })
            .collect()
    };
    let export = |query: &'static str| {
        let (address, token) = (app.address.clone(), viewer.token.clone());
        async move {
            reqwest::Client::new()
                .get(format!("{address}/api/export/images?format=csv&{query}"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
        }
    };
    let wanted = |rows: Vec<(i64, String)>| -> Vec<String> {
        ids.iter()
            .map(|id| {
                rows.iter()
                    .find(|(at, _)| *at == i64::from(id.0))
                    .unwrap()
                    .1
                    .clone()
            })
            .collect()
    };
    // As today without a rule: raters who disagree are `split`.
    let plain = wanted(status_of(&export("").await.text().await.unwrap()));
    assert_eq!(plain[3], "split");
    let any = wanted(status_of(&export("rule=any").await.text().await.unwrap()));
    assert_eq!(
        any,
        ["ko", "ok", "ok", "ko", "ko", "ok", "ko", "ko", "ok", "ok"]
    );
    let majority = wanted(status_of(
        &export("rule=majority").await.text().await.unwrap(),
    ));
    assert_eq!(
        majority,
        ["ko", "ok", "ok", "ok", "ko", "ok", "ok", "ko", "ok", "ok"],
        "a tie is not a majority"
    );
    let each = export("rule=each").await;
    assert_eq!(each.status(), 400, "an image has no verdict per judgement");
    let error: serde_json::Value = each.json().await.unwrap();
    assert_eq!(error["field"], "rule");
}
