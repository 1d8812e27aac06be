//! The live library in a real browser: a session written while the sessions page is open
//! appears on it without a reload; the admin and account pages on a phone and a desktop.

use std::time::Duration;

use fantoccini::{Client, Locator};
use sdreview::live::WatchSettings;

use crate::driver::{Driver, Screen, find};
use crate::sign_in::sign_in;
use crate::support::TestLibrary;
use crate::support::app::TestApp;
use crate::support::session_files::{SessionFolder, a1111_png};

async fn rows_named(client: &Client, text: &str) -> usize {
    let mut count = 0;
    for row in client
        .find_all(Locator::Css("#session-rows .session-row .title"))
        .await
        .unwrap()
    {
        if row.text().await.unwrap().contains(text) {
            count += 1;
        }
    }
    count
}

#[tokio::test]
async fn a_session_written_while_the_sessions_page_is_open_appears_at_its_top_without_a_reload() {
    let lib = TestLibrary::empty();
    let older = SessionFolder::create(&lib.root, "20261201_080000-already there");
    older.write("00001.png", &a1111_png(1));
    lib.import();
    let watch = WatchSettings {
        settle: Duration::from_millis(300),
        reconcile: None,
        ..WatchSettings::default()
    };
    let app = TestApp::serve_with(lib, Some(watch)).await;
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    let viewer = app.add_user("vera", "viewer");
    sign_in(&client, &app, &viewer).await;
    client
        .goto(&format!("{}/sessions", app.address))
        .await
        .unwrap();
    find(&client, "#session-news").await;
    // Gone if the page reloads.
    client
        .execute("window.sameDocument = true; return 1;", vec![])
        .await
        .unwrap();

    let new = SessionFolder::create(&app.lib.root, "20261201_180000-fresh from the generator");
    for n in 1..=3 {
        new.write_via_rename(&format!("{n:05}.png"), &a1111_png(n));
    }
    let mut shown = false;
    for _ in 0..150 {
        if rows_named(&client, "fresh from the generator").await == 1 {
            shown = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(shown, "the new session is listed within 15 s");
    let first = find(&client, "#session-rows .session-row .title").await;
    assert!(
        first
            .text()
            .await
            .unwrap()
            .contains("fresh from the generator"),
        "at the top"
    );
    let pill = find(&client, "#session-news .news-pill").await;
    assert_eq!(pill.text().await.unwrap(), "1 new session");
    let same = client
        .execute("return window.sameDocument === true;", vec![])
        .await
        .unwrap();
    assert_eq!(same, serde_json::Value::Bool(true), "no reload happened");
}

/// Writes docs/screenshots/admin-{phone,desktop}.png and account-{phone,desktop}.png, at 390
/// and 1280 px wide: `cargo test --test browser admin_page_screenshots -- --ignored`.
#[tokio::test]
#[ignore = "writes the documentation's screenshots"]
async fn admin_page_screenshots() {
    let app = TestApp::spawn().await;
    let ada = app.add_user("ada", "admin");
    let http = app.sign_in(&ada).await;
    for (name, role) in [("bob", "reviewer"), ("carol", "viewer")] {
        let user = app.add_user(name, role);
        app.sign_in(&user).await;
    }
    http.post_form("/admin/rescan", &[]).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let bob = app
        .lib
        .count("SELECT id AS value FROM users WHERE name = 'bob'");
    http.post_form(
        &format!("/admin/users/{bob}/tokens"),
        &[("label", "generator on the GPU box")],
    )
    .await;
    let driver = Driver::start().await;
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    let desktop = Screen {
        width: 1280,
        ..Screen::DESKTOP
    };
    for (screen, suffix) in [(Screen::PHONE, "phone"), (desktop, "desktop")] {
        let client = driver.open(screen).await;
        sign_in(&client, &app, &ada).await;
        client
            .goto(&format!("{}/admin", app.address))
            .await
            .unwrap();
        find(&client, ".admin-page").await;
        let png = client.screenshot().await.unwrap();
        std::fs::write(out.join(format!("admin-{suffix}.png")), png).unwrap();
        client
            .goto(&format!("{}/account", app.address))
            .await
            .unwrap();
        find(&client, ".account-page .devices").await;
        if !screen.touch {
            // On a desktop, with a new link to sign in another device.
            find(&client, "form[action='/account/link'] button")
                .await
                .click()
                .await
                .unwrap();
            find(&client, ".sign-in-link .qr svg").await;
        }
        let png = client.screenshot().await.unwrap();
        std::fs::write(out.join(format!("account-{suffix}.png")), png).unwrap();
        client.close().await.unwrap();
    }
}
