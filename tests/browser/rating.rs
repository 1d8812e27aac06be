use fantoccini::{Client, Locator};

use crate::driver::{Driver, Screen, attribute, eventually, find};
use crate::fit;
use crate::sign_in::sign_in;
use crate::support::app::TestApp;

const ENTER: &str = "\u{E007}";
const TAB: &str = "\u{E004}";

fn judgement(app: &TestApp, image: i64, column: &str) -> Option<String> {
    app.lib.text(&format!(
        "SELECT coalesce((SELECT CAST({column} AS TEXT) FROM judgements WHERE image_id = {image}), '') AS value"
    ))
}

async fn press(client: &Client, keys: &str) {
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

/// Signs a new reviewer in and opens a readable image's page; returns the image's id.
async fn on_an_image_page(client: &Client, app: &TestApp, name: &str) -> i64 {
    let reviewer = app.add_user(name, "reviewer");
    sign_in(client, app, &reviewer).await;
    let image = an_image(app);
    client
        .goto(&format!("{}/images/{image}", app.address))
        .await
        .unwrap();
    image
}

fn an_image(app: &TestApp) -> i64 {
    app.lib.count("SELECT id AS value FROM images WHERE broken IS NULL AND format = 'png' ORDER BY id LIMIT 1")
}

/// Buttons toggle at once, keys do the same, and U undoes the last change.
async fn rates_with_buttons_and_keys(client: Client, app: &TestApp) {
    let image = on_an_image_page(&client, app, "ida").await;

    find(&client, "#rate-like").await.click().await.unwrap();
    eventually("the heart is saved", || async {
        judgement(app, image, "liked").as_deref() == Some("1")
    })
    .await;
    eventually("the heart shows as pressed", || async {
        attribute(&client, "#rate-like", "aria-pressed")
            .await
            .as_deref()
            == Some("true")
    })
    .await;

    press(&client, "p").await;
    eventually("P saves thumbs up", || async {
        judgement(app, image, "quality").as_deref() == Some("perfect")
    })
    .await;
    press(&client, "u").await;
    eventually("U takes thumbs up back", || async {
        judgement(app, image, "quality").as_deref() == Some("")
    })
    .await;
    assert_eq!(
        judgement(app, image, "liked").as_deref(),
        Some("1"),
        "undo only undid the last change"
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_reviewer_rates_with_buttons_and_keys_on_a_desktop() {
    let app = TestApp::spawn().await;
    let driver = Driver::start().await;
    rates_with_buttons_and_keys(driver.desktop().await, &app).await;
}

#[tokio::test]
async fn a_reviewer_rates_with_a_finger_on_a_phone() {
    let app = TestApp::spawn().await;
    let driver = Driver::start().await;
    let client = driver.phone().await;
    let image = on_an_image_page(&client, &app, "jo").await;
    let button = find(&client, "#rate-imperfect").await;
    let height: f64 = client
        .execute(
            "return document.getElementById('rate-imperfect').getBoundingClientRect().height",
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(height >= 44.0, "touch target is {height} px");
    button.click().await.unwrap();
    eventually("thumbs down is saved", || async {
        judgement(&app, image, "quality").as_deref() == Some("imperfect")
    })
    .await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_ko_dialog_works_with_the_keyboard_alone() {
    let app = TestApp::spawn().await;
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    let image = on_an_image_page(&client, &app, "kim").await;
    find(&client, "#rating-panel").await;

    press(&client, "k").await;
    let open = || async {
        client
            .execute("return document.getElementById('ko-dialog').open", vec![])
            .await
            .unwrap()
            .as_bool()
            .unwrap()
    };
    eventually("K opens the dialog", || async { open().await }).await;
    let focus_inside: bool = client
        .execute(
            "return document.getElementById('ko-dialog').contains(document.activeElement)",
            vec![],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap();
    assert!(focus_inside, "focus moves into the dialog");

    // Escape closes it and gives focus back to the KO button.
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E00C}")
        .await
        .unwrap();
    eventually("Esc closes the dialog", || async { !open().await }).await;
    eventually("focus returns to the KO button", || async {
        client
            .execute("return document.activeElement.id", vec![])
            .await
            .unwrap()
            .as_str()
            == Some("rate-ko")
    })
    .await;

    press(&client, "k").await;
    eventually("K opens it again", || async { open().await }).await;
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("2")
        .await
        .unwrap();
    let notes = client
        .find(Locator::Css("#ko-dialog textarea"))
        .await
        .unwrap();
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(TAB)
        .await
        .unwrap();
    let in_notes: bool = client
        .execute(
            "return document.activeElement.tagName === 'TEXTAREA'",
            vec![],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap();
    if in_notes {
        notes.send_keys("hands").await.unwrap();
    }
    // Tab on to Save and press Enter.
    for _ in 0..5 {
        let label: String = client
            .execute("return document.activeElement.textContent.trim()", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if label == "Save KO" {
            break;
        }
        client
            .active_element()
            .await
            .unwrap()
            .send_keys(TAB)
            .await
            .unwrap();
    }
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(ENTER)
        .await
        .unwrap();
    eventually("the KO is saved with the second category", || async {
        judgement(&app, image, "status").as_deref() == Some("ko")
    })
    .await;
    assert_eq!(
        judgement(&app, image, "failure_category").as_deref(),
        Some("noise")
    );
    if in_notes {
        assert_eq!(
            judgement(&app, image, "failure_notes").as_deref(),
            Some("hands")
        );
    }
    eventually("the dialog closes", || async { !open().await }).await;
    client.close().await.unwrap();
}

/// With a KO category saved, "KO · Noise or artefacts" once pushed its button past a phone's
/// edge and squeezed the other four. Every label fits its button, from 320 px to 2560 px.
#[tokio::test]
async fn the_rating_buttons_fit_every_screen_with_a_ko_category_saved() {
    let app = TestApp::spawn().await;
    let driver = Driver::start().await;
    let reviewer = app.add_user("kai", "reviewer");
    let image = an_image(&app);
    app.lib.execute(&format!(
        "INSERT INTO judgements (image_id, user_id, quality, liked, status, failure_category, failure_notes, created_at, updated_at)
         SELECT {image}, id, 'imperfect', 1, 'ko', 'noise', 'grain everywhere', datetime('now'), datetime('now') FROM users WHERE name = 'kai'"
    ));
    for screen in [
        Screen::NARROW_PHONE,
        Screen::PHONE,
        Screen::DESKTOP,
        Screen::ULTRAWIDE,
    ] {
        let client = driver.open(screen).await;
        sign_in(&client, &app, &reviewer).await;
        client
            .goto(&format!("{}/images/{image}", app.address))
            .await
            .unwrap();
        find(&client, "#rate-ko[aria-pressed=true]").await;
        let misfits = fit::misfits(
            &client,
            ".topbar, .topbar *, .rate-bar, .rate, .rate .label",
        )
        .await;
        assert!(misfits.is_empty(), "at {}px: {misfits:#?}", screen.width);
        let widths = client
            .execute(
                "return [...document.querySelectorAll('.rate')].map(b => b.getBoundingClientRect().width)",
                vec![],
            )
            .await
            .unwrap();
        let widths: Vec<f64> = widths
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_f64().unwrap())
            .collect();
        let (narrow, wide) = widths
            .iter()
            .fold((f64::MAX, 0f64), |(lo, hi), w| (lo.min(*w), hi.max(*w)));
        assert!(
            wide - narrow < 1.0,
            "at {}px the five buttons share the bar evenly: {widths:?}",
            screen.width
        );
        let category = find(&client, "#rating-panel").await.text().await.unwrap();
        assert!(
            category.contains("Noise or artefacts"),
            "the category is still shown: {category}"
        );
        client.close().await.unwrap();
    }
}
