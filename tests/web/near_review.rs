//! Review through near-duplicate groups (`group=near`): one decision on the image shown is
//! the whole group's (a judgement row each), its undo takes the group back, and "keep the
//! best, trash the rest" is one admin action; all as plain forms.

use crate::support::app::TestApp;
use crate::support::near_library::{groups_when, ids_by_name, planted_group, planted_library};

/// How many of `ids` carry a verdict of the user's.
fn judged_by(app: &TestApp, user: &str, ids: &[i64]) -> i64 {
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    app.lib.count(&format!(
        "SELECT count(*) AS value FROM judgements j JOIN users u ON u.id = j.user_id \
         WHERE u.name = '{user}' AND j.image_id IN ({}) \
         AND (j.status IS NOT NULL OR j.quality IS NOT NULL OR j.liked)",
        list.join(",")
    ))
}

fn moved_on(status: reqwest::StatusCode) -> bool {
    status.is_redirection() || status.is_success()
}

#[tokio::test]
async fn one_decision_judges_the_whole_group_and_undo_takes_it_all_back() {
    let app = TestApp::serve_hashing(planted_library()).await;
    let ids = ids_by_name(&app.lib);
    let planted = planted_group(&ids);
    groups_when(&app.lib, |g| g.len() == planted.len()).await;
    let rita = app.browser("rita", "reviewer").await;

    let page = rita.get_text("/review?group=near").await;
    assert!(
        page.contains("stands for 4 near-duplicates"),
        "the screen says what a decision covers"
    );
    assert!(
        !page.contains("keep-best"),
        "a reviewer is not offered the trash"
    );

    let shown = ids["copy_dotted.png"];
    let decided = rita
        .post_form(
            &format!("/review/images/{shown}?group=near"),
            &[("action", "restore"), ("status", "ok")],
        )
        .await;
    assert!(moved_on(decided.status()), "{}", decided.status());
    assert_eq!(
        judged_by(&app, "rita", &planted),
        4,
        "a judgement row for each image of the group"
    );
    assert_eq!(
        app.lib.count(&format!(
            "SELECT count(*) AS value FROM judgements WHERE status = 'ok' AND image_id IN ({})",
            planted
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        )),
        4
    );
    assert_eq!(
        judged_by(&app, "rita", &[ids["scene2.png"]]),
        0,
        "nothing outside the group"
    );

    let undone = rita
        .post_form(
            &format!("/review/images/{shown}?group=near"),
            &[("action", "restore"), ("undo", "1")],
        )
        .await;
    assert!(moved_on(undone.status()), "{}", undone.status());
    assert_eq!(
        judged_by(&app, "rita", &planted),
        0,
        "the undo takes the whole group back"
    );

    // Without the switch a decision is the one image's, as always.
    rita.post_form(
        &format!("/review/images/{shown}"),
        &[("action", "restore"), ("status", "ok")],
    )
    .await;
    assert_eq!(judged_by(&app, "rita", &planted), 1);
}

#[tokio::test]
async fn keep_the_best_trashes_the_rest_of_the_group_and_only_an_admin_may() {
    let app = TestApp::serve_hashing(planted_library()).await;
    let ids = ids_by_name(&app.lib);
    let planted = planted_group(&ids);
    groups_when(&app.lib, |g| g.len() == planted.len()).await;
    let best = ids["copy_resized.png"];
    let trashed = |app: &TestApp| {
        app.lib.count(&format!(
            "SELECT count(*) AS value FROM images WHERE is_deleted AND id IN ({})",
            planted
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        ))
    };

    let rita = app.browser("rita", "reviewer").await;
    let refused = rita
        .post_form(&format!("/review/images/{best}/keep-best?group=near"), &[])
        .await;
    assert_eq!(refused.status(), 403, "the trash is an admin's");
    assert_eq!(trashed(&app), 0);

    let ada = app.browser("ada", "admin").await;
    let page = ada.get_text("/review?group=near").await;
    assert!(
        page.contains("Keep this one, trash the other <span class=\"rv-group-others\">3</span>"),
        "an admin is offered it"
    );
    let kept = ada
        .post_form(&format!("/review/images/{best}/keep-best?group=near"), &[])
        .await;
    assert!(moved_on(kept.status()), "{}", kept.status());
    assert_eq!(trashed(&app), 3, "the other three are in the trash");
    assert_eq!(
        app.lib.count(&format!(
            "SELECT is_deleted AS value FROM images WHERE id = {best}"
        )),
        0,
        "the best stays"
    );

    let alone = ada
        .post_form(
            &format!("/review/images/{}/keep-best", ids["scene2.png"]),
            &[],
        )
        .await;
    assert_eq!(
        alone.status(),
        400,
        "an image with no near-duplicates has nothing to trash"
    );
}

#[tokio::test]
async fn every_image_the_queue_hands_out_says_which_group_it_stands_for() {
    let app = TestApp::serve_hashing(planted_library()).await;
    let ids = ids_by_name(&app.lib);
    let planted = planted_group(&ids);
    groups_when(&app.lib, |g| g.len() == planted.len()).await;
    let admin = app.browser("ada", "admin").await;
    // A later page, as the script asks for it: each image says whether it stands for a group.
    let response = admin
        .get(&format!(
            "/review/queue?group=near&cursor={}",
            ids["copy_dotted.png"]
        ))
        .await;
    let page: serde_json::Value = response.json().await.unwrap();
    let items = page["items"].as_array().unwrap();
    assert!(!items.is_empty());
    for item in items {
        let id = item["id"].as_i64().unwrap();
        if planted.contains(&id) {
            assert_eq!(
                item["group"]["count"], 4,
                "{id} stands for its group: {page}"
            );
        } else {
            assert!(item["group"].is_null(), "{id} stands for no group: {page}");
        }
    }
    let first: serde_json::Value = admin
        .get("/review/queue?group=near")
        .await
        .json()
        .await
        .unwrap();
    let shown = &first["items"][0];
    assert!(planted.contains(&shown["id"].as_i64().unwrap()));
    assert_eq!(shown["group"]["count"], 4, "{first}");
    assert!(
        shown["group"]["keep_url"]
            .as_str()
            .unwrap()
            .contains("/keep-best"),
        "an admin is offered keep-the-best for each image: {first}"
    );
}
