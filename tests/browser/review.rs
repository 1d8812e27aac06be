//! Review mode in real Chromium, with keys on a desktop: each key, undo, the KO sheet by
//! keyboard, and nothing judged while the sheet is open or the image is zoomed. Shared helpers
//! for the other review tests (`review_*.rs`) live here.

use fantoccini::{Client, Locator};

use crate::driver::{Driver, eventually, find};
use crate::review_support::{js_bool, js_i64, js_string, screenshot};
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
    eventually(
        "the review script is ready and the image on the screen",
        || async {
            js_bool(client, "return window.sdreviewReady === true").await
                && image_on_screen(client).await
        },
    )
    .await;
}

/// Whether the image in front is on the screen: its rendition or its thumbnail loaded (no
/// verdict is taken on an image not shown, so a person waits for it, as the tests do).
pub async fn image_on_screen(client: &Client) -> bool {
    js_bool(
        client,
        "const s = document.querySelector('.rv-slot.current'); const ok = (i) => !!i && i.complete && i.naturalWidth > 0 && getComputedStyle(i).visibility !== 'hidden'; \
         return !!s && (!!s.querySelector('.rv-broken') || ok(s.querySelector('.rv-screen')) || ok(s.querySelector('.rv-thumb')))",
    )
    .await
}

pub async fn waits_for(client: &Client, what: &str, image: i64) {
    eventually(what, || async {
        shown(client).await == image && image_on_screen(client).await
    })
    .await;
}

pub async fn ko_sheet_open(client: &Client) -> bool {
    js_bool(client, "return document.getElementById('rv-ko').open").await
}

pub async fn info_text(client: &Client) -> String {
    js_string(
        client,
        "return document.getElementById('rv-info-body').textContent",
    )
    .await
}

pub async fn click(client: &Client, css: &str) {
    find(client, css).await.click().await.unwrap();
}

/// Keys to whatever has the focus (sending them to the body would move the focus there).
pub async fn typed(client: &Client, keys: &str) {
    // The focused element can be swapped (a tile redrawn after a rating) between finding it
    // and typing: then type into the one that has the focus now.
    for _ in 0..20 {
        match client.active_element().await.unwrap().send_keys(keys).await {
            Err(fantoccini::error::CmdError::Standard(e))
                if e.error == fantoccini::error::ErrorStatus::StaleElementReference =>
            {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            other => return other.unwrap(),
        }
    }
    panic!("the focused element kept being replaced while typing {keys:?}");
}

/// Requests the page made to a path containing `part` (Resource Timing).
pub async fn requests_to(client: &Client, part: &str) -> i64 {
    js_i64(
        client,
        &format!(
            "return performance.getEntriesByType('resource').filter(e => e.name.includes('{part}')).length"
        ),
    )
    .await
}

/// The centre of the stage, where a finger goes down.
pub async fn stage_centre(client: &Client) -> (f64, f64) {
    let x = crate::review_support::js(
        client,
        "const r = document.getElementById('rv-stage').getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]",
    )
    .await;
    (x[0].as_f64().unwrap(), x[1].as_f64().unwrap())
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
    // The sheet opens, then takes the focus on the next frame: a slow machine can show the
    // one before the other.
    eventually("focus moves into the sheet", || async {
        js_bool(
            &client,
            "return document.getElementById('rv-ko').contains(document.activeElement)",
        )
        .await
    })
    .await;
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
