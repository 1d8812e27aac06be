//! Blind review on a 390x844 touch phone: the session page right under "Review" shows no
//! verdict count of others on an image I have not judged; once I have judged it in review with
//! a real swipe, its tile shows everyone's.

use crate::driver::{Driver, eventually};
use crate::review::{app, open, session, stage_centre, waits_for};
use crate::review_support::{js_bool, swipe};

/// Whether the session page's tile of `image` shows everyone's verdict counts.
async fn tile_shows_counts(client: &fantoccini::Client, image: i64) -> bool {
    js_bool(
        client,
        &format!("return document.querySelector('.tile[data-id=\"{image}\"] .counts') !== null"),
    )
    .await
}

#[tokio::test]
async fn on_a_phone_the_session_page_hides_others_verdicts_until_i_have_judged_the_image() {
    let app = app().await;
    let (session, ids) = session(&app, 3);
    let bo = app.browser("bo", "reviewer").await;
    let response = bo
        .post(
            &format!("/images/{}/rating", ids[0]),
            &[("action", "ko"), ("category", "noise")],
        )
        .await;
    assert_eq!(response.status(), 200);

    let driver = Driver::start().await;
    let client = driver.phone().await;
    open(&client, &app, "ana", session).await;
    let session_page = format!("{}/sessions/{session}", app.address);
    client.goto(&session_page).await.unwrap();
    eventually("the tiles are there", || async {
        js_bool(
            &client,
            &format!(
                "return document.querySelector('.tile[data-id=\"{}\"]') !== null",
                ids[0]
            ),
        )
        .await
    })
    .await;
    assert!(
        !tile_shows_counts(&client, ids[0]).await,
        "bo's KO shows on a tile I have not judged"
    );

    client
        .goto(&format!("{}/review?session={session}", app.address))
        .await
        .unwrap();
    eventually("the review script is ready", || async {
        js_bool(&client, "return window.sdreviewReady === true").await
    })
    .await;
    waits_for(&client, "review starts at the first image", ids[0]).await;
    let (x, y) = stage_centre(&client).await;
    swipe(&client, x - 100.0, y, 220.0, 0.0, 200).await;
    eventually("a swipe right is my thumbs up", || async {
        app.lib.count(&format!(
            "SELECT count(*) AS value FROM judgements j JOIN users u ON u.id = j.user_id
             WHERE u.name = 'ana' AND j.image_id = {} AND j.quality = 'perfect'",
            ids[0]
        )) == 1
    })
    .await;

    client.goto(&session_page).await.unwrap();
    eventually("my judgement shows everyone's on the tile", || async {
        tile_shows_counts(&client, ids[0]).await
    })
    .await;
}
