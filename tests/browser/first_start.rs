//! What a new household meets first: an empty library that says what to do, and "Review
//! unrated" as the sessions page's first action.

use fantoccini::Locator;

use crate::driver::{Driver, eventually, find, text_of};
use crate::sign_in::sign_in;
use crate::support::TestLibrary;
use crate::support::app::TestApp;

#[tokio::test]
async fn an_empty_library_says_where_it_is_expected_and_how_to_import_it() {
    let app = TestApp::serve(TestLibrary::empty()).await;
    let library = app.lib.root.canonicalize().unwrap().display().to_string();
    let admin = app.add_user("ada", "admin");
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    sign_in(&client, &app, &admin).await;
    client
        .goto(&format!("{}/sessions", app.address))
        .await
        .unwrap();
    let help = find(&client, ".first-start").await.text().await.unwrap();
    for said in [
        library.as_str(),
        "sdreview import",
        "Importing…",
        "--library",
    ] {
        assert!(help.contains(said), "{said:?} in {help}");
    }
    assert!(
        !find(&client, "#session-list")
            .await
            .text()
            .await
            .unwrap()
            .contains("No sessions match"),
        "an empty library is not a filter that matched nothing"
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn review_unrated_is_the_first_action_and_lists_what_i_have_not_rated() {
    let app = TestApp::spawn().await;
    let reviewer = app.add_user("uma", "reviewer");
    let rated = app.lib.count(
        "SELECT id AS value FROM images WHERE broken IS NULL AND on_disk = 1 AND is_deleted = 0 ORDER BY id LIMIT 1",
    );
    app.lib.execute(&format!(
        "INSERT INTO judgements (image_id, user_id, liked, created_at, updated_at)
         SELECT {rated}, id, 1, datetime(), datetime() FROM users WHERE name = 'uma'"
    ));
    let unrated = app.lib.count(
        "SELECT count(*) AS value FROM images i JOIN sessions s ON s.id = i.session_id
         WHERE i.on_disk = 1 AND i.is_deleted = 0 AND s.is_deleted = 0 AND i.id NOT IN
           (SELECT image_id FROM judgements j JOIN users u ON u.id = j.user_id WHERE u.name = 'uma')",
    );
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    sign_in(&client, &app, &reviewer).await;
    client
        .goto(&format!("{}/sessions", app.address))
        .await
        .unwrap();
    let first = client
        .execute(
            "return document.querySelector('main').querySelector('a[href], button, summary, input, select').textContent.trim()",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(first.as_str(), Some("Review unrated"));
    client
        .find(Locator::LinkText("Review unrated"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Review mode, over every image I have not rated yet.
    find(&client, "#rv-left").await;
    let expected = format!(
        "{} of {} left",
        sdreview::views::gallery::thousands(unrated),
        sdreview::views::gallery::thousands(unrated)
    );
    eventually("review counts the images I have not rated", || async {
        text_of(&client, "#rv-left").await == expected
    })
    .await;
    client.close().await.unwrap();
}
