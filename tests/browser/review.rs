//! Review mode in real Chromium: keys on a desktop, a finger on a phone, the KO sheet, zoom,
//! undo, the end of a pass, blind mode, decisions made while the server is away, and the
//! whole screen without JavaScript.

use fantoccini::{Client, Locator};

use crate::driver::{Driver, eventually, find};
use crate::review_support::{
    Gate, double_tap, js_bool, js_i64, js_string, pinch_out, screenshot, swipe,
};
use crate::sign_in::sign_in;
use crate::support::TestLibrary;
use crate::support::app::TestApp;
use sdreview::synth::LibrarySpec;

/// A small library whose images are 512x768, as a generator run writes them.
pub async fn app() -> TestApp {
    let lib = TestLibrary::with_spec(&LibrarySpec {
        sessions: 5,
        images_per_session: 8,
        large_images: 1_000,
        broken_per_mille: 0,
        big_session_files: 0,
        seed: 9,
    });
    lib.import();
    TestApp::serve(lib).await
}

/// A session of at least `min` readable PNGs and no broken file, and its images in file order.
pub fn session(app: &TestApp, min: i64) -> (i64, Vec<i64>) {
    let id = app.lib.count(&format!(
        "SELECT s.id AS value FROM sessions s WHERE s.source = 'manifest'
           AND (SELECT count(*) FROM images i WHERE i.session_id = s.id AND i.broken IS NULL
                AND i.format = 'png' AND i.on_disk AND NOT i.is_deleted) >= {min}
           AND NOT EXISTS (SELECT 1 FROM images i WHERE i.session_id = s.id AND i.on_disk
                AND NOT i.is_deleted AND i.broken IS NOT NULL)
         ORDER BY s.id LIMIT 1"
    ));
    let count = app.lib.count(&format!(
        "SELECT count(*) AS value FROM images WHERE session_id = {id} AND on_disk AND NOT is_deleted"
    ));
    let ids = (0..count)
        .map(|n| {
            app.lib.count(&format!(
                "SELECT id AS value FROM images WHERE session_id = {id} AND on_disk AND NOT is_deleted
                 ORDER BY filename, id LIMIT 1 OFFSET {n}"
            ))
        })
        .collect();
    (id, ids)
}

pub fn verdict(app: &TestApp, image: i64, column: &str) -> String {
    app.lib
        .text(&format!(
            "SELECT coalesce((SELECT CAST({column} AS TEXT) FROM judgements WHERE image_id = {image}), '') AS value"
        ))
        .unwrap_or_default()
}

pub async fn shown(client: &Client) -> i64 {
    js_i64(
        client,
        "const s = document.querySelector('.rv-slot.current'); return s ? Number(s.dataset.id) : -1",
    )
    .await
}

pub async fn press(client: &Client, keys: &str) {
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

/// Signs in a new reviewer and opens the review of `session`.
pub async fn open(client: &Client, app: &TestApp, name: &str, session: i64) {
    let user = app.add_user(name, "reviewer");
    crate::review_support::fit_desktop(client).await;
    sign_in(client, app, &user).await;
    client
        .goto(&format!("{}/review?session={session}", app.address))
        .await
        .unwrap();
    eventually("the review script is ready", || async {
        js_bool(client, "return window.sdreviewReady === true").await
    })
    .await;
}

async fn waits_for(client: &Client, what: &str, image: i64) {
    eventually(what, || async { shown(client).await == image }).await;
}

#[tokio::test]
async fn each_key_judges_moves_on_and_undoes_without_a_page_load() {
    let app = app().await;
    let (session, ids) = session(&app, 6);
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    open(&client, &app, "ida", session).await;
    crate::review_support::js(&client, "window.samePage = true").await;
    assert_eq!(shown(&client).await, ids[0]);
    // The next three are fetched and decoded before they are needed.
    eventually("the next three images are loaded ahead", || async {
        js_i64(
            &client,
            "return document.querySelectorAll('.rv-slot.loaded').length",
        )
        .await
            >= 4
    })
    .await;
    screenshot(&client, "review-desktop").await;

    press(&client, "p").await;
    waits_for(&client, "P moves on", ids[1]).await;
    eventually("P saves thumbs up", || async {
        verdict(&app, ids[0], "quality") == "perfect"
    })
    .await;
    press(&client, "\u{E015}").await; // Down arrow
    waits_for(&client, "Down moves on", ids[2]).await;
    eventually("Down saves thumbs down", || async {
        verdict(&app, ids[1], "quality") == "imperfect"
    })
    .await;
    press(&client, "l").await;
    eventually("L saves a heart and stays", || async {
        verdict(&app, ids[2], "liked") == "1"
    })
    .await;
    assert_eq!(shown(&client).await, ids[2], "the heart does not move on");
    press(&client, "o").await;
    waits_for(&client, "O moves on", ids[3]).await;
    eventually("O saves not KO", || async {
        verdict(&app, ids[2], "status") == "ok"
    })
    .await;
    press(&client, "\u{E014}").await; // Right: next without judging
    waits_for(&client, "Right skips", ids[4]).await;
    assert_eq!(
        verdict(&app, ids[3], "quality"),
        "",
        "skipping judges nothing"
    );
    press(&client, "\u{E012}").await; // Left: back
    waits_for(&client, "Left goes back", ids[3]).await;
    press(&client, "\u{E013}").await; // Up arrow
    waits_for(&client, "Up moves on", ids[4]).await;
    eventually("Up saves thumbs up", || async {
        verdict(&app, ids[3], "quality") == "perfect"
    })
    .await;

    press(&client, "u").await;
    waits_for(&client, "U goes back to the undone image", ids[3]).await;
    eventually("U takes the thumbs up back", || async {
        verdict(&app, ids[3], "quality").is_empty()
    })
    .await;
    // Ctrl+Z undoes the one before: O on the third image.
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("\u{E009}z\u{E000}")
        .await
        .unwrap();
    waits_for(&client, "Ctrl+Z goes back", ids[2]).await;
    eventually("Ctrl+Z takes not KO back", || async {
        verdict(&app, ids[2], "status").is_empty()
    })
    .await;
    assert_eq!(
        verdict(&app, ids[2], "liked"),
        "1",
        "only the last step was undone"
    );
    assert!(
        js_bool(&client, "return window.samePage === true").await,
        "no page was loaded on the way"
    );
    let progress = js_string(
        &client,
        "return document.getElementById('rv-left').textContent",
    )
    .await;
    assert!(progress.contains("left"), "{progress}");
    client.close().await.unwrap();
}

async fn ko_sheet_open(client: &Client) -> bool {
    js_bool(client, "return document.getElementById('rv-ko').open").await
}

#[tokio::test]
async fn the_ko_sheet_works_by_keyboard_and_nothing_is_judged_while_it_or_zoom_is_open() {
    let app = app().await;
    let (session, ids) = session(&app, 4);
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    open(&client, &app, "kim", session).await;

    press(&client, "k").await;
    eventually("K opens the KO sheet", || async {
        ko_sheet_open(&client).await
    })
    .await;
    assert!(
        js_bool(
            &client,
            "return document.getElementById('rv-ko').contains(document.activeElement)"
        )
        .await,
        "focus moves into the sheet"
    );
    screenshot(&client, "review-desktop-ko").await;
    press(&client, "p").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        verdict(&app, ids[0], "quality"),
        "",
        "P does nothing while the sheet is open"
    );
    assert_eq!(shown(&client).await, ids[0]);
    press(&client, "\u{E00C}").await; // Escape closes it
    eventually("Esc closes the sheet", || async {
        !ko_sheet_open(&client).await
    })
    .await;
    assert_eq!(
        shown(&client).await,
        ids[0],
        "Esc closed the sheet and stayed"
    );

    press(&client, "k").await;
    eventually("K opens it again", || async {
        ko_sheet_open(&client).await
    })
    .await;
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("2")
        .await
        .unwrap();
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
    eventually("1-4 pick and Enter saves the KO", || async {
        verdict(&app, ids[0], "status") == "ko"
    })
    .await;
    assert_eq!(verdict(&app, ids[0], "failure_category"), "noise");
    waits_for(&client, "a KO moves on", ids[1]).await;

    // Zoomed in, no key judges; Esc zooms out first.
    press(&client, "z").await;
    eventually("Z zooms", || async {
        js_bool(
            &client,
            "return document.querySelector('.rv-slot.current').classList.contains('zoomed')",
        )
        .await
    })
    .await;
    eventually("zooming loads the original", || async {
        js_bool(
            &client,
            "return !!document.querySelector('.rv-slot.current .rv-original')",
        )
        .await
    })
    .await;
    press(&client, "px").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        verdict(&app, ids[1], "quality"),
        "",
        "nothing is judged while zoomed"
    );
    press(&client, "\u{E00C}").await;
    eventually("Esc zooms out", || async {
        !js_bool(
            &client,
            "return document.querySelector('.rv-slot.current').classList.contains('zoomed')",
        )
        .await
    })
    .await;
    press(&client, "x").await;
    eventually("after zooming out, keys judge again", || async {
        verdict(&app, ids[1], "quality") == "imperfect"
    })
    .await;
    client.close().await.unwrap();
}

/// The centre of the stage, where a finger goes down.
async fn stage_centre(client: &Client) -> (f64, f64) {
    let x = crate::review_support::js(
        client,
        "const r = document.getElementById('rv-stage').getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]",
    )
    .await;
    (x[0].as_f64().unwrap(), x[1].as_f64().unwrap())
}

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

async fn info_text(client: &Client) -> String {
    js_string(
        client,
        "return document.getElementById('rv-info-body').textContent",
    )
    .await
}

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
    eventually("the decision shows as waiting", || async {
        js_string(
            &client,
            "return document.getElementById('rv-saved').textContent",
        )
        .await
        .contains("waiting")
    })
    .await;
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

async fn click(client: &Client, css: &str) {
    find(client, css).await.click().await.unwrap();
}

#[tokio::test]
async fn the_review_screen_works_as_plain_forms_without_javascript() {
    let app = app().await;
    let (session, ids) = session(&app, 4);
    let driver = Driver::start().await;
    let client = crate::review_support::without_javascript(&driver).await;
    let user = app.add_user("nojs", "reviewer");
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

/// Keys to whatever has the focus (sending them to the body would move the focus there).
async fn typed(client: &Client, keys: &str) {
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

/// Requests the page made to a path containing `part` (Resource Timing).
async fn requests_to(client: &Client, part: &str) -> i64 {
    js_i64(
        client,
        &format!(
            "return performance.getEntriesByType('resource').filter(e => e.name.includes('{part}')).length"
        ),
    )
    .await
}

#[tokio::test]
async fn the_gallery_and_the_image_page_take_the_same_keys_and_a_gallery_rating_is_one_request() {
    let app = app().await;
    let (session, ids) = session(&app, 3);
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    let user = app.add_user("gil", "reviewer");
    sign_in(&client, &app, &user).await;
    client
        .goto(&format!("{}/sessions/{session}", app.address))
        .await
        .unwrap();
    find(&client, "#gallery-results .tile").await;
    press(&client, "\u{E014}").await; // Right focuses the first tile
    let first = ids[0];
    eventually("the first tile has the focus", || async {
        js_i64(&client, "const t = document.activeElement.closest('.tile'); return t ? Number(t.dataset.id) : -1").await == first
    })
    .await;
    typed(&client, "o").await;
    eventually("O marks the focused tile not KO", || async {
        verdict(&app, first, "status") == "ok"
    })
    .await;
    let about_first = || async {
        requests_to(&client, &format!("/tiles/{first}")).await
            + requests_to(&client, &format!("/images/{first}/rating")).await
    };
    eventually("the tile is replaced", || async {
        about_first().await >= 1
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        about_first().await,
        1,
        "one request: no refetch of the tile after the rating"
    );
    typed(&client, "u").await;
    eventually("U undoes it", || async {
        verdict(&app, first, "status").is_empty()
    })
    .await;
    typed(&client, "p").await;
    eventually("P still rates the focused tile", || async {
        verdict(&app, first, "quality") == "perfect"
    })
    .await;
    typed(&client, "\u{E009}z\u{E000}").await;
    eventually("Ctrl+Z undoes too", || async {
        verdict(&app, first, "quality").is_empty()
    })
    .await;

    client
        .goto(&format!("{}/images/{}", app.address, ids[1]))
        .await
        .unwrap();
    find(&client, "#rating-panel").await;
    press(&client, "o").await;
    eventually("O on the image page", || async {
        verdict(&app, ids[1], "status") == "ok"
    })
    .await;
    find(&client, "#undo-button").await;
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("\u{E009}z\u{E000}")
        .await
        .unwrap();
    eventually("Ctrl+Z on the image page", || async {
        verdict(&app, ids[1], "status").is_empty()
    })
    .await;
    client.close().await.unwrap();
}

/// A session whose images share a seed and differ in a placeholder, and that placeholder.
fn comparable(app: &TestApp) -> (i64, String) {
    let session = app.lib.count(
        "SELECT i.session_id AS value FROM images i JOIN image_variations iv ON iv.image_id = i.id
         WHERE i.broken IS NULL AND i.seed IS NOT NULL
         GROUP BY i.session_id, i.seed HAVING count(DISTINCT i.id) > 3 ORDER BY i.session_id LIMIT 1",
    );
    let placeholder = app
        .lib
        .text(&format!(
            "SELECT v.placeholder AS value FROM variations v
             JOIN image_variations iv ON iv.variation_id = v.id JOIN images i ON i.id = iv.image_id
             WHERE i.session_id = {session} GROUP BY v.placeholder
             HAVING count(DISTINCT v.value) > 1 ORDER BY v.placeholder LIMIT 1"
        ))
        .unwrap();
    (session, placeholder)
}

#[tokio::test]
async fn compare_puts_a_seeds_images_side_by_side_and_rates_them_in_place() {
    let app = TestApp::spawn().await;
    let (session, placeholder) = comparable(&app);
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    crate::review_support::fit_desktop(&client).await;
    let user = app.add_user("cleo", "reviewer");
    sign_in(&client, &app, &user).await;
    client
        .goto(&format!("{}/sessions/{session}", app.address))
        .await
        .unwrap();
    client
        .find(Locator::LinkText(&format!("Compare {{{placeholder}}}")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    find(&client, ".cmp-row .cmp-card").await;
    let across = js_i64(
        &client,
        "const cards = [...document.querySelector('.cmp-row').querySelectorAll('.cmp-card')]; \
         const top = cards[0].getBoundingClientRect().top; \
         return cards.filter(c => Math.abs(c.getBoundingClientRect().top - top) < 2).length",
    )
    .await;
    assert!((2..=4).contains(&across), "{across} across on a desktop");
    screenshot(&client, "compare-desktop").await;
    let id = js_i64(
        &client,
        "return Number(document.querySelector('.cmp-card').id.slice(6))",
    )
    .await;
    crate::review_support::js(&client, "window.samePage = true").await;
    click(&client, &format!("#image-{id} button[value=perfect]")).await;
    eventually("the card is rated in place", || async {
        js_string(
            &client,
            &format!("return document.querySelector('#image-{id} button[value=perfect]').getAttribute('aria-pressed')"),
        )
        .await
            == "true"
    })
    .await;
    assert_eq!(verdict(&app, id, "quality"), "perfect");
    assert!(js_bool(&client, "return window.samePage === true").await);
    client.close().await.unwrap();

    let phone = driver.phone().await;
    sign_in(&phone, &app, &user).await;
    phone
        .goto(&format!(
            "{}/compare?session={session}&placeholder={}",
            app.address,
            sdreview::web::identity::url_escape(&placeholder)
        ))
        .await
        .unwrap();
    find(&phone, ".cmp-row .cmp-card").await;
    let swipeable = js_bool(
        &phone,
        "const row = document.querySelector('.cmp-cards'); const s = getComputedStyle(row); \
         return s.overflowX === 'auto' && s.scrollSnapType.startsWith('x') && row.scrollWidth > row.clientWidth",
    )
    .await;
    assert!(swipeable, "a phone swipes through a seed's images");
    screenshot(&phone, "compare-phone").await;
    phone.close().await.unwrap();
}
