//! The screenshots of `docs/screenshots/`, taken from a generated library with a few raters'
//! verdicts, tags and names. Not part of the suite: run it after changing a page,
//! `cargo test --test browser screenshots -- --ignored`, then look at every picture.
//! `SCREENSHOT_DIR` writes them elsewhere (to compare before committing).

use std::path::PathBuf;

use fantoccini::{Client, Locator};
use sdreview::synth::LibrarySpec;

use crate::driver::{Driver, Screen, find};
use crate::sign_in::sign_in;
use crate::support::TestLibrary;
use crate::support::app::TestApp;

fn out_dir() -> PathBuf {
    std::env::var_os("SCREENSHOT_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots"),
        PathBuf::from,
    )
}

const PHONE: Screen = Screen {
    scale: 2.0,
    ..Screen::PHONE
};

/// Verdicts from three people, spread the way a household's are, plus names, tags and stars.
pub fn household(app: &TestApp) {
    app.lib.execute(
        "INSERT INTO judgements (image_id, user_id, quality, liked, status, failure_category, failure_notes, created_at, updated_at)
         SELECT i.id, u.id,
                CASE (i.id * 7 + u.id * 3) % 6 WHEN 0 THEN 'perfect' WHEN 1 THEN 'perfect' WHEN 2 THEN 'imperfect' ELSE NULL END,
                (i.id * 5 + u.id) % 4 = 0,
                CASE (i.id * 3 + u.id * 5) % 7 WHEN 0 THEN 'ko' WHEN 1 THEN 'ok' WHEN 2 THEN 'ok' WHEN 3 THEN 'ok' ELSE NULL END,
                CASE WHEN (i.id * 3 + u.id * 5) % 7 = 0 THEN
                    CASE i.id % 4 WHEN 0 THEN 'malformed' WHEN 1 THEN 'noise' WHEN 2 THEN 'incomplete' ELSE 'off_prompt' END END,
                NULL, datetime('now', '-' || (i.id % 50) || ' hours'), datetime('now', '-' || (i.id % 50) || ' hours')
         FROM images i, users u
         WHERE i.broken IS NULL AND (i.id + u.id) % 3 <> 0 AND i.session_id % 4 <> 3;
         UPDATE sessions SET display_name = 'Knight in the snow, take 2' WHERE id = (SELECT id FROM sessions ORDER BY created_at DESC LIMIT 1 OFFSET 3);
         UPDATE sessions SET is_starred = 1 WHERE id % 5 = 2;
         UPDATE sessions SET is_test = 1 WHERE id % 9 = 4;
         INSERT INTO session_tags (session_id, tag) SELECT id, 'keeper' FROM sessions WHERE id % 4 = 1;
         INSERT INTO session_tags (session_id, tag) SELECT id, 'portraits' FROM sessions WHERE id % 6 = 2;
         UPDATE sessions SET is_deleted = 1 WHERE id IN (SELECT id FROM sessions ORDER BY id DESC LIMIT 2);
         UPDATE images SET is_deleted = 1 WHERE id IN (SELECT id FROM images WHERE broken IS NULL ORDER BY id LIMIT 9 OFFSET 40);",
    );
}

async fn shoot(client: &Client, name: &str) {
    // Let lazy thumbnails arrive and transitions end.
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let png = client.screenshot().await.unwrap();
    let dir = out_dir();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

async fn goto(client: &Client, app: &TestApp, path: &str) {
    client
        .goto(&format!("{}{path}", app.address))
        .await
        .unwrap();
    find(client, "main").await;
}

/// A session with many images, liked ones among them.
fn busy_session(app: &TestApp) -> i64 {
    app.lib.count(
        "SELECT s.id AS value FROM sessions s JOIN session_stats st ON st.session_id = s.id
         WHERE s.is_deleted = 0 AND s.source = 'manifest' ORDER BY st.image_count DESC, s.id LIMIT 1",
    )
}

fn rated_image(app: &TestApp, session: i64) -> i64 {
    app.lib.count(&format!(
        "SELECT id AS value FROM images WHERE session_id = {session} AND broken IS NULL AND is_deleted = 0
         AND rater_count >= 2 AND width >= 512 ORDER BY ko_count DESC, id LIMIT 1"
    ))
}

#[tokio::test]
#[ignore = "writes docs/screenshots; run by hand after changing a page"]
async fn screenshots() {
    let lib = TestLibrary::with_spec(&LibrarySpec {
        sessions: 30,
        images_per_session: 24,
        large_images: 400,
        broken_per_mille: 5,
        big_session_files: 0,
        seed: 7,
    });
    lib.import();
    let app = TestApp::serve(lib).await;
    let admin = app.add_user("admin", "admin");
    app.add_user("lea", "reviewer");
    app.add_user("sam", "reviewer");
    household(&app);
    let session = busy_session(&app);
    let image = rated_image(&app, session);
    let word = app
        .lib
        .text("SELECT value FROM variations ORDER BY id LIMIT 1")
        .unwrap();
    let driver = Driver::start().await;

    for (screen, suffix) in [(Screen::DESKTOP, "desktop"), (PHONE, "phone")] {
        let client = driver.open(screen).await;
        sign_in(&client, &app, &admin).await;
        goto(&client, &app, "/sessions").await;
        shoot(&client, &format!("sessions-{suffix}")).await;
        goto(&client, &app, &format!("/sessions/{session}")).await;
        shoot(&client, &format!("session-{suffix}")).await;
        goto(&client, &app, &format!("/images/{image}")).await;
        shoot(&client, &format!("image-{suffix}")).await;
        goto(&client, &app, "/trash").await;
        shoot(&client, &format!("trash-{suffix}")).await;
        goto(&client, &app, "/stats").await;
        shoot(&client, &format!("stats-{suffix}")).await;
        if screen.touch {
            // The header's menu, open.
            find(&client, "details.nav-menu summary")
                .await
                .click()
                .await
                .unwrap();
            shoot(&client, "menu-phone").await;
            // The bulk bar, with two sessions picked.
            goto(&client, &app, "/sessions").await;
            for label in client
                .find_all(Locator::Css("#session-list label.pick"))
                .await
                .unwrap()
                .iter()
                .take(2)
            {
                label.click().await.unwrap();
            }
            shoot(&client, "sessions-bulk-phone").await;
        } else {
            goto(&client, &app, &format!("/search?q={word}")).await;
            shoot(&client, "search-desktop").await;
        }
        client.close().await.unwrap();
    }

    let client = driver.open(Screen::DESKTOP).await;
    sign_in(&client, &app, &admin).await;
    goto(&client, &app, &format!("/images/{image}")).await;
    find(&client, "#rate-ko").await.click().await.unwrap();
    shoot(&client, "ko-dialog").await;
    client.close().await.unwrap();

    let client = driver.open(Screen::NARROW_PHONE).await;
    sign_in(&client, &app, &admin).await;
    goto(&client, &app, &format!("/images/{image}")).await;
    shoot(&client, "image-narrow-phone").await;
    client.close().await.unwrap();

    let client = driver.open(Screen::DESKTOP.dark()).await;
    sign_in(&client, &app, &admin).await;
    goto(&client, &app, "/sessions").await;
    shoot(&client, "sessions-dark").await;
    client.close().await.unwrap();

    let client = driver.open(Screen::ULTRAWIDE).await;
    sign_in(&client, &app, &admin).await;
    goto(&client, &app, &format!("/sessions/{session}")).await;
    shoot(&client, "session-ultrawide").await;
    client.close().await.unwrap();

    // A first start: nothing imported yet.
    let empty = TestApp::serve(TestLibrary::empty()).await;
    let first = empty.add_user("admin", "admin");
    let client = driver.open(Screen::DESKTOP).await;
    sign_in(&client, &empty, &first).await;
    goto(&client, &empty, "/sessions").await;
    shoot(&client, "first-start").await;
    client.close().await.unwrap();
}
