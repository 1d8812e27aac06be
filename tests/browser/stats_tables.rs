//! The statistics page on a phone: its tables of pairs are wider than the screen, and scroll
//! inside their own box while nothing else reaches past the screen's edge; their links are big
//! enough for a finger.

use crate::driver::{Driver, Screen, find};
use crate::fit;
use crate::sign_in::sign_in;
use crate::support::app::TestApp;
use crate::support::planted_pairs;

#[tokio::test]
async fn on_a_phone_the_tables_of_pairs_scroll_in_their_own_box_and_nothing_else_spills() {
    let app = TestApp::spawn().await;
    planted_pairs::plant(&app);
    let viewer = app.add_user("vic", "viewer");
    let driver = Driver::start().await;
    let client = driver.open(Screen::PHONE).await;
    sign_in(&client, &app, &viewer).await;
    client
        .goto(&format!("{}/stats", app.address))
        .await
        .unwrap();
    find(&client, "table.pairs-table").await;
    let measured = client
        .execute(
            r#"const width = document.documentElement.clientWidth;
               const out = [];
               for (const el of document.querySelectorAll("main *")) {
                   if (el.closest(".table-scroll") && !el.matches(".table-scroll")) continue;
                   const r = el.getBoundingClientRect();
                   if (r.width <= 1 && r.height <= 1) continue;
                   if (r.right > width + 0.5 || r.left < -0.5) out.push(`${el.tagName}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
               }
               const boxes = [...document.querySelectorAll(".table-scroll")];
               return { width, page: document.documentElement.scrollWidth, out,
                        scrolls: boxes.some(b => b.scrollWidth > b.clientWidth + 1), boxes: boxes.length };"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(measured["width"], 390, "{measured}");
    assert_eq!(measured["page"], 390, "the page itself does not scroll sideways");
    assert_eq!(measured["out"], serde_json::json!([]), "{measured}");
    assert_eq!(measured["boxes"], 2, "the tested pairs and the grid");
    assert_eq!(
        measured["scrolls"], true,
        "a table wider than the phone scrolls inside its box"
    );
    let small = fit::small_targets(&client, 44.0).await;
    assert!(small.is_empty(), "{small:?}");
    client.close().await.unwrap();
}

#[tokio::test]
#[ignore = "scratch"]
async fn scratch_shots() {
    let app = TestApp::spawn().await;
    let ids = planted_pairs::plant(&app);
    app.add_user("ben", "reviewer");
    app.lib.execute(&format!(
        "INSERT INTO judgements (image_id, user_id, status, liked, created_at, updated_at)
         SELECT id, (SELECT id FROM users WHERE name = 'ben'), CASE WHEN id % 3 = 0 THEN 'ko' ELSE 'ok' END, 0, '2026-11-03', '2026-11-03'
         FROM images WHERE id IN ({})",
        ids[..60].iter().map(|i| i.0.to_string()).collect::<Vec<_>>().join(",")
    ));
    let viewer = app.add_user("vic", "viewer");
    let driver = Driver::start().await;
    for (screen, name) in [(Screen::DESKTOP, "desktop"), (Screen::PHONE, "phone")] {
        let client = driver.open(screen).await;
        sign_in(&client, &app, &viewer).await;
        for (path, anchor, shot) in [
            ("/stats?rule=majority", "ko", "ko"),
            ("/stats", "pairs", "pairs"),
            ("/stats", "pair-grid", "grid"),
            ("/stats", "raters", "raters"),
            ("/stats", "model", "model"),
        ] {
            client.goto(&format!("{}{path}#{anchor}", app.address)).await.unwrap();
            find(&client, "main").await;
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            let png = client.screenshot().await.unwrap();
            std::fs::write(format!("/tmp/wtb/shot-{name}-{shot}.png"), png).unwrap();
        }
        client.close().await.unwrap();
    }
}
