//! The sign-in form: where `next` may send a person, which origins may post it, and how
//! wrong attempts are limited without locking the real user out.

use reqwest::Client;

use crate::support::TestLibrary;
use crate::support::app::TestApp;

async fn empty_app() -> TestApp {
    TestApp::serve(TestLibrary::empty()).await
}

async fn post_sign_in(
    app: &TestApp,
    client: &Client,
    form: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client.post(format!("{}/login", app.address)).form(form);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn live_sign_ins(app: &TestApp) -> i64 {
    app.lib
        .count("SELECT count(*) AS value FROM web_sessions WHERE revoked_at IS NULL")
}

#[tokio::test]
async fn a_next_that_is_not_plainly_our_path_falls_back_to_the_root_without_an_error() {
    let app = empty_app().await;
    let user = app.add_user("nina", "viewer");
    let mut signed_in = 0;
    for next in [
        "/sessions\r\nSet-Cookie: evil=1",
        "/sessions\n",
        "/sessions\0",
        "/sessions\u{7f}",
        "/\t/example.invalid",
        "//example.invalid",
        "/\\example.invalid",
        "https://example.invalid/",
        "",
    ] {
        let client = app.anonymous();
        let form = [
            ("name", "nina"),
            ("secret", user.token.as_str()),
            ("next", next),
        ];
        let response = post_sign_in(&app, &client, &form, &[]).await;
        assert_eq!(response.status(), 303, "{next:?}");
        assert_eq!(response.headers()["location"], "/", "{next:?}");
        signed_in += 1;
        assert_eq!(
            live_sign_ins(&app),
            signed_in,
            "one row per sign-in: {next:?}"
        );
        let page = client
            .get(format!("{}/sessions", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200, "the cookie works: {next:?}");
    }
    let good = [
        ("name", "nina"),
        ("secret", user.token.as_str()),
        ("next", "/sessions?page=2"),
    ];
    let response = post_sign_in(&app, &app.anonymous(), &good, &[]).await;
    assert_eq!(response.headers()["location"], "/sessions?page=2");

    let page = app
        .anonymous()
        .get(format!(
            "{}/login?next=%2F%09%2Fexample.invalid",
            app.address
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"name="next" value="/""#), "{page}");
}

#[tokio::test]
async fn forwarded_host_headers_do_not_let_another_site_post_the_sign_in_form() {
    let app = empty_app().await;
    let user = app.add_user("fred", "viewer");
    let form = [("name", "fred"), ("secret", user.token.as_str())];
    let evil = "http://example.invalid";
    for forged in [
        ("X-Forwarded-Host", "example.invalid"),
        ("Forwarded", "host=example.invalid"),
    ] {
        let response =
            post_sign_in(&app, &app.anonymous(), &form, &[("Origin", evil), forged]).await;
        assert_eq!(response.status(), 403, "{forged:?}");
    }
    assert_eq!(live_sign_ins(&app), 0);
    let own = format!("http://127.0.0.1:{}", app.port);
    let response = post_sign_in(&app, &app.anonymous(), &form, &[("Origin", &own)]).await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn behind_a_proxy_the_forwarded_host_is_the_one_the_browser_used() {
    let app = TestApp::serve_behind_proxy(TestLibrary::empty()).await;
    let user = app.add_user("fred", "viewer");
    let form = [("name", "fred"), ("secret", user.token.as_str())];
    let headers = [
        ("Origin", "https://photos.example.lan"),
        ("X-Forwarded-Host", "photos.example.lan"),
    ];
    let response = post_sign_in(&app, &app.anonymous(), &form, &headers).await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn guesses_from_one_address_do_not_lock_the_user_out_of_another() {
    let app = empty_app().await;
    let alice = app.add_user("alice", "reviewer");
    let stranger = app.anonymous();
    let wrong = [("name", "alice"), ("secret", "not-the-password")];
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let response = post_sign_in(&app, &stranger, &wrong, &[]).await;
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            let retry = response.headers()["retry-after"]
                .to_str()
                .unwrap()
                .to_owned();
            let text = response.text().await.unwrap();
            assert!(
                text.contains(&format!("Try again in {retry} seconds")),
                "{text}"
            );
        }
    }
    assert_eq!(&statuses[..10], &[401; 10]);
    assert_eq!(statuses[10], 429);
    // alice, from her own device, still gets in.
    let at_home = app.anonymous_from([127, 0, 0, 3]);
    let right = [("name", "alice"), ("secret", alice.token.as_str())];
    let response = post_sign_in(&app, &at_home, &right, &[]).await;
    assert_eq!(response.status(), 303);
    // From the stranger's address, alice's name stays held back, right secret or not.
    let response = post_sign_in(&app, &stranger, &right, &[]).await;
    assert_eq!(response.status(), 429);
}

#[tokio::test]
async fn sign_out_from_a_page_without_javascript_redirects_to_the_sign_in_page() {
    let app = empty_app().await;
    let browser = app.browser("nora", "viewer").await;
    assert_eq!(browser.get("/sessions").await.status(), 200);
    let out = browser.post_form("/logout", &[]).await;
    assert_eq!(out.status(), 303);
    assert_eq!(out.headers()["location"], "/login");
    let after = browser.get("/sessions").await;
    assert_eq!(after.status(), 303, "the sign-in has ended");
}
