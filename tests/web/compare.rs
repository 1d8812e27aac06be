//! Compare by seed over HTTP: images grouped by seed and their other values, each value's
//! success rate over the whole set, rating in place with htmx or a plain form.

use crate::support::app::TestApp;

/// A session whose images share one seed and differ in their placeholders' values.
pub fn fixed_seed_session(app: &TestApp) -> i64 {
    app.lib.count(
        "SELECT i.session_id AS value FROM images i
         JOIN image_variations iv ON iv.image_id = i.id
         WHERE i.broken IS NULL AND i.seed IS NOT NULL
         GROUP BY i.session_id, i.seed HAVING count(DISTINCT i.id) > 3
         ORDER BY i.session_id LIMIT 1",
    )
}

pub fn placeholder_of(app: &TestApp, session: i64) -> String {
    app.lib
        .text(&format!(
            "SELECT v.placeholder AS value FROM variations v
             JOIN image_variations iv ON iv.variation_id = v.id
             JOIN images i ON i.id = iv.image_id
             WHERE i.session_id = {session}
             GROUP BY v.placeholder HAVING count(DISTINCT v.value) > 1
             ORDER BY v.placeholder LIMIT 1"
        ))
        .unwrap()
}

#[tokio::test]
async fn images_that_differ_only_in_the_placeholder_stand_side_by_side_with_each_values_rate() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let session = fixed_seed_session(&app);
    let placeholder = placeholder_of(&app, session);
    let session_page = ana.get_text(&format!("/sessions/{session}")).await;
    assert!(
        session_page.contains(&format!("Compare {{{placeholder}}}")),
        "the session offers the comparison"
    );
    let query = format!(
        "session={session}&placeholder={}",
        sdreview::web::href::url_escape(&placeholder)
    );
    let page = ana.get_text(&format!("/compare?{query}")).await;
    assert!(page.contains("Over the whole set"));
    assert!(page.contains("not judged yet"));
    let cards = page.matches("class=\"cmp-card\"").count();
    assert!(cards >= 2, "at least one pair side by side: {cards}");
    assert!(page.contains("class=\"cmp-row\""));

    // Every card of a row shares the seed and the other values: check one row.
    let row = page.split("class=\"cmp-row\"").nth(1).unwrap();
    let row = &row[..row.find("</section>").unwrap()];
    let ids: Vec<i64> = row
        .split("id=\"image-")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect();
    assert!(ids.len() >= 2);
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    assert_eq!(
        app.lib.count(&format!(
            "SELECT count(DISTINCT seed) AS value FROM images WHERE id IN ({list})"
        )),
        1,
        "one seed per row"
    );
    assert_eq!(
        app.lib.count(&format!(
            "SELECT count(DISTINCT v.value) AS value FROM image_variations iv
             JOIN variations v ON v.id = iv.variation_id
             WHERE iv.image_id IN ({list}) AND v.placeholder = '{placeholder}'"
        )),
        ids.len() as i64,
        "each card shows another value"
    );

    // Rated in place with htmx: the card comes back; the rate at the top follows.
    let response = ana
        .post(
            &format!("/compare/images/{}?{query}", ids[0]),
            &[("action", "ko"), ("category", "noise")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let card = response.text().await.unwrap();
    assert!(
        card.trim_start().starts_with("<article class=\"cmp-card\""),
        "{card}"
    );
    assert!(card.contains("value=\"ko\" aria-pressed=\"true\""));
    ana.post(
        &format!("/compare/images/{}?{query}", ids[1]),
        &[("action", "ok")],
    )
    .await;
    let page = ana.get_text(&format!("/compare?{query}")).await;
    assert!(page.contains("0 % OK"), "the KO'd value");
    assert!(page.contains("100 % OK"), "the OK'd value");
}

#[tokio::test]
async fn a_comparison_rates_with_a_plain_form_and_refuses_a_set_it_cannot_name() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let session = fixed_seed_session(&app);
    let image = app.lib.count(&format!(
        "SELECT id AS value FROM images WHERE session_id = {session} AND broken IS NULL LIMIT 1"
    ));
    let response = ana
        .client
        .post(format!(
            "{}/compare/images/{image}?session={session}",
            ana.base
        ))
        .form(&[("action", "perfect"), ("csrf_token", ana.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let back = response.headers()["location"].to_str().unwrap();
    assert!(
        back.starts_with(&format!("/compare?session={session}")),
        "{back}"
    );
    assert!(back.ends_with(&format!("#image-{image}")));
    assert_eq!(
        app.lib.count(&format!(
            "SELECT count(*) AS value FROM judgements WHERE image_id = {image} AND quality = 'perfect'"
        )),
        1
    );
    let refused = ana.get("/compare?placeholder=Subject").await;
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.unwrap().contains("`session`"));
}
