//! An admin opens a deleted image from the trash: read-only, with a notice and a Restore
//! button that brings it back in place.

use fantoccini::Locator;

use crate::driver::{Driver, eventually, find};
use crate::sign_in::sign_in;
use crate::support::app::TestApp;

#[tokio::test]
async fn an_admin_opens_a_deleted_image_from_the_trash_and_restores_it_from_its_page() {
    let app = TestApp::spawn().await;
    let image = app.lib.count(
        "SELECT id AS value FROM images WHERE broken IS NULL AND format = 'png' AND on_disk
         ORDER BY id LIMIT 1",
    );
    app.lib.execute(&format!(
        "UPDATE images SET is_deleted = 1 WHERE id = {image}"
    ));
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    let admin = app.add_user("hal", "admin");
    sign_in(&client, &app, &admin).await;
    client
        .goto(&format!("{}/trash", app.address))
        .await
        .unwrap();
    find(&client, &format!(".trash-image a[href='/images/{image}']"))
        .await
        .click()
        .await
        .unwrap();
    let notice = find(&client, ".trash-notice").await;
    assert!(
        notice
            .text()
            .await
            .unwrap()
            .contains("This image is in the trash")
    );
    assert!(
        client
            .find_all(Locator::Css("#rate-perfect"))
            .await
            .unwrap()
            .is_empty(),
        "no rating buttons in the trash"
    );
    find(&client, ".trash-notice button")
        .await
        .click()
        .await
        .unwrap();
    let deleted = format!("SELECT is_deleted AS value FROM images WHERE id = {image}");
    eventually("the image is restored", || async {
        app.lib.count(&deleted) == 0
    })
    .await;
    // The page reloads and shows the image as live again, ready to rate.
    find(&client, "#rate-perfect").await;
    assert!(
        client
            .find_all(Locator::Css(".trash-notice"))
            .await
            .unwrap()
            .is_empty()
    );
    client.close().await.unwrap();
}
