//! The sessions list as pictures: a cover for each session, a strip of its first images on wide
//! screens, what sets apart sessions of the same name, and a card that opens with one tap.

use fantoccini::actions::{InputSource, PointerAction, TouchActions};
use fantoccini::{Client, Locator};

use crate::driver::{Driver, Screen, eventually, find};
use crate::sign_in::sign_in;
use crate::support::app::TestApp;

/// The `src` of the images in `.sessions/{id}`'s row matching `css`, as shown.
async fn sources(client: &Client, session: i64, css: &str) -> Vec<String> {
    client
        .execute(
            "const [id, css] = arguments;
             const row = document.querySelector(`a.title[href='/sessions/${id}']`).closest('.session-row');
             return [...row.querySelectorAll(css)]
                 .filter((img) => img.getBoundingClientRect().width > 0)
                 .map((img) => new URL(img.src).pathname);",
            vec![session.into(), css.into()],
        )
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// Showable images of a session, in file order.
fn images_of(app: &TestApp, session: i64) -> Vec<i64> {
    app.lib
        .text(&format!(
            "SELECT group_concat(id) AS value FROM (SELECT id FROM images WHERE session_id = {session}
             AND broken IS NULL AND on_disk = 1 AND is_deleted = 0 ORDER BY filename, id)"
        ))
        .unwrap()
        .split(',')
        .map(|id| id.parse().unwrap())
        .collect()
}

#[tokio::test]
async fn each_session_shows_its_first_liked_image_as_cover_and_a_strip_on_a_wide_screen() {
    let app = TestApp::spawn().await;
    let sessions = "SELECT s.id FROM sessions s WHERE s.is_deleted = 0 AND s.is_archived = 0 AND s.theme IS NOT NULL
         AND (SELECT count(*) FROM images i WHERE i.session_id = s.id AND i.broken IS NULL) >= 5 ORDER BY s.id";
    let liked_session = app
        .lib
        .count(&format!("SELECT id AS value FROM ({sessions}) LIMIT 1"));
    let plain_session = app.lib.count(&format!(
        "SELECT id AS value FROM ({sessions}) LIMIT 1 OFFSET 1"
    ));
    let liked = images_of(&app, liked_session)[2];
    let rater = app.add_user("rae", "reviewer");
    app.lib.execute(&format!(
        "INSERT INTO judgements (image_id, user_id, liked, created_at, updated_at)
         SELECT {liked}, id, 1, datetime('now'), datetime('now') FROM users WHERE name = 'rae'"
    ));
    let driver = Driver::start().await;
    let client = driver.open(Screen::DESKTOP).await;
    sign_in(&client, &app, &rater).await;
    client
        .goto(&format!("{}/sessions?per_page=200", app.address))
        .await
        .unwrap();
    find(&client, "#session-list").await;

    assert_eq!(
        sources(&client, liked_session, ".cover img").await,
        [format!("/images/{liked}/thumb")],
        "the liked image is the cover"
    );
    let plain = images_of(&app, plain_session);
    assert_eq!(
        sources(&client, plain_session, ".cover img").await,
        [format!("/images/{}/thumb", plain[0])],
        "without a like, the first image is the cover"
    );
    let strip = sources(&client, plain_session, ".strip img").await;
    let expected: Vec<String> = plain[1..4]
        .iter()
        .map(|id| format!("/images/{id}/thumb"))
        .collect();
    assert_eq!(strip, expected, "the next images, in file order");

    let (theme, style) = (
        app.lib
            .text(&format!(
                "SELECT theme AS value FROM sessions WHERE id = {plain_session}"
            ))
            .unwrap(),
        app.lib
            .text(&format!(
                "SELECT coalesce(style, '') AS value FROM sessions WHERE id = {plain_session}"
            ))
            .unwrap(),
    );
    let meta = client
        .execute(
            "return document.querySelector(`a.title[href='/sessions/${arguments[0]}']`).closest('.session-row').querySelector('.meta').textContent",
            vec![plain_session.into()],
        )
        .await
        .unwrap();
    let meta = meta.as_str().unwrap();
    assert!(
        meta.contains(&theme) && meta.contains(&style),
        "the row tells its theme and style: {meta}"
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_tap_anywhere_on_a_session_card_opens_it_on_a_phone() {
    let app = TestApp::spawn().await;
    let driver = Driver::start().await;
    let client = driver.phone().await;
    let reviewer = app.add_user("tom", "reviewer");
    sign_in(&client, &app, &reviewer).await;
    client
        .goto(&format!("{}/sessions", app.address))
        .await
        .unwrap();
    let row = find(&client, "#session-list .session-row").await;
    let href = row
        .find(Locator::Css("a.title"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    // The middle of the badges, well away from the title.
    let point = client
        .execute(
            "const r = document.querySelector('#session-list .session-row .badges').getBoundingClientRect();
             return [r.left + r.width / 2, r.top + r.height / 2];",
            vec![],
        )
        .await
        .unwrap();
    let (x, y) = (point[0].as_f64().unwrap(), point[1].as_f64().unwrap());
    let tap = TouchActions::new("finger".into())
        .then(PointerAction::MoveTo {
            duration: None,
            x,
            y,
        })
        .then(PointerAction::Down { button: 0 })
        .then(PointerAction::Up { button: 0 });
    client.perform_actions(tap).await.unwrap();
    eventually("the tap opens the session", || async {
        client.current_url().await.unwrap().path() == href
    })
    .await;
    client.close().await.unwrap();
}
