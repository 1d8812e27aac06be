//! The review screen's own copy of the verdict rules (`static/js/review_rules.js`, which the
//! browser needs offline) against the one table both copies are checked against,
//! `tests/review_rules.json`; the Rust copy runs the same rows in `domain::review_action`.

use serde_json::Value;

use crate::driver::Driver;
use crate::review::{app, open, session};

#[tokio::test]
async fn the_page_decides_every_row_of_the_shared_table_of_rules_as_the_server_does() {
    let table: Value = serde_json::from_str(include_str!("../review_rules.json")).unwrap();
    let rows = table["rows"].as_array().unwrap();
    assert!(rows.len() >= 100, "every act on every before-state");
    let app = app().await;
    let (session, _) = session(&app, 1);
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    open(&client, &app, "rua", session).await;
    let decided = client
        .execute(
            "return arguments[0].map((row) => window.SdReviewRules.decide(row.before, row.act, row))",
            vec![Value::Array(rows.clone())],
        )
        .await
        .unwrap();
    let decided = decided.as_array().unwrap();
    assert_eq!(decided.len(), rows.len());
    for (row, after) in rows.iter().zip(decided) {
        assert_eq!(after, &row["after"], "{} on {}", row["act"], row["before"]);
    }
    client.close().await.unwrap();
}
