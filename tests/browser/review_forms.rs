//! The review screen with JavaScript switched off: every decision is a plain form.

use fantoccini::Locator;

use crate::driver::{Driver, eventually, find};
use crate::review::{app, click, session, verdict};
use crate::review_support::screenshot;
use crate::sign_in::sign_in;

#[tokio::test]
async fn the_review_screen_works_as_plain_forms_without_javascript() {
    let app = app().await;
    let (session, ids) = session(&app, 4);
    let driver = Driver::start().await;
    let client = crate::review_support::without_javascript(&driver).await;
    let user = app.add_user("nojs", "reviewer");
    crate::review_support::fit_desktop(&client).await;
    sign_in(&client, &app, &user).await;
    client
        .goto(&format!("{}/sessions/{session}", app.address))
        .await
        .unwrap();
    let entry = find(&client, "#review-session").await.text().await.unwrap();
    assert_eq!(entry, format!("Review {} left", ids.len()));
    click(&client, "#review-session").await;
    let first = find(&client, ".rv-slot.current").await;
    assert_eq!(
        first.attr("data-id").await.unwrap(),
        Some(ids[0].to_string())
    );
    screenshot(&client, "review-desktop-no-javascript").await;

    // A click submits a form and the browser follows the 303: wait for each page.
    let settled = |image: i64, column: &'static str, value: &'static str| {
        let app = &app;
        async move {
            eventually(&format!("image {image} has {column} `{value}`"), || async {
                verdict(app, image, column) == value
            })
            .await
        }
    };
    let lands_on = |image: i64| {
        let client = client.clone();
        async move {
            eventually(&format!("image {image} is shown"), || {
                let client = client.clone();
                async move {
                    match client.find(Locator::Css(".rv-slot.current")).await {
                        Ok(slot) => {
                            slot.attr("data-id").await.ok().flatten() == Some(image.to_string())
                        }
                        Err(_) => false,
                    }
                }
            })
            .await
        }
    };
    click(&client, "#rv-perfect").await;
    settled(ids[0], "quality", "perfect").await;
    lands_on(ids[1]).await;
    click(&client, "#rv-undo").await;
    settled(ids[0], "quality", "").await;
    lands_on(ids[0]).await; // Undo shows that image again

    click(&client, "#rv-like").await;
    settled(ids[0], "liked", "1").await;
    lands_on(ids[0]).await; // the heart alone stays on the image
    click(&client, "#rv-ko-open").await; // the sheet is a <details>: it opens by itself
    find(&client, "#rv-ko-form .rv-cat[value=off_prompt]").await;
    client
        .find(Locator::Css("#rv-ko textarea"))
        .await
        .unwrap()
        .send_keys("a dog, not a cat")
        .await
        .unwrap();
    click(&client, "#rv-ko-form .rv-cat[value=off_prompt]").await;
    settled(ids[0], "failure_category", "off_prompt").await;
    assert_eq!(verdict(&app, ids[0], "failure_notes"), "a dog, not a cat");
    assert_eq!(
        verdict(&app, ids[0], "liked"),
        "1",
        "the KO keeps the heart"
    );
    lands_on(ids[1]).await;
    click(&client, "#rv-skip").await;
    lands_on(ids[2]).await; // Skip moves on without judging
    click(&client, "#rv-ok").await;
    settled(ids[2], "status", "ok").await;
    assert_eq!(
        verdict(&app, ids[1], "status"),
        "",
        "the skipped image stays unjudged"
    );
    client.close().await.unwrap();
}
