//! Review mode on a 390x844 touch phone: every gesture with real touch input, the KO sheet by
//! finger, a short swipe snapping back, pinch zoom that stops every judgement, and a decision
//! that waited offline coming back as a conflict with one made on another device.

use fantoccini::Locator;

use crate::driver::{Driver, eventually};
use crate::review::{app, ko_sheet_open, open, session, shown, stage_centre, verdict, waits_for};
use crate::review_support::{
    Gate, double_tap, js, js_bool, js_string, pinch_out, screenshot, swipe,
};
use crate::sign_in::sign_in;

#[tokio::test]
async fn each_gesture_judges_on_a_phone_and_a_short_swipe_snaps_back() {
    let app = app().await;
    let (session, ids) = session(&app, 6);
    let driver = Driver::start().await;
    let client = driver.phone().await;
    open(&client, &app, "jo", session).await;
    let smallest: f64 = crate::review_support::js(
        &client,
        "return Math.min(...[...document.querySelectorAll('.rv-act')].map(b => Math.min(b.getBoundingClientRect().width, b.getBoundingClientRect().height)))",
    )
    .await
    .as_f64()
    .unwrap();
    assert!(
        smallest >= 44.0,
        "every bar button is a 44 px target, the smallest is {smallest}"
    );
    screenshot(&client, "review-phone").await;
    let (x, y) = stage_centre(&client).await;

    // Too short and slow: the image snaps back and nothing is judged.
    swipe(&client, x, y, 30.0, 0.0, 600).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(shown(&client).await, ids[0], "a short swipe snaps back");
    assert_eq!(verdict(&app, ids[0], "quality"), "");

    swipe(&client, x - 100.0, y, 220.0, 0.0, 200).await;
    waits_for(&client, "a swipe right moves on", ids[1]).await;
    eventually("a swipe right is thumbs up", || async {
        verdict(&app, ids[0], "quality") == "perfect"
    })
    .await;
    swipe(&client, x + 100.0, y, -220.0, 0.0, 200).await;
    waits_for(&client, "a swipe left moves on", ids[2]).await;
    eventually("a swipe left is thumbs down", || async {
        verdict(&app, ids[1], "quality") == "imperfect"
    })
    .await;
    double_tap(&client, x, y).await;
    eventually("a double tap is a heart", || async {
        verdict(&app, ids[2], "liked") == "1"
    })
    .await;
    swipe(&client, x, y - 150.0, 0.0, 300.0, 200).await;
    waits_for(&client, "a swipe down skips", ids[3]).await;
    assert_eq!(
        verdict(&app, ids[2], "quality"),
        "",
        "skipping judges nothing"
    );

    swipe(&client, x, y + 150.0, 0.0, -300.0, 200).await;
    eventually("a swipe up opens the KO sheet", || async {
        ko_sheet_open(&client).await
    })
    .await;
    screenshot(&client, "review-phone-ko").await;
    let (cx, cy) = stage_centre(&client).await;
    swipe(&client, cx - 100.0, cy / 2.0, 220.0, 0.0, 200).await;
    assert_eq!(
        verdict(&app, ids[3], "quality"),
        "",
        "no swipe judges while the sheet is open"
    );
    // A tap right after a fling only stops the fling (Chromium sends no click); a person's
    // finger takes longer than that to reach the sheet.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    client
        .find(Locator::Css("#rv-ko .rv-cat[value=malformed]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually("a tap on a category saves the KO", || async {
        verdict(&app, ids[3], "failure_category") == "malformed"
    })
    .await;
    waits_for(&client, "the KO moves on", ids[4]).await;

    pinch_out(&client, x, y).await;
    eventually("a pinch zooms", || async {
        js_bool(
            &client,
            "return document.querySelector('.rv-slot.current').classList.contains('zoomed')",
        )
        .await
    })
    .await;
    swipe(&client, x - 100.0, y, 220.0, 0.0, 200).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(shown(&client).await, ids[4], "a swipe pans a zoomed image");
    assert_eq!(verdict(&app, ids[4], "quality"), "", "and never judges it");
    double_tap(&client, x, y).await;
    eventually("a double tap zooms out", || async {
        !js_bool(
            &client,
            "return document.querySelector('.rv-slot.current').classList.contains('zoomed')",
        )
        .await
    })
    .await;
    assert_eq!(
        verdict(&app, ids[4], "liked"),
        "",
        "zooming out is not a heart"
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_decision_that_waited_offline_and_conflicts_shows_the_image_again_with_both() {
    let app = app().await;
    let (session, ids) = session(&app, 4);
    let gate = Gate::start(app.port);
    let driver = Driver::start().await;
    let client = driver.phone().await;
    let uma = app.add_user("uma", "reviewer");
    sign_in(&client, &app, &uma).await; // the cookie is for 127.0.0.1, whatever the port
    client
        .goto(&format!("{}/review?session={session}", gate.address()))
        .await
        .unwrap();
    eventually("the review is ready with the next images loaded", || async {
        js_bool(
            &client,
            "return window.sdreviewReady === true && document.querySelectorAll('.rv-slot.loaded').length >= 3",
        )
        .await
    })
    .await;

    // On the phone, offline: a swipe left, thumbs down, waits in the browser.
    gate.close();
    let (x, y) = stage_centre(&client).await;
    swipe(&client, x + 100.0, y, -220.0, 0.0, 200).await;
    waits_for(&client, "the phone moves on at once", ids[1]).await;
    crate::review_support::decision_waits(&client, "the decision waits").await;
    // Meanwhile, on the laptop, the same person gives that image a thumbs up.
    let laptop = app.sign_in(&uma).await;
    let rated = laptop
        .post(
            &format!("/images/{}/rating", ids[0]),
            &[("action", "perfect")],
        )
        .await;
    assert_eq!(rated.status(), 200);

    // The phone is back online: its thumbs down is refused and the image comes back.
    gate.open();
    js(&client, "window.dispatchEvent(new Event('online'))").await;
    eventually("the phone has its answer", || async {
        js_bool(
            &client,
            "return localStorage.getItem('sdreview:pending:uma') === null",
        )
        .await
    })
    .await;
    assert_eq!(
        verdict(&app, ids[0], "quality"),
        "perfect",
        "the laptop's newer thumbs up stays"
    );
    eventually("the conflict is shown", || async {
        js_bool(
            &client,
            "const c = document.getElementById('rv-conflict'); return !!c && !c.hidden",
        )
        .await
    })
    .await;
    assert_eq!(shown(&client).await, ids[0], "the image in question, again");
    let saved = js_string(
        &client,
        "return document.querySelector('#rv-conflict [data-verdict=stored]').textContent",
    )
    .await;
    let mine = js_string(
        &client,
        "return document.querySelector('#rv-conflict [data-verdict=wanted]').textContent",
    )
    .await;
    assert_eq!(
        (saved.as_str(), mine.as_str()),
        ("Thumbs up · Not KO", "Thumbs down"),
        "both verdicts, in words"
    );
    screenshot(&client, "review-phone-conflict").await;

    // A swipe does not judge while the question is open; a tap on the phone's answers it.
    swipe(&client, x - 100.0, y, 220.0, 0.0, 200).await;
    assert_eq!(shown(&client).await, ids[0]);
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    client
        .find(Locator::Css("#rv-conflict [data-pick=wanted]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually(
        "the phone's thumbs down is saved, against the laptop's",
        || async { verdict(&app, ids[0], "quality") == "imperfect" },
    )
    .await;
    waits_for(&client, "and the phone is back where it was", ids[1]).await;
    assert!(
        js_bool(
            &client,
            "return document.getElementById('rv-conflict').hidden"
        )
        .await
    );
    assert_eq!(
        verdict(&app, ids[0], "status"),
        "",
        "the phone's verdict, whole"
    );

    // Undo takes the choice back to the laptop's verdict, and no further: the thumbs down
    // that waited was never applied, so there is nothing before it to undo.
    client
        .find(Locator::Css("#rv-undo"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    waits_for(&client, "undo goes back to the image", ids[0]).await;
    eventually("undo puts the laptop's thumbs up back", || async {
        verdict(&app, ids[0], "quality") == "perfect"
    })
    .await;
    assert!(
        js_bool(
            &client,
            "return document.getElementById('rv-undo').disabled"
        )
        .await
    );
    client.close().await.unwrap();
}
