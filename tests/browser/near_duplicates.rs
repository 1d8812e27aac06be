//! The image page's near-duplicates on a desktop and a phone: the copies are shown as
//! thumbnails that fit the screen, and "Not a duplicate" is a plain form that takes the copy
//! out of the list.

use crate::driver::{Driver, Screen, eventually, find, text_of};
use crate::fit::misfits;
use crate::sign_in::sign_in;
use crate::support::app::TestApp;
use crate::support::near_library::{ids_by_name, planted_library};

#[tokio::test]
async fn a_reviewer_sees_the_copies_and_marks_one_as_not_a_duplicate() {
    let app = TestApp::serve_hashing(planted_library()).await;
    let ids = ids_by_name(&app.lib);
    let scene = ids["scene1.png"];
    let reviewer = app.add_user("lea", "reviewer");
    let hashed =
        crate::support::session_files::eventually(std::time::Duration::from_secs(60), || {
            app.lib.count("SELECT count(*) AS value FROM image_hashes") == ids.len() as i64
        })
        .await;
    assert!(hashed, "the pass hashes the library");
    let driver = Driver::start().await;
    // The phone only looks; the desktop then marks a pair.
    for screen in [Screen::PHONE, Screen::DESKTOP] {
        let client = driver.open(screen).await;
        sign_in(&client, &app, &reviewer).await;
        let page = format!("{}/images/{scene}", app.address);
        client.goto(&page).await.unwrap();
        assert_eq!(text_of(&client, "#near-title").await, "Near-duplicates (3)");
        client
            .execute(
                "document.getElementById('near-duplicates').scrollIntoView()",
                vec![],
            )
            .await
            .unwrap();
        let misfit = misfits(&client, "#near-duplicates, #near-duplicates *").await;
        assert!(misfit.is_empty(), "{screen:?}: {misfit:#?}");
        if let Some(dir) = std::env::var_os("SCREENSHOT_DIR") {
            tokio::time::sleep(std::time::Duration::from_millis(800)).await;
            let png = client.screenshot().await.unwrap();
            let name = if screen.touch {
                "near-phone.png"
            } else {
                "near-desktop.png"
            };
            std::fs::write(std::path::Path::new(&dir).join(name), png).unwrap();
        }
        if screen.touch {
            continue;
        }
        find(&client, "#near-duplicates form button")
            .await
            .click()
            .await
            .unwrap();
        eventually("the page comes back with one copy fewer", || async {
            text_of(&client, "#near-title").await == "Near-duplicates (2)"
        })
        .await;
        client.close().await.unwrap();
    }
}

/// The gallery with near-duplicates grouped, on a phone and a desktop: the planted group is
/// one stacked tile saying ×4, and it fits the screen like every other tile.
#[tokio::test]
async fn the_grouped_gallery_shows_one_stack_that_fits() {
    let app = TestApp::serve_hashing(planted_library()).await;
    let ids = ids_by_name(&app.lib);
    let planted = crate::support::near_library::planted_group(&ids);
    let groups =
        crate::support::near_library::groups_when(&app.lib, |g| g.len() == planted.len()).await;
    assert_eq!(groups.len(), planted.len(), "the pass groups the copies");
    let session = app.lib.count("SELECT id AS value FROM sessions LIMIT 1");
    let viewer = app.add_user("vera", "viewer");
    let driver = Driver::start().await;
    for screen in [Screen::PHONE, Screen::DESKTOP] {
        let client = driver.open(screen).await;
        sign_in(&client, &app, &viewer).await;
        client
            .goto(&format!("{}/sessions/{session}?group=near", app.address))
            .await
            .unwrap();
        assert_eq!(
            text_of(&client, ".tile.stacked .stack-count").await,
            "×4 near-duplicates"
        );
        let tiles = client
            .find_all(fantoccini::Locator::Css(".grid > .tile"))
            .await
            .unwrap();
        assert_eq!(tiles.len(), 6, "{screen:?}: five scenes and one stack");
        let misfit = misfits(&client, ".grid, .grid *").await;
        assert!(misfit.is_empty(), "{screen:?}: {misfit:#?}");
        if let Some(dir) = std::env::var_os("SCREENSHOT_DIR") {
            tokio::time::sleep(std::time::Duration::from_millis(800)).await;
            let png = client.screenshot().await.unwrap();
            let name = if screen.touch {
                "groups-phone.png"
            } else {
                "groups-desktop.png"
            };
            std::fs::write(std::path::Path::new(&dir).join(name), png).unwrap();
        }
        client.close().await.unwrap();
    }
}
