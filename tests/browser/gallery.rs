use fantoccini::{Client, Locator};

use crate::driver::{Driver, eventually, find};
use crate::sign_in::sign_in;
use crate::support::app::TestApp;

async fn focused_tile(client: &Client) -> Option<String> {
    client
        .execute(
            "const t = document.activeElement.closest('.tile'); return t ? t.dataset.id : null",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .map(str::to_owned)
}

#[tokio::test]
async fn arrow_keys_move_through_the_grid_and_rating_keys_rate_the_focused_image() {
    let app = TestApp::spawn().await;
    let session = app.lib.count(
        "SELECT session_id AS value FROM images WHERE broken IS NULL GROUP BY session_id HAVING count(*) >= 4 ORDER BY session_id LIMIT 1",
    );
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    let reviewer = app.add_user("lea", "reviewer");
    sign_in(&client, &app, &reviewer).await;
    client
        .goto(&format!("{}/sessions/{session}", app.address))
        .await
        .unwrap();
    let tiles = client
        .find_all(Locator::Css("#gallery-results .tile"))
        .await
        .unwrap();
    let first = tiles[0].attr("data-id").await.unwrap().unwrap();
    let second = tiles[1].attr("data-id").await.unwrap().unwrap();
    let body = find(&client, "body").await;
    body.send_keys("\u{E014}").await.unwrap(); // ArrowRight from nowhere: the first tile
    eventually("the first tile has the focus ring", || async {
        focused_tile(&client).await.as_deref() == Some(first.as_str())
    })
    .await;
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E014}")
        .await
        .unwrap();
    eventually("ArrowRight moves to the second tile", || async {
        focused_tile(&client).await.as_deref() == Some(second.as_str())
    })
    .await;
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("l")
        .await
        .unwrap();
    let liked =
        format!("SELECT count(*) AS value FROM judgements WHERE image_id = {second} AND liked = 1");
    eventually("L hearts the focused image", || async {
        app.lib.count(&liked) == 1
    })
    .await;
    eventually("its tile shows my heart", || async {
        client
            .find_all(Locator::Css(&format!(
                ".tile[data-id='{second}'] .mine .like"
            )))
            .await
            .map(|found| !found.is_empty())
            .unwrap_or(false)
    })
    .await;
    assert_eq!(
        focused_tile(&client).await.as_deref(),
        Some(second.as_str()),
        "the focus stays on the rated tile"
    );
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
    eventually("Enter opens the image", || async {
        client.current_url().await.unwrap().path() == format!("/images/{second}")
    })
    .await;
    client.close().await.unwrap();
}
