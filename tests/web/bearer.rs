//! Bearer tokens: stored as a SHA-256, old argon2id rows still accepted and rewritten, failed
//! attempts limited per client address, role changes seen within seconds.

use sdreview::auth::{password, token::Token};
use sdreview::db::models::{NewApiToken, NewUser};
use sdreview::db::users;

use crate::support::TestLibrary;
use crate::support::app::TestApp;

async fn empty_app() -> TestApp {
    TestApp::serve(TestLibrary::empty()).await
}

#[tokio::test]
async fn a_token_is_stored_as_the_sha256_of_its_secret_and_signs_a_script_in() {
    let app = empty_app().await;
    let user = app.add_user("script", "viewer");
    let secret = user.token.rsplit('_').next().unwrap();
    let stored = app
        .lib
        .text("SELECT secret_hash AS value FROM api_tokens")
        .unwrap();
    assert_eq!(stored, sdreview::auth::digest::sha256_hex(secret));
    let response = app
        .anonymous()
        .get(format!("{}/sessions", app.address))
        .bearer_auth(&user.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let any_case = app
        .anonymous()
        .get(format!("{}/sessions", app.address))
        .header("Authorization", format!("bearer {}", user.token))
        .send()
        .await
        .unwrap();
    assert_eq!(
        any_case.status(),
        200,
        "the scheme's name is case-insensitive"
    );
}

#[tokio::test]
async fn a_token_issued_with_an_argon2id_hash_still_works_and_is_rewritten_as_sha256() {
    let app = empty_app().await;
    let token = Token::generate();
    {
        let mut conn = app.lib.pool().get().unwrap();
        let now = sdreview::db::now();
        let user = users::insert(
            &mut conn,
            &NewUser {
                name: "old",
                role: "viewer",
                created_at: now,
                updated_at: now,
            },
        )
        .unwrap();
        users::insert_token(
            &mut conn,
            &NewApiToken {
                user_id: user.id,
                label: "from before the upgrade",
                lookup: &token.lookup,
                secret_hash: &password::hash(&token.secret).unwrap(),
                created_at: now,
            },
        )
        .unwrap();
    }
    let client = app.anonymous();
    let response = client
        .get(format!("{}/sessions", app.address))
        .bearer_auth(token.reveal())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let stored = app
        .lib
        .text("SELECT secret_hash AS value FROM api_tokens")
        .unwrap();
    assert_eq!(stored, token.secret_hash(), "rewritten on first use");
    // The rewritten row is checked afresh by a sign-in (the bearer cache is not involved).
    let signed_in = client
        .post(format!("{}/login", app.address))
        .form(&[("name", "old"), ("secret", token.reveal().as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
}

#[tokio::test]
async fn failed_token_attempts_are_limited_per_address_and_told_when_to_retry() {
    let app = empty_app().await;
    let user = app.add_user("script", "viewer");
    let guesser = app.anonymous();
    let url = format!("{}/sessions", app.address);
    let mut statuses = Vec::new();
    for _ in 0..14 {
        let wrong = Token::generate().reveal();
        let response = guesser.get(&url).bearer_auth(wrong).send().await.unwrap();
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            let retry: u64 = response.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=2).contains(&retry), "{retry}");
            let text = response.text().await.unwrap();
            assert!(text.contains(&format!("try again in {retry} s")), "{text}");
        }
    }
    assert!(statuses[..10].iter().all(|s| *s == 401), "{statuses:?}");
    let first_refusal = statuses.iter().position(|s| *s == 429).unwrap();
    assert!(
        statuses[first_refusal..].iter().all(|s| *s == 429),
        "{statuses:?}"
    );
    // Another device on the LAN is not held back by the guesser.
    let other = app.anonymous_from([127, 0, 0, 2]);
    let response = other
        .get(&url)
        .bearer_auth(&user.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn successful_token_attempts_do_not_count_towards_the_limit() {
    let app = empty_app().await;
    let url = format!("{}/sessions", app.address);
    let client = app.anonymous();
    // Each token is new to the server, so each one is really checked, not answered from memory.
    for i in 0..15 {
        let user = app.add_user(&format!("script{i}"), "viewer");
        let response = client
            .get(&url)
            .bearer_auth(&user.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "token {i}");
    }
    let wrong = client
        .get(&url)
        .bearer_auth(Token::generate().reveal())
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401, "the first failure is not refused");
}

#[tokio::test]
async fn a_role_change_reaches_a_bearer_token_within_seconds() {
    let app = empty_app().await;
    let user = app.add_user("ops", "admin");
    // Another admin, since the last one cannot be made a viewer.
    app.add_user("root", "admin");
    let client = app.anonymous();
    let trash = || {
        client
            .get(format!("{}/trash", app.address))
            .bearer_auth(&user.token)
    };
    assert_eq!(trash().send().await.unwrap().status(), 200);
    let changed = app.lib.sdreview(&["user", "set-role", "ops", "viewer"]);
    assert!(changed.status.success());
    // The identity cache keeps a token for 5 s; 10 s leaves room for a busy machine.
    assert_eq!(app.status_within(trash, 403, 10).await, 403);
}
