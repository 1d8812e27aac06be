//! One-time sign-in links: an admin adds a person and gets a link with its QR code; the link
//! opened on another device signs that person in there, once, for 15 minutes, unless revoked.

use crate::support::TestLibrary;
use crate::support::app::{Browser, TestApp};

async fn app() -> TestApp {
    TestApp::serve(TestLibrary::empty()).await
}

/// The first `/link/...` address shown on a page, whole.
fn link_on(page: &str) -> String {
    let start = page
        .find("value=\"http")
        .expect("a sign-in link on the page")
        + "value=\"".len();
    let end = page[start..].find('"').unwrap() + start;
    page[start..end].to_owned()
}

/// The admin page a form's answer sends the browser to (POST-redirect-GET): it shows what the
/// form did, once.
async fn followed(ada: &Browser, response: reqwest::Response) -> String {
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/admin");
    ada.get_text("/admin").await
}

/// The path of a link, for the test's own server address.
fn path_of(link: &str) -> String {
    link[link.find("/link/").unwrap()..].to_owned()
}

#[tokio::test]
async fn adding_a_user_shows_a_link_and_its_qr_code_that_sign_them_in_on_another_device() {
    let app = app().await;
    let ada = app.browser("ada", "admin").await;
    let response = ada
        .post_form(
            "/admin/users",
            &[("name", "newcomer"), ("role", "reviewer")],
        )
        .await;
    let page = followed(&ada, response).await;
    let link = link_on(&page);
    assert!(
        link.starts_with(&format!("{}/link/", app.address)),
        "the link is on the address the admin used: {link}"
    );
    assert!(page.contains("<svg"), "a QR code drawn on the server");
    assert!(
        !page.contains("<?xml"),
        "the QR code is an element of the page"
    );
    assert!(page.contains("works once"), "{page}");

    // Only the hash of the secret is stored.
    let secret = link.rsplit('/').next().unwrap().to_owned();
    let stored = app
        .lib
        .text("SELECT secret_hash AS value FROM sign_in_links")
        .unwrap();
    assert_eq!(stored.len(), 64);
    assert!(!stored.contains(&secret));

    // The phone: opening the link shows whose it is and a button, and uses nothing yet.
    let phone = app.anonymous_from([127, 0, 0, 2]);
    let url = format!("{}{}", app.address, path_of(&link));
    let shown = phone.get(&url).send().await.unwrap();
    assert_eq!(shown.status(), 200);
    let shown = shown.text().await.unwrap();
    assert!(shown.contains("Sign in as newcomer"), "{shown}");
    let signed_in = phone.post(&url).send().await.unwrap();
    assert_eq!(signed_in.status(), 303);
    let review = phone
        .get(format!("{}/review", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(review.status(), 200, "the phone is signed in as newcomer");

    // The phone is one of newcomer's sign-ins, and the link is not open any more.
    let admin_page = ada.get_text("/admin").await;
    let newcomer = &admin_page[admin_page.find("<strong>newcomer</strong>").unwrap()..];
    assert!(!newcomer.contains("Not signed in anywhere"), "{newcomer}");
    assert!(
        !newcomer.contains("/admin/links/revoke"),
        "no open link left"
    );

    // Opened again (on any device), it says it was used and what to do.
    let again = app.anonymous().post(&url).send().await.unwrap();
    assert_eq!(again.status(), 410);
    let again = again.text().await.unwrap();
    assert!(again.contains("already been used"), "{again}");
    assert!(again.contains("Ask an admin"), "{again}");
}

#[tokio::test]
async fn a_revoked_link_and_an_expired_one_say_which_and_sign_no_one_in() {
    let app = app().await;
    let ada = app.browser("ada", "admin").await;
    let added = ada
        .post_form("/admin/users", &[("name", "zoe"), ("role", "viewer")])
        .await;
    let page = followed(&ada, added).await;
    let revoked = format!("{}{}", app.address, path_of(&link_on(&page)));
    let id = app.lib.count("SELECT id AS value FROM sign_in_links");
    let admin_page = ada.get_text("/admin").await;
    assert!(
        admin_page.contains("/admin/links/revoke"),
        "the open link is listed"
    );
    let response = ada
        .post_form("/admin/links/revoke", &[("link", &id.to_string())])
        .await;
    assert!(
        followed(&ada, response)
            .await
            .contains("Sign-in link revoked")
    );
    let phone = app.anonymous();
    let answer = phone.post(&revoked).send().await.unwrap();
    assert_eq!(answer.status(), 410);
    assert!(answer.text().await.unwrap().contains("was revoked"));

    let zoe_id = app
        .lib
        .count("SELECT id AS value FROM users WHERE name = 'zoe'");
    let made = ada
        .post_form(&format!("/admin/users/{zoe_id}/link"), &[])
        .await;
    let page = followed(&ada, made).await;
    let expired = format!("{}{}", app.address, path_of(&link_on(&page)));
    app.lib.execute(
        "UPDATE sign_in_links SET expires_at = datetime('now', '-1 minute') WHERE revoked_at IS NULL",
    );
    let shown = phone.get(&expired).send().await.unwrap();
    assert_eq!(shown.status(), 410);
    assert!(shown.text().await.unwrap().contains("has expired"));
    let answer = phone.post(&expired).send().await.unwrap();
    assert_eq!(answer.status(), 410);
    assert_eq!(
        app.lib.count("SELECT count(*) AS value FROM web_sessions WHERE user_id = (SELECT id FROM users WHERE name = 'zoe')"),
        0
    );
}

#[tokio::test]
async fn a_link_from_a_non_admin_is_refused_and_an_unknown_one_is_not_found() {
    let app = app().await;
    let rita = app.browser("rita", "reviewer").await;
    let rita_id = app
        .lib
        .count("SELECT id AS value FROM users WHERE name = 'rita'");
    let response = rita
        .post_form(&format!("/admin/users/{rita_id}/link"), &[])
        .await;
    assert_eq!(response.status(), 403);
    let unknown = app
        .anonymous()
        .get(format!("{}/link/nothing-of-ours", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    assert!(unknown.text().await.unwrap().contains("not a sign-in link"));
}
