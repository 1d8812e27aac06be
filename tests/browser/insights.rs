//! The recommendations page and the image page's "Prompts like this that worked" box on a
//! phone and a desktop: a planted failure is listed to drop, and everything fits the screen.

use crate::driver::{Driver, Screen, find, text_of};
use crate::fit::misfits;
use crate::sign_in::sign_in;
use crate::support::TestLibrary;
use crate::support::app::TestApp;

/// Every image judged, those with the library's most common value KO four times in five, the
/// others one time in five.
fn planted() -> TestLibrary {
    let lib = TestLibrary::generated();
    lib.import();
    assert!(
        lib.sdreview(&["user", "add", "ann", "--role", "reviewer"])
            .status
            .success()
    );
    lib.execute(
        "INSERT INTO judgements (image_id, user_id, liked, status, created_at, updated_at)
         SELECT i.id, (SELECT id FROM users WHERE name = 'ann'), i.id % 7 = 0,
                CASE WHEN EXISTS (SELECT 1 FROM image_variations iv WHERE iv.image_id = i.id
                                    AND iv.variation_id = (SELECT variation_id FROM image_variations
                                                           GROUP BY variation_id ORDER BY count(*) DESC, variation_id LIMIT 1))
                     THEN CASE WHEN (i.id * 7919) % 10 < 8 THEN 'ko' ELSE 'ok' END
                     ELSE CASE WHEN (i.id * 7919) % 10 < 2 THEN 'ko' ELSE 'ok' END END,
                datetime('now'), datetime('now')
         FROM images i WHERE i.broken IS NULL AND i.on_disk",
    );
    lib
}

async fn shoot(client: &fantoccini::Client, name: &str) {
    if let Some(dir) = std::env::var_os("SCREENSHOT_DIR") {
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        let png = client.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join(name), png).unwrap();
    }
}

#[tokio::test]
async fn the_recommendations_and_the_like_this_box_fit_a_phone_and_a_desktop() {
    let app = TestApp::serve(planted()).await;
    let viewer = app.add_user("vera", "viewer");
    let image = app.lib.count(
        "SELECT min(id) AS value FROM images WHERE prompt_id IS NOT NULL AND broken IS NULL",
    );
    let driver = Driver::start().await;
    for screen in [Screen::PHONE, Screen::DESKTOP] {
        let client = driver.open(screen).await;
        sign_in(&client, &app, &viewer).await;
        let size = if screen.touch { "phone" } else { "desktop" };

        client
            .goto(&format!("{}/insights", app.address))
            .await
            .unwrap();
        find(&client, "#drop-title").await;
        assert_eq!(text_of(&client, "#drop-title").await, "Drop (1)");
        let misfit = misfits(&client, "main, main *").await;
        assert!(misfit.is_empty(), "{screen:?}: {misfit:#?}");
        shoot(&client, &format!("insights-{size}.png")).await;

        client
            .goto(&format!("{}/images/{image}", app.address))
            .await
            .unwrap();
        find(&client, "#like-this").await;
        client
            .execute(
                "document.getElementById('like-this').scrollIntoView()",
                vec![],
            )
            .await
            .unwrap();
        // Scrolled to, the box loads its list.
        find(&client, "#like-this .like-this-list").await;
        let misfit = misfits(&client, "#like-this, #like-this *").await;
        assert!(misfit.is_empty(), "{screen:?}: {misfit:#?}");
        shoot(&client, &format!("like-this-{size}.png")).await;
        client.close().await.unwrap();
    }
}
