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
    assert_eq!(
        measured["page"], 390,
        "the page itself does not scroll sideways"
    );
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
