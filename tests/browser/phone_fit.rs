//! Pages that ran past a phone's screen (issue 20 §4): the sessions Filters panel, a long
//! model name on a session card, the compare page. At 390 px nothing reaches past the right
//! edge, the page never pans sideways into blank space, and a long name is never cut.

use fantoccini::Client;

use crate::driver::{Driver, find};
use crate::fit::misfits;
use crate::sign_in::sign_in;
use crate::support::app::TestApp;

const LONG_MODEL: &str = "realisticVisionV60B1_v51VAE_inpainting_pruned_fp16";

/// How wide the page is against its viewport: more means it pans sideways.
async fn page_width(client: &Client) -> (i64, i64) {
    let sizes = client
        .execute(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]",
            vec![],
        )
        .await
        .unwrap();
    (sizes[0].as_i64().unwrap(), sizes[1].as_i64().unwrap())
}

#[tokio::test]
async fn the_filters_a_long_model_name_and_the_compare_page_fit_a_phone() {
    let app = TestApp::spawn().await;
    let session = app.lib.count(
        "SELECT i.session_id AS value FROM images i
         JOIN image_variations iv ON iv.image_id = i.id
         WHERE i.broken IS NULL AND i.seed IS NOT NULL
         GROUP BY i.session_id, i.seed HAVING count(DISTINCT i.id) > 3
         ORDER BY i.session_id LIMIT 1",
    );
    let placeholder = app
        .lib
        .text(&format!(
            "SELECT v.placeholder AS value FROM variations v
             JOIN image_variations iv ON iv.variation_id = v.id
             JOIN images i ON i.id = iv.image_id
             WHERE i.session_id = {session}
             GROUP BY v.placeholder HAVING count(DISTINCT v.value) > 1
             ORDER BY v.placeholder LIMIT 1"
        ))
        .unwrap();
    app.lib
        .execute(&format!("UPDATE sessions SET model_name = '{LONG_MODEL}'"));
    let rita = app.add_user("rita", "reviewer");
    let driver = Driver::start().await;
    let client = driver.phone().await;
    sign_in(&client, &app, &rita).await;

    client
        .goto(&format!("{}/sessions", app.address))
        .await
        .unwrap();
    find(&client, ".filters > summary")
        .await
        .click()
        .await
        .unwrap();
    find(&client, ".filters[open] .filter-form").await;
    let outside = misfits(
        &client,
        ".filters, .filters *, .session-row .meta, .session-row .meta *",
    )
    .await;
    assert!(outside.is_empty(), "{outside:#?}");
    let title = find(&client, ".session-row .meta .model")
        .await
        .attr("title")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        title.contains(LONG_MODEL),
        "the whole name in its title: {title}"
    );
    // A long name wraps beside its separator: its first letters are not under the clip that
    // hides a line's leading separator (they were: "alisticVision…").
    let hidden = client
        .execute(
            "const model = document.querySelector('.session-row .meta .model');
             const text = [...model.childNodes].find(n => n.nodeType === Node.TEXT_NODE);
             const range = document.createRange();
             range.setStart(text, 0);
             range.setEnd(text, 1);
             const first = range.getBoundingClientRect().left;
             const shown = model.closest('.what').getBoundingClientRect().left;
             return shown - first;",
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(
        hidden < 0.5,
        "the model name's first letter starts {hidden:.1} px left of what is shown"
    );
    let (wide, screen) = page_width(&client).await;
    assert!(
        wide <= screen,
        "/sessions is {wide} px wide on a {screen} px screen"
    );

    let query = format!(
        "session={session}&placeholder={}",
        sdreview::web::href::url_escape(&placeholder)
    );
    client
        .goto(&format!("{}/compare?{query}", app.address))
        .await
        .unwrap();
    find(&client, ".cmp-card").await;
    let (wide, screen) = page_width(&client).await;
    assert!(
        wide <= screen,
        "/compare is {wide} px wide on a {screen} px screen"
    );
}
