//! The admin page: users, tokens, sign-ins and rescans managed from the browser, each action
//! a plain form that works without JavaScript, and every one of them refused to non-admins.

use crate::support::TestLibrary;
use crate::support::app::{Browser, TestApp, TestUser};

/// The admin page a form sends the browser to: the form answers 303 (so a reload never posts
/// it again), and the page it leads to says what happened.
pub async fn followed(admin: &Browser, response: reqwest::Response) -> String {
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    assert_eq!(response.headers()["location"], "/admin");
    admin.get_text("/admin").await
}

fn id_of(app: &TestApp, name: &str) -> i64 {
    app.lib.count(&format!(
        "SELECT id AS value FROM users WHERE name = '{name}'"
    ))
}

/// The first `sdr_...` token shown on a page.
fn token_on(page: &str) -> String {
    let start = page.find("value=\"sdr_").expect("a token on the page") + "value=\"".len();
    let end = page[start..].find('"').unwrap() + start;
    page[start..end].to_owned()
}

async fn app() -> TestApp {
    TestApp::serve(TestLibrary::empty()).await
}

#[tokio::test]
async fn a_non_admin_is_refused_the_admin_page_and_every_action_and_is_told_why() {
    let app = app().await;
    let bob = app.add_user("bob", "viewer");
    let rita = app.browser("rita", "reviewer").await;
    let page = rita.get("/admin").await;
    assert_eq!(page.status(), 403);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("this needs the admin role")
    );

    let bob_id = id_of(&app, "bob").to_string();
    let bob_lookup = bob.token[4..16].to_owned();
    let actions: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/admin/users".into(),
            vec![("name", "mallory"), ("role", "admin")],
        ),
        (
            format!("/admin/users/{bob_id}/role"),
            vec![("role", "admin")],
        ),
        (
            format!("/admin/users/{bob_id}/access"),
            vec![("action", "disable")],
        ),
        (
            format!("/admin/users/{bob_id}/tokens"),
            vec![("label", "stolen")],
        ),
        (
            "/admin/tokens/revoke".into(),
            vec![("token", bob_lookup.as_str())],
        ),
        (
            "/admin/devices/sign-out".into(),
            vec![("device", "0123456789ab")],
        ),
        ("/admin/rescan".into(), vec![]),
    ];
    for (path, form) in &actions {
        let response = rita.post_form(path, form).await;
        assert_eq!(response.status(), 403, "POST {path}");
        let text = response.text().await.unwrap();
        assert!(text.contains("this needs the admin role"), "{path}: {text}");
    }
    assert_eq!(app.lib.count("SELECT count(*) AS value FROM users"), 2);
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM users WHERE role = 'viewer' AND NOT is_disabled"),
        1
    );
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM api_tokens WHERE revoked_at IS NULL"),
        2
    );
    assert_eq!(
        app.lib.count("SELECT count(*) AS value FROM import_runs"),
        0
    );
}

#[tokio::test]
async fn an_admin_adds_a_user_whose_token_is_shown_once_and_works() {
    let app = app().await;
    let ada = app.browser("ada", "admin").await;
    let response = ada
        .post_form(
            "/admin/users",
            &[("name", "newcomer"), ("role", "reviewer")],
        )
        .await;
    let page = followed(&ada, response).await;
    assert!(page.contains("Added reviewer `newcomer`"), "{page}");
    let token = token_on(&page);
    let newcomer = TestUser {
        name: "newcomer".into(),
        token: token.clone(),
    };
    app.sign_in(&newcomer).await;
    assert!(
        !ada.get_text("/admin").await.contains(&token),
        "shown only once"
    );

    let twice = ada
        .post_form("/admin/users", &[("name", "newcomer"), ("role", "viewer")])
        .await;
    assert!(followed(&ada, twice).await.contains("already exists"));
}

#[tokio::test]
async fn a_name_that_looks_like_an_existing_one_is_refused_and_the_look_alike_named() {
    let app = app().await;
    let ada = app.browser("ada", "admin").await;
    let adm = ada
        .post_form("/admin/users", &[("name", "adm"), ("role", "viewer")])
        .await;
    assert_eq!(adm.status(), 303);
    // The first letter is the Cyrillic а.
    let look_alike = ada
        .post_form("/admin/users", &[("name", "\u{430}dm"), ("role", "admin")])
        .await;
    let page = followed(&ada, look_alike).await;
    assert!(
        page.contains("`\u{430}dm` looks like the existing user `adm`"),
        "{page}"
    );
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM users WHERE name LIKE '%dm'"),
        1
    );
}

#[tokio::test]
async fn a_role_change_and_a_disabled_user_hold_at_once() {
    let app = app().await;
    let ada = app.browser("ada", "admin").await;
    let bob = app.browser("bob", "reviewer").await;
    let bob_id = id_of(&app, "bob");
    assert_eq!(bob.get("/sessions").await.status(), 200);

    let role = ada
        .post_form(
            &format!("/admin/users/{bob_id}/role"),
            &[("role", "viewer")],
        )
        .await;
    assert!(followed(&ada, role).await.contains("`bob` is now viewer"));
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM users WHERE name = 'bob' AND role = 'viewer'"),
        1
    );
    let star = bob.post("/sessions/1/star", &[]).await;
    assert_eq!(star.status(), 403, "the new role holds on the next request");

    let disabled = ada
        .post_form(
            &format!("/admin/users/{bob_id}/access"),
            &[("action", "disable")],
        )
        .await;
    assert_eq!(disabled.status(), 303);
    let after = bob.get("/sessions").await;
    assert_eq!(after.status(), 303, "signed out at once");
    let enabled = ada
        .post_form(
            &format!("/admin/users/{bob_id}/access"),
            &[("action", "enable")],
        )
        .await;
    assert_eq!(enabled.status(), 303);
    assert_eq!(
        app.lib
            .count("SELECT is_disabled AS value FROM users WHERE name = 'bob'"),
        0
    );
}

#[tokio::test]
async fn the_only_admin_can_be_neither_demoted_nor_disabled() {
    let app = app().await;
    let ada = app.browser("ada", "admin").await;
    let me = id_of(&app, "ada");
    let demoted = ada
        .post_form(&format!("/admin/users/{me}/role"), &[("role", "viewer")])
        .await;
    assert!(followed(&ada, demoted).await.contains("only admin left"));
    let disabled = ada
        .post_form(
            &format!("/admin/users/{me}/access"),
            &[("action", "disable")],
        )
        .await;
    assert!(followed(&ada, disabled).await.contains("only admin left"));
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM users WHERE role = 'admin' AND NOT is_disabled"),
        1
    );
}

#[tokio::test]
async fn an_admin_creates_a_token_shown_once_and_revokes_it() {
    let app = app().await;
    let ada = app.browser("ada", "admin").await;
    app.add_user("bob", "reviewer");
    let bob_id = id_of(&app, "bob");
    let created = ada
        .post_form(
            &format!("/admin/users/{bob_id}/tokens"),
            &[("label", "generator")],
        )
        .await;
    let created = followed(&ada, created).await;
    assert!(created.contains("New access token for `bob`"), "{created}");
    let token = token_on(&created);
    let lookup = &token[4..16];
    assert!(
        ada.get_text("/admin").await.contains(lookup),
        "listed by its id"
    );

    let revoked = ada
        .post_form("/admin/tokens/revoke", &[("token", lookup)])
        .await;
    assert!(followed(&ada, revoked).await.contains("revoked"));
    let client = app.anonymous();
    let refused = client
        .post(format!("{}/login", app.address))
        .form(&[("name", "bob"), ("secret", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401, "a revoked token no longer signs in");
}

#[tokio::test]
async fn an_admin_sees_where_a_user_is_signed_in_and_signs_one_browser_out() {
    let app = app().await;
    let ada = app.browser("ada", "admin").await;
    let bob_user = app.add_user("bob", "reviewer");
    let phone = app.sign_in(&bob_user).await;
    let laptop = app.sign_in(&bob_user).await;
    let page = ada.get_text("/admin").await;
    assert_eq!(
        page.matches("name=\"device\"").count(),
        3,
        "ada's browser and bob's two"
    );
    let devices = app.lib.text(
        "SELECT group_concat(substr(id_hash, 1, 12)) AS value FROM web_sessions w JOIN users u ON u.id = w.user_id
          WHERE u.name = 'bob' ORDER BY w.created_at",
    );
    let first = devices.unwrap().split(',').next().unwrap().to_owned();
    let out = ada
        .post_form("/admin/devices/sign-out", &[("device", &first)])
        .await;
    assert!(
        followed(&ada, out)
            .await
            .contains("That browser is signed out")
    );
    let statuses = [
        phone.get("/sessions").await.status(),
        laptop.get("/sessions").await.status(),
    ];
    assert!(
        statuses.contains(&reqwest::StatusCode::SEE_OTHER),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&reqwest::StatusCode::OK),
        "the other browser stays: {statuses:?}"
    );
}

#[tokio::test]
async fn an_admin_form_without_its_csrf_token_is_refused() {
    let app = app().await;
    let ada = app.browser("ada", "admin").await;
    let forged = ada
        .post_without_csrf("/admin/users", &[("name", "mallory"), ("role", "admin")])
        .await;
    assert_eq!(forged.status(), 403);
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM users WHERE name = 'mallory'"),
        0
    );
}
