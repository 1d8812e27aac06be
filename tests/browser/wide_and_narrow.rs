//! Room used well: a trash card keeps the end of a long file name in sight, a gallery fills an
//! ultra-wide screen, and the filter panel stays as it was after Back.

use crate::driver::{Driver, Screen, eventually, find};
use crate::sign_in::sign_in;
use crate::support::app::TestApp;

#[tokio::test]
async fn a_trash_card_keeps_the_end_of_a_long_file_name_in_sight() {
    let app = TestApp::spawn().await;
    let name = "20250101_120000-a-long-generator-prefix-for-every-file-00042-3130901899.png";
    let image = app
        .lib
        .count("SELECT id AS value FROM images WHERE broken IS NULL ORDER BY id LIMIT 1");
    app.lib.execute(&format!(
        "UPDATE images SET filename = '{name}', is_deleted = 1 WHERE id = {image}"
    ));
    let admin = app.add_user("ada", "admin");
    let driver = Driver::start().await;
    let client = driver.open(Screen::PHONE).await;
    sign_in(&client, &app, &admin).await;
    client
        .goto(&format!("{}/trash", app.address))
        .await
        .unwrap();
    find(&client, ".trash-image .name").await;
    let shown = client
        .execute(
            "const name = document.querySelector('.trash-image .name');
             const end = name.querySelector('.end');
             const [n, e] = [name.getBoundingClientRect(), end.getBoundingClientRect()];
             return { end: end.textContent, inside: e.right <= n.right + 0.5 && e.left >= n.left - 0.5,
                      whole: end.scrollWidth <= end.clientWidth + 1, cut: name.querySelector('.start').scrollWidth > name.querySelector('.start').clientWidth };",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        shown["end"].as_str(),
        Some(&name[name.len() - 16..]),
        "the counter and seed"
    );
    assert_eq!(shown["inside"].as_bool(), Some(true), "the end is in sight");
    assert_eq!(shown["whole"].as_bool(), Some(true), "the end is whole");
    assert_eq!(shown["cut"].as_bool(), Some(true), "the middle gave way");
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_gallery_uses_the_width_of_an_ultra_wide_screen() {
    let app = TestApp::spawn().await;
    let session = app.lib.count(
        "SELECT session_id AS value FROM images GROUP BY session_id ORDER BY count(*) DESC LIMIT 1",
    );
    let viewer = app.add_user("vera", "viewer");
    let driver = Driver::start().await;
    let client = driver.open(Screen::ULTRAWIDE).await;
    sign_in(&client, &app, &viewer).await;
    client
        .goto(&format!("{}/sessions/{session}", app.address))
        .await
        .unwrap();
    find(&client, "#gallery-results .tile").await;
    let width = client
        .execute(
            "return document.getElementById('gallery-results').getBoundingClientRect().width",
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(
        width >= 2400.0,
        "the gallery is {width} px wide on a 2560 px screen"
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_desktop_filter_panel_stays_open_after_back() {
    let app = TestApp::spawn().await;
    let viewer = app.add_user("bea", "viewer");
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    sign_in(&client, &app, &viewer).await;
    client
        .goto(&format!("{}/sessions", app.address))
        .await
        .unwrap();
    let name = find(&client, "#filter-q").await;
    assert!(name.is_displayed().await.unwrap(), "open on a desktop");
    name.send_keys("robot\u{E007}").await.unwrap();
    eventually("the filter is in the address", || async {
        client
            .current_url()
            .await
            .unwrap()
            .query()
            .unwrap_or_default()
            .contains("q=robot")
    })
    .await;
    client.back().await.unwrap();
    eventually("Back restores the list", || async {
        !client
            .current_url()
            .await
            .unwrap()
            .query()
            .unwrap_or_default()
            .contains("q=robot")
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let open = client
        .execute(
            "return document.querySelector('details.filters').open && document.getElementById('filter-q').offsetParent !== null",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(open.as_bool(), Some(true), "the panel is still open");
    client.close().await.unwrap();
}
