//! The bars that appear when things are selected: on a phone, every action in reach without
//! scrolling sideways.

use fantoccini::{Client, Locator};

use crate::driver::{Driver, Screen, eventually, find};
use crate::fit;
use crate::sign_in::sign_in;
use crate::support::app::TestApp;

async fn pick(client: &Client, css: &str, how_many: usize) {
    let boxes = client.find_all(Locator::Css(css)).await.unwrap();
    assert!(boxes.len() >= how_many, "{css}: only {}", boxes.len());
    for pick in &boxes[..how_many] {
        // A script's click: a finger would scroll the bar out of the way first.
        client
            .execute(
                "arguments[0].click()",
                vec![serde_json::to_value(pick).unwrap()],
            )
            .await
            .unwrap();
    }
}

async fn fits(client: &Client, bar: &str, screen: Screen) {
    let shown = find(client, bar).await;
    eventually(&format!("{bar} shows"), || async {
        shown.is_displayed().await.unwrap_or(false)
    })
    .await;
    let misfits = fit::misfits(client, &format!("{bar}, {bar} *")).await;
    assert!(
        misfits.is_empty(),
        "{bar} at {} px: {misfits:#?}",
        screen.width
    );
}

#[tokio::test]
async fn every_bulk_bar_fits_a_phone_without_scrolling_sideways() {
    let app = TestApp::spawn().await;
    let session = app.lib.count(
        "SELECT session_id AS value FROM images WHERE broken IS NULL GROUP BY session_id HAVING count(*) >= 4 ORDER BY session_id LIMIT 1",
    );
    app.lib.execute(
        "UPDATE sessions SET is_deleted = 1 WHERE id = (SELECT max(id) FROM sessions);
         UPDATE images SET is_deleted = 1 WHERE id IN (SELECT id FROM images ORDER BY id LIMIT 3);",
    );
    let admin = app.add_user("ada", "admin");
    let driver = Driver::start().await;
    for screen in [Screen::PHONE, Screen::NARROW_PHONE] {
        let client = driver.open(screen).await;
        sign_in(&client, &app, &admin).await;

        client
            .goto(&format!("{}/sessions", app.address))
            .await
            .unwrap();
        pick(&client, "#session-list label.pick", 2).await;
        fits(&client, "#bulk", screen).await;

        client
            .goto(&format!("{}/sessions/{session}", app.address))
            .await
            .unwrap();
        find(&client, "[data-select-toggle]")
            .await
            .click()
            .await
            .unwrap();
        pick(&client, "#gallery-results .tile .tile-link", 2).await;
        fits(&client, "[data-bulk-bar]", screen).await;

        client
            .goto(&format!("{}/trash", app.address))
            .await
            .unwrap();
        pick(&client, "#trash label.pick", 2).await;
        fits(&client, "#trash-bulk", screen).await;
        client.close().await.unwrap();
    }
}
