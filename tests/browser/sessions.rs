use fantoccini::{Client, Locator};

use crate::driver::{Driver, eventually, find, text_of};
use crate::sign_in::sign_in;
use crate::support::app::TestApp;

async fn row_count(client: &Client) -> usize {
    client
        .find_all(Locator::Css("#session-list .session-row"))
        .await
        .unwrap()
        .len()
}

/// Types a name in the filter; the list narrows in place, the URL follows, and Back undoes it.
async fn filters_by_name(client: Client, app: &TestApp) {
    let admin = app.add_user("fay", "admin");
    sign_in(&client, app, &admin).await;
    client
        .goto(&format!("{}/sessions", app.address))
        .await
        .unwrap();
    let all = row_count(&client).await;
    assert!(all > 1);
    let (wanted, id) = (
        app.lib
            .text("SELECT folder_name AS value FROM sessions WHERE is_deleted = 0 AND is_archived = 0 ORDER BY id LIMIT 1")
            .unwrap(),
        app.lib.count("SELECT id AS value FROM sessions WHERE is_deleted = 0 AND is_archived = 0 ORDER BY id LIMIT 1"),
    );
    // On a phone the filters sit behind a "Filters" button.
    let name = find(&client, "#filter-q").await;
    if !name.is_displayed().await.unwrap() {
        find(&client, "details.filters > summary")
            .await
            .click()
            .await
            .unwrap();
    }
    name.send_keys(&wanted).await.unwrap();
    name.send_keys("\u{E007}").await.unwrap();
    eventually("the list narrows to the matching session", || async {
        let rows = row_count(&client).await;
        rows >= 1 && rows < all
    })
    .await;
    let link = format!("#session-list .session-row a.title[href='/sessions/{id}']");
    find(&client, &link).await;
    let url = client.current_url().await.unwrap();
    assert!(url.query().unwrap_or_default().contains("q="), "{url}");
    client.back().await.unwrap();
    eventually("Back shows the whole list again", || async {
        row_count(&client).await == all
    })
    .await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_person_filters_the_sessions_by_name_on_a_desktop() {
    let app = TestApp::spawn().await;
    let driver = Driver::start().await;
    filters_by_name(driver.desktop().await, &app).await;
}

#[tokio::test]
async fn a_person_filters_the_sessions_by_name_on_a_phone() {
    let app = TestApp::spawn().await;
    let driver = Driver::start().await;
    filters_by_name(driver.phone().await, &app).await;
}

#[tokio::test]
async fn a_reviewer_archives_two_sessions_in_bulk() {
    let app = TestApp::spawn().await;
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    let reviewer = app.add_user("gus", "reviewer");
    sign_in(&client, &app, &reviewer).await;
    client
        .goto(&format!("{}/sessions", app.address))
        .await
        .unwrap();
    let boxes = client
        .find_all(Locator::Css("#session-list label.pick"))
        .await
        .unwrap();
    let mut picked = Vec::new();
    for label in &boxes[..2] {
        label.click().await.unwrap();
        let checkbox = label.find(Locator::Css("input")).await.unwrap();
        assert!(checkbox.is_selected().await.unwrap());
        picked.push(checkbox.attr("value").await.unwrap().unwrap());
    }
    find(&client, "#bulk button[value=archive]")
        .await
        .click()
        .await
        .unwrap();
    let archived = format!(
        "SELECT count(*) AS value FROM sessions WHERE is_archived = 1 AND id IN ({})",
        picked.join(",")
    );
    eventually("both sessions are archived", || async {
        app.lib.count(&archived) == 2
    })
    .await;
    find(&client, "#toast").await;
    eventually("a toast says so", || async {
        text_of(&client, "#toast").await.contains("archived")
    })
    .await;
    // The active list no longer shows them.
    for id in &picked {
        let still_there = client
            .find_all(Locator::Css(&format!(
                "#session-list input[name=ids][value='{id}']"
            )))
            .await
            .unwrap();
        assert!(still_there.is_empty(), "session {id} left the active list");
    }
    client.close().await.unwrap();
}

#[tokio::test]
async fn an_admin_restores_a_deleted_session_from_the_trash() {
    let app = TestApp::spawn().await;
    let id = app
        .lib
        .count("SELECT id AS value FROM sessions ORDER BY id LIMIT 1");
    app.lib.execute(&format!(
        "UPDATE sessions SET is_deleted = 1 WHERE id = {id}"
    ));
    let driver = Driver::start().await;
    let client = driver.phone().await;
    let admin = app.add_user("hal", "admin");
    sign_in(&client, &app, &admin).await;
    client
        .goto(&format!("{}/trash", app.address))
        .await
        .unwrap();
    find(
        &client,
        &format!("button[hx-post='/trash/sessions/{id}/restore']"),
    )
    .await
    .click()
    .await
    .unwrap();
    let deleted = format!("SELECT is_deleted AS value FROM sessions WHERE id = {id}");
    eventually("the session is restored", || async {
        app.lib.count(&deleted) == 0
    })
    .await;
    eventually("it leaves the trash", || async {
        client
            .find_all(Locator::Css(&format!(
                "button[hx-post='/trash/sessions/{id}/restore']"
            )))
            .await
            .unwrap()
            .is_empty()
    })
    .await;
    client.close().await.unwrap();
}

/// Tags typed on three rows are still on those rows after a reload, whatever the sort: the
/// rows come sorted by date, the tags by session.
#[tokio::test]
async fn tags_stay_on_their_sessions_after_a_reload() {
    let app = TestApp::spawn().await;
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    let reviewer = app.add_user("tia", "reviewer");
    sign_in(&client, &app, &reviewer).await;
    client
        .goto(&format!("{}/sessions", app.address))
        .await
        .unwrap();
    let rows = client
        .find_all(Locator::Css("#session-list .session-row"))
        .await
        .unwrap();
    let mut tagged = Vec::new();
    for row in &rows[..3] {
        let id = row
            .find(Locator::Css("a.title"))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        let input = row.find(Locator::Css(".add-tag input")).await.unwrap();
        input.send_keys("keeper\u{E007}").await.unwrap();
        let id = id.trim_start_matches("/sessions/").to_owned();
        eventually("the tag shows on its row", || async {
            !client
                .find_all(Locator::Css(&format!("#tags-{id} .pill.tag")))
                .await
                .unwrap()
                .is_empty()
        })
        .await;
        tagged.push(id);
    }
    client
        .goto(&format!("{}/sessions?tag=keeper", app.address))
        .await
        .unwrap();
    assert_eq!(row_count(&client).await, 3);
    for id in &tagged {
        let pills = find(&client, &format!("#tags-{id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            pills.contains("keeper"),
            "session {id} shows its tag: {pills:?}"
        );
    }
    client.close().await.unwrap();
}
