//! A review pass: blind mode and auto-advance, the end of the queue and its summary, and a
//! decision made while the server is unreachable arriving once when it comes back.

use fantoccini::Locator;

use crate::driver::{Driver, eventually, find};
use crate::review::{
    app, info_text, ko_sheet_open, open, press, session, shown, verdict, waits_for,
};
use crate::review_support::{Gate, js_bool, js_i64, js_string, screenshot};
use crate::sign_in::sign_in;

#[tokio::test]
async fn blind_mode_hides_others_until_i_judge_and_auto_advance_can_be_turned_off() {
    let app = app().await;
    let (session, ids) = session(&app, 3);
    let bo = app.browser("bo", "reviewer").await;
    let first = ids[0].to_string();
    let response = bo
        .post(
            &format!("/images/{first}/rating"),
            &[("action", "ko"), ("category", "noise")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    open(&client, &app, "ana", session).await;
    assert!(
        js_bool(&client, "return JSON.parse(document.getElementById('review').dataset.state).items[0].others === null").await,
        "the page does not even carry bo's verdict"
    );
    press(&client, "i").await;
    eventually("I opens the metadata", || async {
        js_bool(&client, "return document.getElementById('rv-info').open").await
    })
    .await;
    assert!(
        info_text(&client)
            .await
            .contains("Hidden until you give your verdict")
    );
    screenshot(&client, "review-desktop-info").await;
    press(&client, "i?").await;
    eventually("? opens the key map", || async {
        js_bool(&client, "return document.getElementById('rv-keys').open").await
    })
    .await;
    client
        .find(Locator::Css("#rv-auto"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    press(&client, "?").await;
    eventually("? closes the key map", || async {
        !js_bool(&client, "return document.getElementById('rv-keys').open").await
    })
    .await;

    press(&client, "p").await;
    eventually("P is saved", || async {
        app.lib.count(&format!(
            "SELECT count(*) AS value FROM judgements j JOIN users u ON u.id = j.user_id
             WHERE u.name = 'ana' AND j.image_id = {first} AND j.quality = 'perfect'"
        )) == 1
    })
    .await;
    assert_eq!(
        shown(&client).await,
        ids[0],
        "with auto-advance off the image stays"
    );
    eventually("once I have judged, bo's verdict shows", || async {
        let text = info_text(&client).await;
        text.contains("bo") && text.contains("ko")
    })
    .await;
    press(&client, "i").await;
    eventually("I opens the metadata again", || async {
        js_bool(&client, "return document.getElementById('rv-info').open").await
    })
    .await;
    press(&client, "\u{E00C}").await; // Esc closes the metadata
    eventually("Esc closes the metadata", || async {
        !js_bool(&client, "return document.getElementById('rv-info').open").await
    })
    .await;
    assert_eq!(client.current_url().await.unwrap().path(), "/review");
    press(&client, "\u{E00C}").await; // and then leaves
    eventually("Esc leaves for the session", || async {
        client.current_url().await.unwrap().path() == format!("/sessions/{session}")
    })
    .await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_queue_ends_with_a_summary_of_the_pass_and_links_to_its_images() {
    let app = app().await;
    let (session, ids) = session(&app, 3);
    let driver = Driver::start().await;
    let client = driver.phone().await;
    open(&client, &app, "eve", session).await;
    let keys = ["p", "x", "o"];
    for (n, id) in ids.iter().enumerate() {
        waits_for(&client, "the next image", *id).await;
        if n + 1 == ids.len() {
            press(&client, "k").await;
            eventually("K opens the sheet", || async {
                ko_sheet_open(&client).await
            })
            .await;
            client
                .active_element()
                .await
                .unwrap()
                .send_keys("3")
                .await
                .unwrap();
            client
                .active_element()
                .await
                .unwrap()
                .send_keys("\u{E007}")
                .await
                .unwrap();
        } else {
            press(&client, keys[n % keys.len()]).await;
        }
    }
    find(&client, "#rv-summary").await;
    eventually("every decision is counted", || async {
        js_string(
            &client,
            "return document.querySelector('#rv-summary h1').textContent",
        )
        .await
            == format!("Pass done: {} images judged", ids.len())
    })
    .await;
    screenshot(&client, "review-phone-summary").await;
    let up = js_string(
        &client,
        "return document.querySelector('.rv-counts a[href=\"#pass-up\"]').textContent",
    )
    .await;
    let expected_up = ids.len().saturating_sub(1).div_ceil(3);
    assert!(up.starts_with(&format!("{expected_up} ")), "{up}");
    let ko = js_string(
        &client,
        "return [...document.querySelectorAll('.rv-counts a')].map(a => a.textContent).join('|')",
    )
    .await;
    assert!(
        ko.contains("1 Incomplete") || ko.contains("1 incomplete"),
        "{ko}"
    );
    // Each count links to the images behind it.
    let thumbs = js_i64(
        &client,
        "return document.querySelectorAll('#pass-up a[href^=\"/images/\"]').length",
    )
    .await;
    assert_eq!(thumbs as usize, expected_up);
    assert!(js_bool(&client, "return document.querySelector('.rv-bar').hidden").await);
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_judgement_made_while_the_server_is_unreachable_arrives_once_after_it_returns() {
    let app = app().await;
    let (session, ids) = session(&app, 3);
    let gate = Gate::start(app.port);
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    let user = app.add_user("otto", "reviewer");
    crate::review_support::fit_desktop(&client).await;
    sign_in(&client, &app, &user).await; // the cookie is for 127.0.0.1, whatever the port
    client
        .goto(&format!("{}/review?session={session}", gate.address()))
        .await
        .unwrap();
    eventually("the review script is ready", || async {
        js_bool(&client, "return window.sdreviewReady === true").await
    })
    .await;
    eventually("the next images are loaded ahead", || async {
        js_i64(
            &client,
            "return document.querySelectorAll('.rv-slot.loaded').length",
        )
        .await
            >= 3
    })
    .await;
    gate.close();
    press(&client, "x").await;
    waits_for(&client, "the screen moves on at once", ids[1]).await;
    crate::review_support::decision_waits(&client, "the decision shows as waiting").await;
    screenshot(&client, "review-desktop-pending").await;
    assert_eq!(verdict(&app, ids[0], "quality"), "");
    assert!(
        js_bool(
            &client,
            "return localStorage.getItem('sdreview:pending:otto') !== null"
        )
        .await,
        "kept in the browser until the server confirms it"
    );
    assert_eq!(gate.decisions(), 0);
    gate.open();
    for _ in 0..300 {
        if verdict(&app, ids[0], "quality") == "imperfect" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(verdict(&app, ids[0], "quality"), "imperfect", "it arrived");
    eventually("the browser lets go of it", || async {
        js_bool(
            &client,
            "return localStorage.getItem('sdreview:pending:otto') === null",
        )
        .await
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(gate.decisions(), 1, "it arrived exactly once");
    client.close().await.unwrap();
}
