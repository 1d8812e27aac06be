//! A person's own page: "Sign in another device" with a one-time link, signing a device
//! out, and their password, each form answered with a redirect to the page, which says once
//! what happened (POST-redirect-GET); and names as people write theirs.

use crate::support::TestLibrary;
use crate::support::app::{Browser, TestApp, TestUser};

async fn app() -> TestApp {
    TestApp::serve(TestLibrary::empty()).await
}

async fn sign_in_with_password(app: &TestApp, name: &str, password: &str) -> u16 {
    app.anonymous()
        .post(format!("{}/login", app.address))
        .form(&[("name", name), ("secret", password)])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The answer to a form of the page: a redirect to it (303), and the page it leads to.
async fn followed(browser: &Browser, response: reqwest::Response) -> String {
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    assert_eq!(response.headers()["location"], "/account");
    browser.get_text("/account").await
}

/// The one-time link shown on a page.
fn link_on(page: &str) -> &str {
    let start = page.find("value=\"http").expect("a link on the page") + "value=\"".len();
    &page[start..start + page[start..].find('"').unwrap()]
}

#[tokio::test]
async fn a_person_signs_in_another_device_from_their_own_page() {
    let app = app().await;
    let rita = app.browser("rita", "reviewer").await;
    let page = rita.get_text("/account").await;
    assert!(page.contains("Sign in another device"), "{page}");
    let made = followed(&rita, rita.post_form("/account/link", &[]).await).await;
    assert!(made.contains("<svg"), "a QR code");
    assert!(made.contains("data-copy"), "a Copy button beside the link");
    let link = link_on(&made);
    let tablet = app.anonymous_from([127, 0, 0, 3]);
    assert_eq!(tablet.post(link).send().await.unwrap().status(), 303);
    let own = rita.get_text("/account").await;
    assert_eq!(own.matches("class=\"device\"").count(), 2, "{own}");
    assert!(!own.contains(link), "the link is shown once");
}

/// A form of the page, as a browser without JavaScript sends it or as htmx does (boosted).
async fn send(
    browser: &Browser,
    htmx: bool,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    if htmx {
        browser.post(path, form).await
    } else {
        browser.post_form(path, form).await
    }
}

#[tokio::test]
async fn every_form_of_ones_own_page_redirects_to_it_which_says_once_what_happened() {
    let app = app().await;
    let rita = app.browser("rita", "reviewer").await;
    let rita_id = app
        .lib
        .count("SELECT id AS value FROM users WHERE name = 'rita'");
    // A phone signed in with a link, to sign out later.
    let made = followed(&rita, rita.post_form("/account/link", &[]).await).await;
    let phone = app.anonymous_from([127, 0, 0, 4]);
    assert_eq!(
        phone.post(link_on(&made)).send().await.unwrap().status(),
        303
    );
    let phone_device = app
        .lib
        .text(&format!(
            "SELECT substr(id_hash, 1, 12) AS value FROM web_sessions
             WHERE user_id = {rita_id} AND link_id IS NOT NULL"
        ))
        .unwrap();
    // Each form twice: as a plain form, then as htmx sends it (boosted).
    for htmx in [false, true] {
        let page = followed(&rita, send(&rita, htmx, "/account/link", &[]).await).await;
        assert!(page.contains("Scan the code"), "htmx {htmx}: {page}");
        let link = link_on(&page).to_owned();
        let again = rita.get_text("/account").await;
        assert!(
            !again.contains(&link),
            "htmx {htmx}: the link is shown once"
        );
        assert!(again.contains("Open sign-in links"), "{again}");

        let open = app
            .lib
            .count(&format!(
                "SELECT max(id) AS value FROM sign_in_links WHERE user_id = {rita_id}"
            ))
            .to_string();
        let page = followed(
            &rita,
            send(&rita, htmx, "/account/links/revoke", &[("link", &open)]).await,
        )
        .await;
        assert!(page.contains("Sign-in link revoked"), "htmx {htmx}: {page}");
        assert!(
            !rita
                .get_text("/account")
                .await
                .contains("Sign-in link revoked")
        );

        let refused = followed(
            &rita,
            send(&rita, htmx, "/account/links/revoke", &[("link", "99999")]).await,
        )
        .await;
        assert!(
            refused.contains("not open any more"),
            "htmx {htmx}: {refused}"
        );
        assert!(
            !rita
                .get_text("/account")
                .await
                .contains("not open any more")
        );

        let short = followed(
            &rita,
            send(
                &rita,
                htmx,
                "/account/password",
                &[("new", "short"), ("again", "short")],
            )
            .await,
        )
        .await;
        assert!(
            short.contains("at least 10 characters"),
            "htmx {htmx}: {short}"
        );
        assert!(
            short.contains("role=\"alert\""),
            "a refusal is an alert: {short}"
        );
        assert!(
            !rita
                .get_text("/account")
                .await
                .contains("at least 10 characters")
        );
    }

    let fields = [("new", "correct horse"), ("again", "correct horse")];
    let page = followed(&rita, rita.post_form("/account/password", &fields).await).await;
    assert!(page.contains("Password saved"), "{page}");
    assert!(!rita.get_text("/account").await.contains("Password saved"));

    // The phone signed in with a link, signed out from here; this browser stays.
    assert_eq!(
        phone
            .get(format!("{}/account", app.address))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let page = followed(
        &rita,
        rita.post("/account/devices/sign-out", &[("device", &phone_device)])
            .await,
    )
    .await;
    assert!(page.contains("That browser is signed out"), "{page}");
    assert!(!rita.get_text("/account").await.contains("is signed out"));
    assert_eq!(
        app.status_within(|| phone.get(format!("{}/account", app.address)), 303, 6)
            .await,
        303,
        "the phone is signed out"
    );
    assert_eq!(
        rita.get("/account").await.status(),
        200,
        "still signed in here"
    );
}

#[tokio::test]
async fn a_person_signs_out_only_their_own_devices_from_their_page() {
    let app = app().await;
    let rita = app.browser("rita", "reviewer").await;
    let bob = app.browser("bob", "reviewer").await;
    let bob_device = app
        .lib
        .text(
            "SELECT substr(w.id_hash, 1, 12) AS value FROM web_sessions w
             JOIN users u ON u.id = w.user_id WHERE u.name = 'bob'",
        )
        .unwrap();
    let page = followed(
        &rita,
        rita.post_form("/account/devices/sign-out", &[("device", &bob_device)])
            .await,
    )
    .await;
    assert!(page.contains("Not signed out"), "{page}");
    assert_eq!(bob.get("/account").await.status(), 200, "bob is still in");
}

#[tokio::test]
async fn a_person_sets_a_password_then_changes_it_only_with_the_current_one() {
    let app = app().await;
    let zoe = app.browser("zoe", "viewer").await;
    let short = followed(
        &zoe,
        zoe.post_form("/account/password", &[("new", "short"), ("again", "short")])
            .await,
    )
    .await;
    assert!(short.contains("at least 10 characters"));
    let differ = followed(
        &zoe,
        zoe.post_form(
            "/account/password",
            &[("new", "correct horse"), ("again", "correct house")],
        )
        .await,
    )
    .await;
    assert!(differ.contains("differ"));
    let set = followed(
        &zoe,
        zoe.post_form(
            "/account/password",
            &[("new", "correct horse"), ("again", "correct horse")],
        )
        .await,
    )
    .await;
    assert!(set.contains("Password saved"));
    assert_eq!(
        sign_in_with_password(&app, "zoe", "correct horse").await,
        303
    );
    let stored = app
        .lib
        .text("SELECT password_hash AS value FROM users WHERE name = 'zoe'")
        .unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");

    let page = zoe.get_text("/account").await;
    assert!(
        page.contains("name=\"current\""),
        "the current password is asked for"
    );
    let wrong = followed(
        &zoe,
        zoe.post_form(
            "/account/password",
            &[
                ("current", "not it at all"),
                ("new", "battery staple"),
                ("again", "battery staple"),
            ],
        )
        .await,
    )
    .await;
    assert!(wrong.contains("current password is not right"));
    let changed = followed(
        &zoe,
        zoe.post_form(
            "/account/password",
            &[
                ("current", "correct horse"),
                ("new", "battery staple"),
                ("again", "battery staple"),
            ],
        )
        .await,
    )
    .await;
    assert!(changed.contains("Password saved"));
    assert_eq!(
        sign_in_with_password(&app, "zoe", "correct horse").await,
        401
    );
    assert_eq!(
        sign_in_with_password(&app, "zoe", "battery staple").await,
        303
    );
    assert_eq!(
        zoe.get("/account").await.status(),
        200,
        "still signed in here"
    );
}

#[tokio::test]
async fn names_in_any_script_with_spaces_and_apostrophes_are_accepted_and_a_bad_one_is_named() {
    let app = app().await;
    let ada = app.browser("ada", "admin").await;
    let admin = ada.get_text("/admin").await;
    assert!(
        !admin.contains("pattern="),
        "no browser pattern: the server says what is wrong"
    );
    for name in ["Grand-mère Zoé", "Paul O’Brien", "O'Neil", "李小龙"] {
        let added = ada
            .post_form("/admin/users", &[("name", name), ("role", "viewer")])
            .await;
        assert_eq!(
            added.status(),
            303,
            "{name}: added, and sent to the admin page"
        );
    }
    let refused = ada
        .post_form("/admin/users", &[("name", "zoe@home"), ("role", "viewer")])
        .await;
    assert_eq!(refused.status(), 400);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("a name may not contain “@”")
    );

    // A name with a space signs in like any other, typed with stray spaces too.
    let token = app.add_token("Grand-mère Zoé");
    let zoe = TestUser {
        name: "  Grand-mère   Zoé ".into(),
        token,
    };
    let browser = app.sign_in(&zoe).await;
    assert!(
        browser
            .get_text("/account")
            .await
            .contains("Grand-mère Zoé")
    );
}
