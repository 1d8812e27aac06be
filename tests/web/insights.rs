//! Recommendations and "prompts like this that worked" through the real server: the API's
//! parameters, the page without JavaScript, and the trash rule for the like-this list.

use serde_json::Value;

use super::api_client::{Api, ids_in};
use crate::support::TestLibrary;
use crate::support::app::TestApp;

/// A generated library where every image is judged OK but every fifth, which is KO.
async fn judged_app() -> TestApp {
    let lib = TestLibrary::generated();
    lib.import();
    assert!(
        lib.sdreview(&["user", "add", "ann", "--role", "reviewer"])
            .status
            .success()
    );
    lib.execute(
        "INSERT INTO judgements (image_id, user_id, liked, status, created_at, updated_at)
         SELECT i.id, (SELECT id FROM users WHERE name = 'ann'), 0,
                CASE WHEN i.id % 5 = 0 THEN 'ko' ELSE 'ok' END, datetime('now'), datetime('now')
         FROM images i WHERE i.broken IS NULL AND i.on_disk",
    );
    TestApp::serve(lib).await
}

#[tokio::test]
async fn like_this_lists_ok_images_sharing_prompt_words_most_similar_first_and_never_the_trash() {
    let app = judged_app().await;
    let image = app.lib.count(
        "SELECT min(id) AS value FROM images WHERE prompt_id IS NOT NULL AND broken IS NULL",
    );
    let viewer = Api::as_role(&app, "viewer", "viewer");
    let admin = Api::as_role(&app, "admin", "admin");
    let (status, body) = viewer.get(&format!("/api/images/{image}/like-this")).await;
    assert_eq!(status, 200, "{body}");
    let found = ids_in(&body);
    assert!(!found.is_empty(), "{body}");
    assert!(!found.contains(&image), "not the image itself");
    let similarities: Vec<f64> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["similarity"].as_f64().unwrap())
        .collect();
    assert!(
        similarities.windows(2).all(|w| w[0] >= w[1]),
        "most similar first: {similarities:?}"
    );
    let own_prompt = app
        .lib
        .text(&format!(
            "SELECT lower(p.text) AS value FROM images i JOIN prompt_texts p ON p.id = i.prompt_id WHERE i.id = {image}"
        ))
        .unwrap();
    for item in body.as_array().unwrap() {
        let id = item["id"].as_i64().unwrap();
        assert_eq!(
            app.lib.count(&format!(
                "SELECT count(*) AS value FROM images WHERE id = {id} AND ok_count > 0 AND ko_count = 0"
            )),
            1,
            "only judged-OK images: {item}"
        );
        let shared = item["shared_words"].as_array().unwrap();
        assert!(!shared.is_empty(), "{item}");
        for word in shared {
            assert!(
                own_prompt.contains(word.as_str().unwrap()),
                "{word} is in {own_prompt}"
            );
        }
        assert!(
            item["prompt"].is_string() && item.get("seed").is_some() && item.get("model").is_some()
        );
    }

    let best = found[0];
    assert_eq!(admin.delete(&format!("/api/images/{best}")).await.0, 200);
    let (_, body) = viewer.get(&format!("/api/images/{image}/like-this")).await;
    assert!(
        !ids_in(&body).contains(&best),
        "a viewer is not shown the trash: {body}"
    );
    let (_, body) = admin.get(&format!("/api/images/{image}/like-this")).await;
    assert!(ids_in(&body).contains(&best), "an admin is: {body}");

    let (status, body) = viewer
        .get(&format!("/api/images/{image}/like-this?limit=500"))
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["field"], "limit", "{body}");
    let (status, body) = viewer
        .get(&format!("/api/images/{image}/like-this?colour=red"))
        .await;
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().contains("`limit` only"),
        "{body}"
    );

    // The image page does not wait for the prompt index: its box loads when scrolled to, or
    // comes with the page when asked for (without JavaScript).
    let page = app.browser("reader", "viewer").await;
    let listed = format!("href=\"/images/{}\"", found[1]);
    let html = page.get_text(&format!("/images/{image}")).await;
    assert!(html.contains("Prompts like this that worked"), "{html}");
    assert!(
        html.contains(&format!("hx-get=\"/images/{image}/like-this\"")),
        "{html}"
    );
    let with = page.get_text(&format!("/images/{image}?like_this=1")).await;
    assert!(with.contains(&listed), "{with}");
    let fragment = page.get_text(&format!("/images/{image}/like-this")).await;
    assert!(
        fragment.contains(&listed) && !fragment.contains("<html"),
        "{fragment}"
    );
}

#[tokio::test]
async fn recommendations_answer_for_a_model_and_refuse_what_they_do_not_take() {
    let app = judged_app().await;
    let model = app
        .lib
        .text("SELECT model_name AS value FROM sessions WHERE model_name IS NOT NULL LIMIT 1")
        .unwrap();
    let viewer = Api::as_role(&app, "viewer", "viewer");
    let (status, body) = viewer
        .get(&format!("/api/insights/recommendations?model={model}"))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["model"], model.as_str());
    let judged = app.lib.count(&format!(
        "SELECT count(*) AS value FROM images i JOIN sessions s ON s.id = i.session_id
         WHERE s.model_name = '{model}' AND i.ok_count + i.ko_count > 0 AND i.on_disk"
    ));
    assert_eq!(body["judged"].as_i64(), Some(judged), "{body}");
    for list in ["drop", "keep", "drop_pairs"] {
        assert!(body[list].is_array(), "{body}");
    }

    let (status, body) = viewer.get("/api/insights/recommendations?sort=ko").await;
    assert_eq!(status, 400);
    assert_eq!(body["field"], "sort");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("`model` and `template`"),
        "{body}"
    );
    let (status, body) = viewer
        .get("/api/insights/recommendations?model=no_such_model")
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["field"], "model");
    assert!(
        body["valid"]
            .as_array()
            .unwrap()
            .contains(&Value::from(model.as_str()))
    );

    let page = app.browser("reader", "viewer").await;
    let html = page.get_text(&format!("/insights?model={model}")).await;
    assert!(html.contains("Recommendations for the next run"), "{html}");
    assert!(
        html.contains(&format!("<option value=\"{model}\" selected>")),
        "{html}"
    );
    let values = page
        .get(&format!("/insights/values.json?model={model}"))
        .await;
    assert_eq!(values.status(), 200);
    let file: Value = values.json().await.unwrap();
    assert_eq!(file["model"], model.as_str());
    assert!(file["keep"].is_object() && file["drop"].is_object());
    let prompts = page
        .get_text(&format!("/insights/prompts.txt?model={model}"))
        .await;
    assert!(!prompts.trim().is_empty());
}
