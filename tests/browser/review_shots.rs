//! Screenshots of the review states the other tests do not stop in.

use fantoccini::Locator;

use crate::driver::{Driver, eventually};
use crate::review::{app, session};
use crate::review_support::{Gate, js_bool, screenshot};
use crate::sign_in::sign_in;

/// Screenshots of the states the tests above do not stop in: a swipe on its way, the metadata
/// and the key map on a phone, decisions waiting on a phone. Only with SDREVIEW_SCREENSHOTS.
#[tokio::test]
async fn screenshots_of_the_other_review_states() {
    if std::env::var_os("SDREVIEW_SCREENSHOTS").is_none() {
        return;
    }
    let app = app().await;
    let (session, _) = session(&app, 4);
    let gate = Gate::start(app.port);
    let driver = Driver::start().await;
    let client = driver.phone().await;
    let user = app.add_user("pia", "reviewer");
    sign_in(&client, &app, &user).await;
    client
        .goto(&format!("{}/review?session={session}", gate.address()))
        .await
        .unwrap();
    eventually("ready", || async {
        js_bool(&client, "return window.sdreviewReady === true && document.querySelectorAll('.rv-slot.loaded').length >= 3").await
    })
    .await;
    // A finger half-way through a swipe right, held still.
    crate::review_support::js(
        &client,
        "const s = document.getElementById('rv-stage'); const r = s.getBoundingClientRect(); \
         const at = (x) => ({ pointerId: 7, pointerType: 'touch', isPrimary: true, bubbles: true, clientX: x, clientY: r.top + r.height / 2 }); \
         s.dispatchEvent(new PointerEvent('pointerdown', at(r.left + 100))); \
         for (let i = 1; i <= 6; i++) s.dispatchEvent(new PointerEvent('pointermove', at(r.left + 100 + i * 25)));",
    )
    .await;
    screenshot(&client, "review-phone-swipe").await;
    crate::review_support::js(
        &client,
        "document.getElementById('rv-stage').dispatchEvent(new PointerEvent('pointercancel', { pointerId: 7, pointerType: 'touch', bubbles: true }))",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    crate::review_support::js(&client, "document.getElementById('rv-info').open = true").await;
    screenshot(&client, "review-phone-info").await;
    crate::review_support::js(&client, "document.getElementById('rv-info').open = false; document.getElementById('rv-keys').open = true").await;
    screenshot(&client, "review-phone-keys").await;
    crate::review_support::js(&client, "document.getElementById('rv-keys').open = false").await;
    gate.close();
    client
        .find(Locator::Css("#rv-imperfect"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    crate::review_support::decision_waits(&client, "waiting").await;
    screenshot(&client, "review-phone-pending").await;
    gate.open();
    client.close().await.unwrap();
}
