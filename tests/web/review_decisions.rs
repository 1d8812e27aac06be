//! Review decisions over HTTP: blind mode on the server, decisions safe to send twice, a stale
//! decision from another device refused as a conflict, plain forms with their CSRF field,
//! roles, images outside the queue, bad parameters, the screen rendition, the summary of a
//! pass, and the gallery's one-request rating.

use serde_json::Value;

use crate::review::{decide, ids, queue, session_of};
use crate::support::app::{Browser, TestApp};

/// A verdict as the review script writes it: quality, liked, status, category, notes.
type Shown = [&'static str; 5];
const NOTHING: Shown = ["", "", "", "", ""];
const PERFECT_OK: Shown = ["perfect", "", "ok", "", ""];

/// A decision as the review script sends it: the whole verdict, and the verdict the device
/// showed when it was made (`was_*`). The answer's status and JSON.
async fn decide_against(
    browser: &Browser,
    image: i64,
    verdict: &[(&str, &str)],
    was: Shown,
) -> (u16, Value) {
    let names = ["quality", "liked", "status", "category", "notes"];
    let was: Vec<(String, &str)> = names
        .iter()
        .zip(was)
        .map(|(name, value)| (format!("was_{name}"), value))
        .collect();
    let mut form: Vec<(&str, &str)> = vec![("action", "restore")];
    form.extend_from_slice(verdict);
    form.extend(was.iter().map(|(name, value)| (name.as_str(), *value)));
    let response = browser
        .client
        .post(format!("{}/review/images/{image}", browser.base))
        .header("X-CSRF-Token", &browser.csrf)
        .header("Accept", "application/json")
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let json = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json");
    let body = response.text().await.unwrap();
    match json {
        true => (status, serde_json::from_str(&body).unwrap()),
        false => (status, Value::String(body)),
    }
}

/// Ana's stored verdict on an image, as "quality/status/category" (empty for none).
fn stored(app: &TestApp, image: i64) -> String {
    app.lib
        .text(&format!(
            "SELECT coalesce((SELECT coalesce(quality, '') || '/' || coalesce(status, '') || '/' \
             || coalesce(failure_category, '') FROM judgements WHERE image_id = {image}
             AND user_id = (SELECT id FROM users WHERE name = 'ana')), '//') AS value"
        ))
        .unwrap_or_default()
}

#[tokio::test]
async fn a_stale_decision_from_another_device_is_a_conflict_that_changes_nothing() {
    let app = TestApp::spawn().await;
    let ana = app.add_user("ana", "reviewer");
    let phone = app.sign_in(&ana).await;
    let laptop = app.sign_in(&ana).await;
    let image = crate::ratings::good_image(&app);
    let ko = [("status", "ko"), ("category", "noise")];

    // The phone, offline, judged the image KO while it had no verdict; meanwhile the laptop
    // gave it a thumbs up (perfect, OK) from the image page. Then the phone's KO arrives.
    let rated = laptop
        .post(&format!("/images/{image}/rating"), &[("action", "perfect")])
        .await;
    assert_eq!(rated.status(), 200);
    let (status, answer) = decide_against(&phone, image, &ko, NOTHING).await;
    assert_eq!(status, 409, "{answer}");
    assert_eq!(
        stored(&app, image),
        "perfect/ok/",
        "the newer verdict stays"
    );
    assert_eq!(answer["id"], image);
    assert_eq!(
        (&answer["stored"]["quality"], &answer["stored"]["status"]),
        (&"perfect".into(), &"ok".into()),
        "the verdict stored now: {answer}"
    );
    assert_eq!(
        (&answer["wanted"]["status"], &answer["wanted"]["category"]),
        (&"ko".into(), &"noise".into()),
        "and the one the phone wanted: {answer}"
    );
    assert_eq!(
        answer["item"]["id"], image,
        "with the image, to show it again"
    );
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("changed elsewhere"),
        "{answer}"
    );

    // The person picks the phone's KO: sent again against the verdict stored now.
    let (status, answer) = decide_against(&phone, image, &ko, PERFECT_OK).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(stored(&app, image), "/ko/noise");
}

#[tokio::test]
async fn a_decision_that_arrived_and_is_sent_again_is_a_success_not_a_conflict() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let image = crate::ratings::good_image(&app);
    let ko = [("status", "ko"), ("category", "noise"), ("notes", "hands")];
    let (first, _) = decide_against(&ana, image, &ko, NOTHING).await;
    // The answer got lost: the phone sends it again, still made against no verdict.
    let (again, answer) = decide_against(&ana, image, &ko, NOTHING).await;
    assert_eq!((first, again), (200, 200), "{answer}");
    assert_eq!(
        answer["before"], answer["mine"],
        "nothing changed the second time"
    );
    assert_eq!(answer["mine"]["notes"], "hands");
    assert_eq!(
        app.lib.count(&format!(
            "SELECT ko_count AS value FROM images WHERE id = {image}"
        )),
        1,
        "counted once"
    );
}

#[tokio::test]
async fn a_plain_form_without_the_verdict_it_was_made_against_is_applied_as_before() {
    let app = TestApp::spawn().await;
    let ana = app.add_user("ana", "reviewer");
    let laptop = app.sign_in(&ana).await;
    let plain = app.sign_in(&ana).await;
    let image = crate::ratings::good_image(&app);
    laptop
        .post(&format!("/images/{image}/rating"), &[("action", "perfect")])
        .await;
    let response = plain
        .post_form(
            &format!("/review/images/{image}"),
            &[
                ("action", "restore"),
                ("status", "ko"),
                ("category", "noise"),
            ],
        )
        .await;
    assert_eq!(
        response.status(),
        303,
        "a plain form still goes on to the next image"
    );
    assert_eq!(
        stored(&app, image),
        "/ko/noise",
        "and its decision is applied"
    );
    let (status, answer) =
        decide_against(&laptop, image, &[("liked", "1")], ["great", "", "", "", ""]).await;
    assert_eq!(status, 400, "a verdict it was made against must be one");
    assert!(answer.to_string().contains("was_quality"), "{answer}");
    assert_eq!(stored(&app, image), "/ko/noise");
}

#[tokio::test]
async fn blind_mode_sends_no_other_verdict_until_i_have_given_mine() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let bo = app.browser("bo", "reviewer").await;
    let session = session_of(&app, 2);
    let query = format!("session={session}");
    let first = ids(&queue(&ana, &query).await)[0];
    decide(
        &bo,
        first,
        &query,
        &[("status", "ko"), ("category", "noise")],
    )
    .await;

    let page = queue(&ana, &query).await;
    assert!(page["items"][0]["others"].is_null(), "{}", page["items"][0]);
    let text = serde_json::to_string(&page).unwrap();
    assert!(
        !text.contains("\"bo\"") && !text.contains("noise"),
        "{text}"
    );
    let html = ana.get_text(&format!("/review?{query}")).await;
    assert!(html.contains("&#34;others&#34;:null"), "nor does the page");
    assert!(!html.contains("&#34;bo&#34;"));

    let answer = decide(&ana, first, &query, &[("quality", "perfect")]).await;
    assert_eq!(answer["mine"]["quality"], "perfect");
    assert_eq!(answer["others"][0]["name"], "bo");
    assert_eq!(answer["others"][0]["verdict"]["category"], "noise");

    // The queue's blind=0 cannot lift the household's blind review.
    let second = ids(&queue(&ana, &query).await)[0];
    decide(&bo, second, &query, &[("liked", "1")]).await;
    let still = queue(&ana, &format!("{query}&blind=0")).await;
    assert_eq!(still["items"][0]["id"], second);
    assert!(
        still["items"][0]["others"].is_null(),
        "{}",
        still["items"][0]
    );

    // With the household's blind review off, blind=0 shows them at once.
    app.lib
        .execute("INSERT INTO owner_settings (name, value) VALUES ('blind_review', 'off')");
    let open = queue(&ana, &format!("{query}&blind=0")).await;
    assert_eq!(open["items"][0]["id"], second);
    assert_eq!(open["items"][0]["others"][0]["name"], "bo");
    let queue_blind = queue(&ana, &query).await;
    assert!(
        queue_blind["items"][0]["others"].is_null(),
        "the queue's own blind mode still holds"
    );
}

#[tokio::test]
async fn a_decision_sent_twice_changes_nothing_the_second_time() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let image = crate::ratings::good_image(&app);
    let verdict = [
        ("quality", "imperfect"),
        ("liked", "1"),
        ("status", "ko"),
        ("category", "malformed"),
        ("notes", "hands"),
    ];
    let once = decide(&ana, image, "", &verdict).await;
    let twice = decide(&ana, image, "", &verdict).await;
    assert_eq!(once["mine"], twice["mine"]);
    assert_eq!(
        twice["before"], twice["mine"],
        "the retry found it already there"
    );
    let counters = app.lib.count(&format!(
        "SELECT like_count * 100 + imperfect_count * 10 + ko_count AS value FROM images WHERE id = {image}"
    ));
    assert_eq!(counters, 111, "counted once");
}

#[tokio::test]
async fn an_image_outside_the_queue_is_rated_as_any_image_and_the_answer_holds_no_more() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let bo = app.browser("bo", "reviewer").await;
    let session = session_of(&app, 2);
    let query = format!("session={session}"); // blind, as by default
    let elsewhere = app.lib.count(&format!(
        "SELECT min(id) AS value FROM images WHERE session_id != {session} AND on_disk
         AND broken IS NULL"
    ));
    bo.post(
        &format!("/images/{elsewhere}/rating"),
        &[("action", "ko"), ("category", "noise")],
    )
    .await;

    // Nothing given yet (a decision that leaves no verdict): the others stay hidden.
    let cleared = decide(&ana, elsewhere, &query, &[]).await;
    let mut fields: Vec<&str> = cleared
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["before", "id", "mine", "others"],
        "a rating's answer, nothing of the queue"
    );
    assert!(cleared["others"].is_null(), "{cleared}");
    // Given: the others, as the image page shows them to anyone who may rate it.
    let given = decide(&ana, elsewhere, &query, &[("liked", "1")]).await;
    assert_eq!(given["others"][0]["name"], "bo");
    assert_eq!(given["others"].as_array().unwrap().len(), 1);

    // The rating rules hold: the categories, and the trash (even for a stale decision,
    // whose conflict would show the image).
    let (status, _) = decide_against(
        &ana,
        elsewhere,
        &[("status", "ko"), ("category", "ugly")],
        ["", "1", "", "", ""],
    )
    .await;
    assert_eq!(status, 400, "an unknown category");
    app.lib.execute(&format!(
        "UPDATE images SET is_deleted = 1 WHERE id = {elsewhere}"
    ));
    let (status, answer) =
        decide_against(&ana, elsewhere, &[("quality", "perfect")], NOTHING).await;
    assert_eq!(status, 404, "{answer}");
    assert!(!answer.to_string().contains("noise"));
    assert_eq!(stored(&app, elsewhere), "//", "ana's heart only");
}

#[tokio::test]
async fn a_plain_form_posts_its_csrf_field_and_is_sent_on_to_the_next_image_with_an_undo() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let session = session_of(&app, 3);
    let query = format!("session={session}");
    let order = ids(&queue(&ana, &query).await);
    let path = format!("{}/review/images/{}?{query}", ana.base, order[0]);
    let form = |with_token: bool| {
        let mut fields = vec![
            ("action", "restore".to_owned()),
            ("quality", "perfect".to_owned()),
        ];
        if with_token {
            fields.push(("csrf_token", ana.csrf.clone()));
        }
        fields
    };
    let refused = ana
        .client
        .post(&path)
        .form(&form(false))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403, "a form without the token is refused");
    assert!(refused.text().await.unwrap().contains("security token"));
    let wrong = ana
        .client
        .post(&path)
        .form(&[("action", "restore"), ("csrf_token", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM judgements WHERE quality IS NOT NULL"),
        0,
        "nothing was written"
    );

    let sent = ana
        .client
        .post(&path)
        .form(&form(true))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    let next = sent.headers()["location"].to_str().unwrap().to_owned();
    assert!(next.starts_with("/review?"), "{next}");
    assert!(next.contains(&format!("cursor={}", order[0])), "{next}");
    assert!(next.contains(&format!("undo={}", order[0])), "{next}");
    let page = ana.get_text(&next).await;
    assert!(
        page.contains(&format!("data-id=\"{}\"", order[1])),
        "the next image"
    );
    assert!(
        page.contains("name=\"undo\" value=\"1\""),
        "with an Undo form"
    );
    assert!(page.contains(&format!("name=\"csrf_token\" value=\"{}\"", ana.csrf)));
    assert_eq!(
        app.lib.count(&format!(
            "SELECT count(*) AS value FROM judgements WHERE image_id = {} AND quality = 'perfect'",
            order[0]
        )),
        1
    );
}

#[tokio::test]
async fn a_viewer_cannot_decide_and_is_told_why() {
    let app = TestApp::spawn().await;
    let vic = app.browser("vic", "viewer").await;
    let image = crate::ratings::good_image(&app);
    let response = vic
        .post(
            &format!("/review/images/{image}"),
            &[("action", "restore"), ("quality", "perfect")],
        )
        .await;
    assert_eq!(response.status(), 403);
    assert!(response.text().await.unwrap().contains("reviewer role"));
    assert_eq!(app.lib.count("SELECT count(*) AS value FROM judgements"), 0);
    let page = vic.get_text("/review").await;
    assert!(page.contains("you can look but not rate"));
}

#[tokio::test]
async fn bad_review_parameters_are_a_400_that_says_what_is_allowed() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    for (query, says) in [
        ("order=size", "file, seed, random, likely_ko or uncertain"),
        ("blind=maybe", "1 or 0"),
        ("cursor=first", "image number"),
        ("colour=red", "unknown parameter"),
    ] {
        let response = ana.get(&format!("/review?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        assert!(response.text().await.unwrap().contains(says), "{query}");
    }
    let response = ana.get("/review/summary").await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn the_screen_rendition_is_a_cached_jpeg_of_screen_size() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "viewer").await;
    let image = app.lib.count(
        "SELECT id AS value FROM images WHERE width = 512 AND height = 768 AND broken IS NULL
         AND format = 'png' ORDER BY id LIMIT 1",
    );
    let response = ana.get(&format!("/images/{image}/screen")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let bytes = response.bytes().await.unwrap();
    let screen = image::load_from_memory(&bytes).unwrap();
    assert_eq!(
        (screen.width(), screen.height()),
        (512, 768),
        "a smaller original is never upscaled"
    );
    let again = ana
        .client
        .get(format!("{}/images/{image}/screen", ana.base))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn the_summary_counts_what_i_judged_in_this_pass_and_the_session_says_what_is_left() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let session = session_of(&app, 6);
    let total = app.lib.count(&format!(
        "SELECT count(*) AS value FROM images WHERE session_id = {session} AND on_disk AND NOT is_deleted"
    ));
    let page = ana.get_text(&format!("/sessions/{session}")).await;
    assert!(page.contains(&format!("Review {total} left")), "the way in");

    // Judged before the pass: not counted in it.
    let order = ids(&queue(&ana, &format!("session={session}")).await);
    decide(&ana, order[0], "", &[("liked", "1")]).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let review = ana.get_text(&format!("/review?session={session}")).await;
    let since = review
        .split("since=")
        .nth(1)
        .unwrap()
        .split(['&', '"'])
        .next()
        .unwrap()
        .replace("%3A", ":");
    let query = format!("session={session}&since={since}");
    decide(
        &ana,
        order[1],
        &query,
        &[("quality", "perfect"), ("status", "ok")],
    )
    .await;
    decide(
        &ana,
        order[2],
        &query,
        &[("status", "ko"), ("category", "noise")],
    )
    .await;
    decide(&ana, order[3], &query, &[("quality", "imperfect")]).await;
    let summary = ana.get_text(&format!("/review/summary?{query}")).await;
    assert!(!summary.contains("<html"), "a fragment");
    assert!(summary.contains("Pass done: 3 images judged"), "{summary}");
    assert!(summary.contains("<strong>1</strong> Thumbs up"));
    assert!(summary.contains("<strong>1</strong> Thumbs down"));
    assert!(
        summary.contains("<strong>0</strong> Hearts"),
        "the earlier heart is not in this pass"
    );
    assert!(summary.contains("<strong>1</strong> Noise"));
    assert!(summary.contains(&format!("href=\"/images/{}\"", order[2])));
    let page = ana.get_text(&format!("/sessions/{session}")).await;
    let entry = page
        .split("id=\"review-session\"")
        .nth(1)
        .unwrap_or_default();
    assert!(
        page.contains(&format!("Review {} left", total - 4)),
        "{}",
        &entry[..entry.len().min(200)]
    );
}

#[tokio::test]
async fn a_gallery_rating_is_one_request_that_answers_with_the_rated_tile() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana", "reviewer").await;
    let image = crate::ratings::good_image(&app);
    let session = app.lib.count(&format!(
        "SELECT session_id AS value FROM images WHERE id = {image}"
    ));
    let path = format!("/sessions/{session}/tiles/{image}?sort=seed");
    let response = ana.post(&path, &[("action", "like")]).await;
    assert_eq!(response.status(), 200);
    let undo = response.headers()["x-undo"].to_str().unwrap().to_owned();
    let tile = response.text().await.unwrap();
    assert!(tile.trim_start().starts_with("<div class=\"tile"), "{tile}");
    assert!(tile.contains(&format!("data-id=\"{image}\"")));
    assert!(tile.contains("I like it"), "the tile shows the new verdict");
    assert!(
        tile.contains("sort=seed"),
        "its link keeps the gallery's filter"
    );
    assert_eq!(
        app.lib.count(&format!(
            "SELECT like_count AS value FROM images WHERE id = {image}"
        )),
        1
    );
    // X-Undo is the form that puts the previous verdict back.
    let form: Vec<(String, String)> = serde_urlencoded::from_str(&undo).unwrap();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert!(form.contains(&("action", "restore")));
    let back = ana.post(&path, &form).await;
    assert_eq!(back.status(), 200);
    assert!(!back.text().await.unwrap().contains("I like it"));
    assert_eq!(
        app.lib.count(&format!(
            "SELECT like_count AS value FROM images WHERE id = {image}"
        )),
        0
    );

    let elsewhere = ana
        .post(
            &format!("/sessions/{}/tiles/{image}", session + 1),
            &[("action", "like")],
        )
        .await;
    assert_eq!(elsewhere.status(), 404, "the tile must be in that session");
    let vic = app.browser("vic", "viewer").await;
    assert_eq!(vic.post(&path, &[("action", "like")]).await.status(), 403);
}
