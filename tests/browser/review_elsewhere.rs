//! Review keys outside review mode (the gallery grid, the image page) and compare by seed.

use fantoccini::{Client, Locator};

use crate::driver::{Driver, eventually, find};
use crate::review::{app, click, press, requests_to, session, typed, verdict};
use crate::review_support::{js_bool, js_i64, js_string, screenshot};
use crate::sign_in::sign_in;
use crate::support::app::TestApp;

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
            sdreview::web::href::url_escape(&placeholder)
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

    // Without JavaScript, a card's buttons are a plain form that comes back to the comparison.
    let plain = crate::review_support::without_javascript(&driver).await;
    sign_in(&plain, &app, &user).await;
    plain
        .goto(&format!(
            "{}/compare?session={session}&placeholder={}",
            app.address,
            sdreview::web::href::url_escape(&placeholder)
        ))
        .await
        .unwrap();
    let other = js_free_second_card(&plain).await;
    click(&plain, &format!("#image-{other} button[value=imperfect]")).await;
    eventually("the plain form saved thumbs down", || async {
        verdict(&app, other, "quality") == "imperfect"
    })
    .await;
    eventually("and came back to the comparison", || async {
        plain.current_url().await.unwrap().path() == "/compare"
    })
    .await;
    plain.close().await.unwrap();
}

/// The second card's image id, read without running a script in the page.
async fn js_free_second_card(client: &Client) -> i64 {
    let cards = client
        .find_all(Locator::Css(".cmp-row .cmp-card"))
        .await
        .unwrap();
    let id = cards[1].attr("id").await.unwrap().unwrap();
    id.trim_start_matches("image-").parse().unwrap()
}
