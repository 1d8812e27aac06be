//! From "Add user" on the admin page to that person signed in on their phone: the admin's
//! browser adds them and shows a one-time link with its QR code; the phone (390x844, real
//! touch input) opens the link and one tap on its button signs in. The steps and the time
//! they take are printed (not asserted: a timed test measures the machine).

use std::time::{Duration, Instant};

use fantoccini::Client;
use fantoccini::actions::{InputSource, PointerAction, TouchActions};

use crate::driver::{Driver, Screen, eventually, find, text_of};
use crate::review_support::{js_i64, js_string, screenshot};
use crate::sign_in::sign_in;
use crate::support::TestLibrary;
use crate::support::app::TestApp;

/// Nothing past the right edge of the screen.
async fn fits(client: &Client, width: i64, page: &str) {
    let scroll = js_i64(client, "return document.documentElement.scrollWidth").await;
    assert!(
        scroll <= width,
        "{page} is {scroll} px wide on a {width} px screen"
    );
}

/// One finger on the middle of the element `css` (scrolled into view first), for as long as a
/// person's tap: real touch input, from which the browser makes the click itself.
async fn tap(client: &Client, css: &str) {
    find(client, css).await;
    let point = client
        .execute(
            "const e = document.querySelector(arguments[0]);
             e.scrollIntoView({block: 'center'});
             const r = e.getBoundingClientRect();
             return [r.left + r.width / 2, r.top + r.height / 2];",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap();
    let (x, y) = (point[0].as_f64().unwrap(), point[1].as_f64().unwrap());
    let finger = TouchActions::new("finger".into())
        .then(PointerAction::MoveTo {
            duration: None,
            x,
            y,
        })
        .then(PointerAction::Down { button: 0 })
        .then(PointerAction::Pause {
            duration: Duration::from_millis(80),
        })
        .then(PointerAction::Up { button: 0 });
    client.perform_actions(finger).await.unwrap();
}

/// Notes, across the page loads of this tab, the kind of every press and click: a tap shows
/// as `touchstart` and `pointerdown:touch` before its `click`.
const RECORD_INPUT: &str = "
    sessionStorage.setItem('input', '');
    for (const kind of ['touchstart', 'pointerdown', 'mousedown', 'click']) {
        document.addEventListener(kind, e => sessionStorage.setItem('input',
            sessionStorage.getItem('input') + ' ' + kind + ':' + (e.pointerType || '')), true);
    }";

#[tokio::test]
async fn a_new_household_member_is_signed_in_on_their_phone_by_the_link_the_admin_was_shown() {
    let app = TestApp::serve(TestLibrary::empty()).await;
    let driver = Driver::start().await;
    let admin = driver
        .open(Screen {
            width: 1280,
            height: 900,
            ..Screen::DESKTOP
        })
        .await;
    let ada = app.add_user("ada", "admin");
    sign_in(&admin, &app, &ada).await;
    admin.goto(&format!("{}/admin", app.address)).await.unwrap();

    // A name that cannot be used says why, on the page (not the browser's generic message).
    find(&admin, ".add-user input[name=name]")
        .await
        .send_keys("zoe@home")
        .await
        .unwrap();
    find(&admin, ".add-user button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    find(&admin, ".flash").await;
    let said = text_of(&admin, ".flash").await;
    assert!(said.contains("a name may not contain “@”"), "{said}");

    // Step 1: type the name; step 2: "Add user".
    let started = Instant::now();
    find(&admin, ".add-user input[name=name]")
        .await
        .send_keys("Grand-mère Zoé")
        .await
        .unwrap();
    find(&admin, ".add-user button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    let link = find(&admin, ".sign-in-link input")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert!(link.contains("/link/"), "{link}");
    find(&admin, ".sign-in-link .qr svg").await;
    find(&admin, ".sign-in-link button[data-copy]:not([hidden])").await;
    screenshot(&admin, "add-user-link-desktop").await;

    // Step 3: the phone opens the link (its camera read the QR code); step 4: one tap.
    let phone = driver.phone().await;
    phone.goto(&link).await.unwrap();
    fits(&phone, 390, "the sign-in link page").await;
    screenshot(&phone, "sign-in-link-phone").await;
    phone.execute(RECORD_INPUT, vec![]).await.unwrap();
    tap(&phone, "form[action^='/link/'] button").await;
    find(&phone, ".topbar .who").await;
    let who = text_of(&phone, ".topbar .who").await;
    let took = started.elapsed();
    assert_eq!(who, "Grand-mère Zoé");
    let input = js_string(&phone, "return sessionStorage.getItem('input')").await;
    assert!(
        input.contains("touchstart") && input.contains("pointerdown:touch"),
        "the sign-in was a touch, not a mouse click: {input}"
    );
    println!(
        "add user to signed in on a second device: 4 steps (type the name, Add user, open the \
         link on the phone, tap Sign in), {:.1} s",
        took.as_secs_f64()
    );

    // The phone is one of hers: her own page lists it. The header's name is hidden on a
    // phone; the menu leads there.
    tap(&phone, "details.nav-menu summary").await;
    tap(&phone, ".menu-panel a.menu-account").await;
    find(&phone, ".account-page .devices").await;
    fits(&phone, 390, "the account page").await;
    let devices = text_of(&phone, ".devices").await;
    assert!(devices.contains("this browser"), "{devices}");

    // She sets a password there, by touch; the form (boosted by htmx) ends on the page itself,
    // which says so once: a reload neither fails nor sets it again.
    for field in ["new", "again"] {
        let css = format!(".password-form input[name={field}]");
        tap(&phone, &css).await;
        find(&phone, &css)
            .await
            .send_keys("correct horse battery")
            .await
            .unwrap();
    }
    tap(&phone, ".password-form button[type=submit]").await;
    eventually("the page says the password is saved", || async {
        text_of(&phone, "main .flash")
            .await
            .contains("Password saved")
    })
    .await;
    assert_eq!(phone.current_url().await.unwrap().path(), "/account");
    phone.refresh().await.unwrap();
    find(&phone, ".account-page .password-form").await;
    let again = text_of(&phone, "main").await;
    assert!(!again.contains("Password saved"), "said once: {again}");
    assert!(
        again.contains("Current password"),
        "the password is set: {again}"
    );
    admin.goto(&format!("{}/admin", app.address)).await.unwrap();
    find(&admin, ".users").await;
    let users = text_of(&admin, ".users").await;
    assert!(users.contains("Chrome on Android"), "{users}");

    // The same link on another phone: it says it was used, and what to do.
    let other = driver.phone().await;
    other.goto(&link).await.unwrap();
    find(&other, ".alert").await;
    let said = text_of(&other, ".alert").await;
    assert!(said.contains("already been used"), "{said}");

    // The admin page with the link, at phone size: nothing past the edge.
    let admin_phone = driver.phone().await;
    sign_in(&admin_phone, &app, &ada).await;
    admin_phone
        .goto(&format!("{}/admin", app.address))
        .await
        .unwrap();
    find(&admin_phone, ".add-user input[name=name]")
        .await
        .send_keys("Paul O’Brien")
        .await
        .unwrap();
    find(&admin_phone, ".add-user button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    find(&admin_phone, ".sign-in-link .qr svg").await;
    fits(&admin_phone, 390, "the admin page with a new link").await;
    screenshot(&admin_phone, "add-user-link-phone").await;
    for client in [admin, phone, other, admin_phone] {
        client.close().await.unwrap();
    }
}
