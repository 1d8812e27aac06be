//! The figures grouped by prompt template (issue 19): one group per template text, the
//! sessions without one under "no template recorded", on the page (a card, each row the start
//! of its template), as CSV (`table=by_template`) and in the API's JSON (`by_template`).

use sdreview::db::ids::ImageId;
use sdreview::domain::rating::RatingAction;
use serde_json::Value;

use super::stats::{api, ko, rate, user_id};
use crate::support::app::TestApp;

/// A template longer than a row's label, on two lines, as manifests write them.
const PORTRAIT: &str = "A portrait of {Subject} in soft window light, film grain, \
                        85mm lens, shallow depth of field,\nhighly detailed, {Mood}";

/// The first `n` readable images of a session.
fn images_of(app: &TestApp, session: i64, n: usize) -> Vec<ImageId> {
    (0..n)
        .map(|at| {
            ImageId(app.lib.count(&format!(
                "SELECT id AS value FROM images WHERE session_id = {session} AND broken IS NULL
                 AND on_disk AND NOT is_deleted ORDER BY id LIMIT 1 OFFSET {at}"
            )) as i32)
        })
        .collect()
}

/// Three live sessions with at least two readable images: the first two with `PORTRAIT`,
/// the third with no template; the rest of the library with another one. Ann judges two
/// images of each: the portraits 1 KO of 2 and 2 of 2, the one without a template 1 of 2.
fn plant(app: &TestApp) {
    let session = |at: usize| {
        app.lib.count(&format!(
            "SELECT s.id AS value FROM sessions s WHERE NOT s.is_deleted
               AND (SELECT count(*) FROM images i WHERE i.session_id = s.id AND i.broken IS NULL
                    AND i.on_disk AND NOT i.is_deleted) >= 2
             ORDER BY s.id LIMIT 1 OFFSET {at}"
        ))
    };
    let (first, second, none) = (session(0), session(1), session(2));
    app.lib.execute(&format!(
        "UPDATE sessions SET template_name = 'A landscape of {{Place}}';
         UPDATE sessions SET template_name = '{}' WHERE id IN ({first}, {second});
         UPDATE sessions SET template_name = NULL WHERE id = {none};",
        PORTRAIT.replace('\'', "''")
    ));
    app.add_user("ann", "reviewer");
    let ann = user_id(app, "ann");
    let (a, b, c) = (
        images_of(app, first, 2),
        images_of(app, second, 2),
        images_of(app, none, 2),
    );
    rate(app, ann, &a[..1], &ko("noise"));
    rate(app, ann, &a[1..], &RatingAction::Ok);
    rate(app, ann, &b, &ko("malformed"));
    rate(app, ann, &c[..1], &ko("noise"));
    rate(app, ann, &c[1..], &RatingAction::Ok);
}

fn group<'a>(groups: &'a Value, key: &str) -> &'a Value {
    groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == key)
        .unwrap_or_else(|| panic!("a group {key:?} in {groups}"))
}

#[tokio::test]
async fn the_figures_are_grouped_by_template_on_the_page_as_csv_and_in_the_api() {
    let app = TestApp::spawn().await;
    plant(&app);
    let viewer = app.add_user("vic", "viewer");

    let (status, report) = api(&app, &viewer, "").await;
    assert_eq!(status, 200, "{report}");
    let templates = &report["by_template"];
    let portrait = group(templates, PORTRAIT);
    assert_eq!(portrait["name"], PORTRAIT, "the whole text in the data");
    assert_eq!(
        (&portrait["sessions"], &portrait["judged"], &portrait["ko"]),
        (&2.into(), &4.into(), &3.into())
    );
    let none = group(templates, "(none)");
    assert_eq!(none["name"], "no template recorded");
    assert_eq!(
        (&none["sessions"], &none["judged"], &none["ko"]),
        (&1.into(), &2.into(), &1.into())
    );
    let judged: u64 = templates
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["judged"].as_u64().unwrap())
        .sum();
    assert_eq!(judged, 6, "every judged image in exactly one template");
    let per_model: u64 = report["by_model"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["judged"].as_u64().unwrap())
        .sum();
    assert_eq!(per_model, 6, "the models' figures are the same as before");

    let browser = app.browser("rae", "reviewer").await;
    let csv = browser.get("/stats?format=csv&table=by_template").await;
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().take(3).collect::<Vec<_>>(),
        ["key", "name", "sessions"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let row = |key: &str| rows.iter().find(|r| &r[0] == key).unwrap();
    assert_eq!(&row(PORTRAIT)[1], PORTRAIT);
    assert_eq!(&row("(none)")[1], "no template recorded");
    let api_csv = reqwest::Client::new()
        .get(format!(
            "{}/api/analytics/stats?format=csv&table=by_template",
            app.address
        ))
        .bearer_auth(&viewer.token)
        .send()
        .await
        .unwrap();
    assert_eq!(api_csv.status(), 200);
    assert_eq!(
        api_csv.text().await.unwrap(),
        text,
        "the API's CSV is the page's"
    );

    let page = browser.get_text("/stats").await;
    let card = &page[page.find("id=\"template\"").expect("a By template card")..];
    let card = &card[..card.find("</section>").unwrap()];
    assert!(card.contains("By template"), "{card}");
    assert!(card.contains("format=csv&#38;table=by_template"), "{card}");
    assert!(card.contains(">no template recorded</a>"), "{card}");
    assert!(
        card.contains(">A portrait of {Subject} in soft window light, film grain, 85mm lens…</a>"),
        "the row shows the start of the template on one line: {card}"
    );
    assert!(
        card.contains("template=%28none%29"),
        "the row without a template leads to those sessions' images: {card}"
    );
    let gallery = browser.get("/search?template=%28none%29").await;
    assert_eq!(gallery.status(), 200);
}
