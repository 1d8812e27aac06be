//! The KO predictor's card on the statistics page and its line on the image page, at a desktop
//! and a phone size: everything inside the screen.

use crate::driver::{Driver, Screen, find};
use crate::fit::misfits;
use crate::sign_in::sign_in;
use crate::support::app::TestApp;
use crate::support::planted_verdicts::{common_value, plant};

#[tokio::test]
async fn the_predictor_card_and_the_predicted_line_fit_a_phone_and_a_desktop() {
    let app = TestApp::spawn().await;
    let owner = app.add_user("ann", "admin");
    let value = common_value(&app.lib);
    plant(&app.lib, "ann", &value);
    let mut conn = app.lib.pool().get().unwrap();
    sdreview::predict::run::train_and_score(&mut conn, false, |_| true).unwrap();
    let image = app.lib.count(
        "SELECT id AS value FROM images WHERE json_extract(ml_predictions, '$.sdreview_ko.call') = 'ko'
         AND is_deleted = 0 ORDER BY id LIMIT 1",
    );
    let driver = Driver::start().await;
    for (screen, name) in [(Screen::DESKTOP, "desktop"), (Screen::PHONE, "phone")] {
        let client = driver.open(screen).await;
        sign_in(&client, &app, &owner).await;
        client
            .goto(&format!("{}/stats", app.address))
            .await
            .unwrap();
        find(&client, "#predictor .predictor-headline").await;
        client
            .execute(
                "document.getElementById('predictor').scrollIntoView()",
                vec![],
            )
            .await
            .unwrap();
        let misfit = misfits(&client, "#predictor, #predictor *").await;
        assert!(misfit.is_empty(), "{name}: {misfit:#?}");
        shoot(&client, &format!("predictor-{name}")).await;
        client
            .goto(&format!("{}/images/{image}", app.address))
            .await
            .unwrap();
        find(&client, ".prediction .pill.ko").await;
        let misfit = misfits(&client, ".prediction, .prediction *").await;
        assert!(misfit.is_empty(), "{name}: {misfit:#?}");
        client
            .execute(
                "document.querySelector('.prediction').scrollIntoView()",
                vec![],
            )
            .await
            .unwrap();
        shoot(&client, &format!("predicted-{name}")).await;
        client.close().await.unwrap();
    }
}

/// Written only when SCREENSHOT_DIR is set: to look at after changing these pages.
async fn shoot(client: &fantoccini::Client, name: &str) {
    if let Some(dir) = std::env::var_os("SCREENSHOT_DIR") {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let png = client.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}
