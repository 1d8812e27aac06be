//! Every table of the statistics page downloads as CSV (`?format=csv&table=NAME`, on the page
//! and the API alike), with a known row each; and schedulers or samplers spelt in two cases
//! are one row of the figures while the export keeps how each session spelt it.

use reqwest::StatusCode;
use sdreview::domain::rating::RatingAction;

use super::stats::{images, rate, user_id};
use crate::support::app::{Browser, TestApp};
use crate::support::planted_pairs::{MODEL, plant as plant_pairs};

/// The CSV `table` answers: its header and its rows.
async fn csv_table(browser: &Browser, query: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let response = browser.get(&format!("/stats?{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"),
        "{query}"
    );
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.contains("attachment"), "{disposition}");
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// The row whose first cells are `start`.
fn row<'a>(rows: &'a [Vec<String>], start: &[&str]) -> &'a Vec<String> {
    rows.iter()
        .find(|r| r.iter().zip(start).all(|(cell, want)| cell == want))
        .unwrap_or_else(|| panic!("a row starting {start:?} in {rows:?}"))
}

fn near(text: &str, expected: f64) -> bool {
    (text.parse::<f64>().unwrap() - expected).abs() < 1e-9
}

fn cell<'a>(header: &[String], row: &'a [String], column: &str) -> &'a str {
    let at = header
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("a column {column} in {header:?}"));
    &row[at]
}

#[tokio::test]
async fn every_table_downloads_as_csv_with_its_header_and_a_known_row() {
    let app = TestApp::spawn().await;
    let ids = plant_pairs(&app);
    app.add_user("ben", "reviewer");
    // ben calls OK three images ann called KO: three disagreements.
    rate(&app, user_id(&app, "ben"), &ids[..3], &RatingAction::Ok);
    let session = app.lib.count(&format!(
        "SELECT session_id AS value FROM images WHERE id = {}",
        ids[0].0
    ));
    app.lib.execute(&format!(
        "INSERT INTO session_tags (session_id, tag) VALUES ({session}, 'night')"
    ));
    let in_session = app.lib.count(&format!(
        "SELECT count(*) AS value FROM images WHERE session_id = {session} AND id IN ({})",
        ids.iter()
            .map(|i| i.0.to_string())
            .collect::<Vec<_>>()
            .join(",")
    ));
    let browser = app.browser("rae", "reviewer").await;
    let page = browser.get_text("/stats").await;

    let tables = [
        "totals",
        "ko_by_category",
        "by_model",
        "by_sampler",
        "by_scheduler",
        "by_tag",
        "by_week",
        "by_session",
        "placeholders",
        "tested_pairs",
        "pair_grid",
        "raters",
        "rater_activity",
        "rater_pairs",
    ];
    for table in tables {
        assert!(
            page.contains(&format!("format=csv&#38;table={table}\"")),
            "the page links the {table} download"
        );
    }

    let (h, rows) = csv_table(&browser, "format=csv&table=totals").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        h[..6],
        [
            "rule",
            "judged",
            "judgements",
            "raters_per_image",
            "counted",
            "ko"
        ]
    );
    assert_eq!(rows[0][..3], ["any", "241", "244"]);
    assert!(near(&rows[0][3], 244.0 / 241.0));
    assert_eq!(rows[0][4..6], ["241", "84"]);

    let (h, rows) = csv_table(&browser, "format=csv&table=ko_by_category").await;
    assert_eq!(h[..4], ["category", "label", "rule", "ko"]);
    assert_eq!(cell(&h, row(&rows, &["malformed"]), "ko"), "84");

    let group_header = [
        "key",
        "name",
        "sessions",
        "images",
        "rated",
        "liked",
        "judged",
        "judgements",
        "raters_per_image",
        "rule",
        "counted",
        "ko",
        "ko_rate",
        "ko_low",
        "ko_high",
    ];
    let (h, rows) = csv_table(&browser, "format=csv&table=by_model").await;
    assert_eq!(h, group_header);
    let planted = row(&rows, &[MODEL]);
    assert_eq!(
        (cell(&h, planted, "judged"), cell(&h, planted, "ko")),
        ("241", "84")
    );
    assert!(near(cell(&h, planted, "ko_rate"), 84.0 / 241.0));
    for table in ["by_sampler", "by_scheduler", "by_week"] {
        let (h, rows) = csv_table(&browser, &format!("format=csv&table={table}")).await;
        assert_eq!(h, group_header, "{table}");
        let judged: u64 = rows
            .iter()
            .map(|r| cell(&h, r, "judged").parse::<u64>().unwrap())
            .sum();
        assert_eq!(judged, 241, "{table}: each judged image once");
    }
    let (h, rows) = csv_table(&browser, "format=csv&table=by_tag").await;
    assert_eq!(
        cell(&h, row(&rows, &["night"]), "judged"),
        in_session.to_string()
    );
    let (h, rows) = csv_table(&browser, "format=csv&table=by_session").await;
    assert_eq!(
        cell(&h, row(&rows, &[&session.to_string()]), "judged"),
        in_session.to_string()
    );

    let (h, rows) = csv_table(&browser, "format=csv&table=placeholders").await;
    assert_eq!(h[..3], ["placeholder", "value", "images"]);
    let dusk = row(&rows, &["Light", "dusk"]);
    assert_eq!(
        (cell(&h, dusk, "counted"), cell(&h, dusk, "ko")),
        ("61", "30")
    );
    assert!(near(cell(&h, dusk, "success_rate"), 31.0 / 61.0));

    let (h, rows) = csv_table(&browser, "format=csv&table=tested_pairs").await;
    assert_eq!(h[0], "pattern");
    let planted = row(&rows, &["Light=dusk + Pose=sitting"]);
    assert_eq!(
        (
            cell(&h, planted, "n"),
            cell(&h, planted, "ko"),
            cell(&h, planted, "significant")
        ),
        ("13", "10", "false")
    );

    let (h, rows) = csv_table(&browser, "format=csv&table=pair_grid").await;
    assert_eq!(h[..2], ["placeholder", "value"]);
    let dusk = row(&rows, &["Light", "dusk"]);
    assert_eq!(cell(&h, dusk, &format!("{MODEL} n")), "61");
    assert_eq!(cell(&h, dusk, &format!("{MODEL} ko")), "30");

    let (h, rows) = csv_table(&browser, "format=csv&table=raters").await;
    assert_eq!(h[..3], ["name", "judgements", "days_active"]);
    assert_eq!(row(&rows, &["ann"])[1], "241");
    let (h, rows) = csv_table(&browser, "format=csv&table=rater_activity").await;
    assert_eq!(h, ["name", "day", "judgements"]);
    assert_eq!(row(&rows, &["ben"])[2], "3");
    let (h, rows) = csv_table(&browser, "format=csv&table=rater_pairs").await;
    assert_eq!(
        h,
        ["first", "second", "shared", "disagreements", "cohen_kappa"]
    );
    assert_eq!(row(&rows, &["ann", "ben"])[2..4], ["3", "3"]);

    // The API takes the same; a CSV needs a table, and says which exist.
    let viewer = app.add_user("vic", "viewer");
    let response = reqwest::Client::new()
        .get(format!(
            "{}/api/analytics/stats?format=csv&table=by_model&rule=majority",
            app.address
        ))
        .bearer_auth(&viewer.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(text.contains(",majority,"), "{text}");
    let missing = browser.get("/stats?format=csv").await;
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    assert!(missing.text().await.unwrap().contains("tested_pairs"));
    let json = browser.get("/stats?format=json").await;
    assert_eq!(json.status(), 200);
    let report: serde_json::Value = json.json().await.unwrap();
    assert_eq!(report["totals"]["judged"], 241);
}

#[tokio::test]
async fn a_scheduler_spelt_in_two_cases_is_one_row_and_the_export_keeps_each_spelling() {
    let app = TestApp::spawn().await;
    let sessions = app
        .lib
        .count("SELECT count(*) AS value FROM sessions WHERE NOT is_deleted");
    app.lib.execute(
        "UPDATE sessions SET scheduler = CASE WHEN id % 2 = 0 THEN 'karras' ELSE 'Karras' END,
                             sampler = CASE WHEN id % 2 = 0 THEN 'euler' ELSE 'Euler' END",
    );
    app.add_user("ann", "reviewer");
    let ann = user_id(&app, "ann");
    rate(&app, ann, &images(&app, 20), &RatingAction::Ok);
    let viewer = app.add_user("vic", "viewer");
    let (_, report) = super::stats::api(&app, &viewer, "").await;
    for field in ["by_scheduler", "by_sampler"] {
        let groups = report[field].as_array().unwrap();
        assert_eq!(groups.len(), 1, "one group whatever the case: {groups:?}");
        assert_eq!(groups[0]["sessions"], sessions, "{field}");
        assert_eq!(groups[0]["judged"], 20, "{field}");
    }
    // The group's images: both spellings.
    let browser = app.browser("rae", "reviewer").await;
    let all = app.lib.count(
        "SELECT count(*) AS value FROM images i JOIN sessions s ON s.id = i.session_id
          WHERE i.on_disk AND NOT i.is_deleted AND NOT s.is_deleted",
    );
    let (_, karras) = super::stats::api(&app, &viewer, "scheduler=KARRAS").await;
    assert_eq!(karras["totals"]["images"], all, "the filter takes any case");
    let page = browser.get_text("/stats").await;
    assert!(page.contains("By scheduler"));

    let export = reqwest::Client::new()
        .get(format!("{}/api/export/images?format=jsonl", app.address))
        .bearer_auth(&viewer.token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(export.contains(r#""scheduler":"karras""#));
    assert!(export.contains(r#""scheduler":"Karras""#));
}
