//! Deleting asks first; a bulk change can be taken back from its message; U takes back the last
//! rating given with a key in the gallery.

use fantoccini::{Client, Locator};

use crate::driver::{Driver, eventually, find};
use crate::sign_in::sign_in;
use crate::support::app::TestApp;

async fn pick_session(client: &Client, id: i64) {
    find(
        client,
        &format!("#session-list label.pick:has(input[value='{id}'])"),
    )
    .await
    .click()
    .await
    .unwrap();
}

fn flag(app: &TestApp, id: i64, column: &str) -> i64 {
    app.lib.count(&format!(
        "SELECT {column} AS value FROM sessions WHERE id = {id}"
    ))
}

#[tokio::test]
async fn deleting_sessions_asks_first_and_cancelling_keeps_them() {
    let app = TestApp::spawn().await;
    let admin = app.add_user("ada", "admin");
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    sign_in(&client, &app, &admin).await;
    client
        .goto(&format!("{}/sessions", app.address))
        .await
        .unwrap();
    let id: i64 = find(&client, "#session-list input[name=ids]")
        .await
        .attr("value")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    pick_session(&client, id).await;
    find(&client, "#bulk button[value=delete]")
        .await
        .click()
        .await
        .unwrap();
    let question = client.get_alert_text().await.unwrap();
    assert!(question.contains("Delete this session?"), "{question}");
    client.dismiss_alert().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(flag(&app, id, "is_deleted"), 0, "cancel keeps it");

    find(&client, "#bulk button[value=delete]")
        .await
        .click()
        .await
        .unwrap();
    client.accept_alert().await.unwrap();
    eventually("OK deletes it", || async {
        flag(&app, id, "is_deleted") == 1
    })
    .await;
    client.close().await.unwrap();
}

/// Undo takes back what the archive changed, and only that: a session already archived before
/// stays archived.
#[tokio::test]
async fn a_bulk_archive_is_undone_from_its_message() {
    let app = TestApp::spawn().await;
    let (was_archived, was_active) = (
        app.lib
            .count("SELECT id AS value FROM sessions WHERE is_deleted = 0 ORDER BY id LIMIT 1"),
        app.lib.count(
            "SELECT id AS value FROM sessions WHERE is_deleted = 0 ORDER BY id LIMIT 1 OFFSET 1",
        ),
    );
    app.lib.execute(&format!(
        "UPDATE sessions SET is_archived = 1 WHERE id = {was_archived}"
    ));
    let reviewer = app.add_user("rex", "reviewer");
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    sign_in(&client, &app, &reviewer).await;
    client
        .goto(&format!("{}/sessions?show=all&per_page=200", app.address))
        .await
        .unwrap();
    pick_session(&client, was_archived).await;
    pick_session(&client, was_active).await;
    find(&client, "#bulk button[value=archive]")
        .await
        .click()
        .await
        .unwrap();
    eventually("both are archived", || async {
        flag(&app, was_active, "is_archived") == 1
    })
    .await;
    let undo = find(&client, "#toast button.undo-toast").await;
    // The text whether or not the toast is still showing (it hides after a few seconds).
    let said = client
        .execute(
            "return document.getElementById('toast').textContent",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        said.as_str()
            .unwrap_or_default()
            .contains("1 session archived"),
        "{said}"
    );
    undo.click().await.unwrap();
    eventually("Undo unarchives the one it archived", || async {
        flag(&app, was_active, "is_archived") == 0
    })
    .await;
    assert_eq!(
        flag(&app, was_archived, "is_archived"),
        1,
        "the one archived before stays archived"
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn u_takes_back_the_last_rating_given_with_a_key_in_the_gallery() {
    let app = TestApp::spawn().await;
    let session = app.lib.count(
        "SELECT session_id AS value FROM images WHERE broken IS NULL GROUP BY session_id HAVING count(*) >= 4 ORDER BY session_id LIMIT 1",
    );
    let reviewer = app.add_user("ugo", "reviewer");
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    sign_in(&client, &app, &reviewer).await;
    client
        .goto(&format!("{}/sessions/{session}", app.address))
        .await
        .unwrap();
    let first = find(&client, "#gallery-results .tile")
        .await
        .attr("data-id")
        .await
        .unwrap()
        .unwrap();
    let body = find(&client, "body").await;
    body.send_keys("\u{E014}").await.unwrap(); // ArrowRight: the first tile
    let liked =
        format!("SELECT count(*) AS value FROM judgements WHERE image_id = {first} AND liked = 1");
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("l")
        .await
        .unwrap();
    eventually("L hearts it", || async { app.lib.count(&liked) == 1 }).await;
    eventually("its tile shows my heart", || async {
        !client
            .find_all(Locator::Css(&format!(
                ".tile[data-id='{first}'] .mine .like"
            )))
            .await
            .unwrap()
            .is_empty()
    })
    .await;
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("u")
        .await
        .unwrap();
    eventually("U takes the heart back", || async {
        app.lib.count(&liked) == 0
    })
    .await;
    eventually("and the tile shows it", || async {
        client
            .find_all(Locator::Css(&format!(
                ".tile[data-id='{first}'] .mine .like"
            )))
            .await
            .unwrap()
            .is_empty()
    })
    .await;
    client.close().await.unwrap();
}
