//! A person's own page: "Sign in another device" with a one-time link, and their password;
//! and names as people write theirs.

use crate::support::TestLibrary;
use crate::support::app::{TestApp, TestUser};

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

#[tokio::test]
async fn a_person_signs_in_another_device_from_their_own_page() {
    let app = app().await;
    let rita = app.browser("rita", "reviewer").await;
    let page = rita.get_text("/account").await;
    assert!(page.contains("Sign in another device"), "{page}");
    let made = rita.post_form("/account/link", &[]).await;
    assert_eq!(made.status(), 200);
    let made = made.text().await.unwrap();
    assert!(made.contains("<svg"), "a QR code");
    assert!(made.contains("data-copy"), "a Copy button beside the link");
    let start = made.find("value=\"http").unwrap() + "value=\"".len();
    let link = &made[start..start + made[start..].find('"').unwrap()];
    let tablet = app.anonymous_from([127, 0, 0, 3]);
    assert_eq!(tablet.post(link).send().await.unwrap().status(), 303);
    let own = rita.get_text("/account").await;
    assert_eq!(own.matches("class=\"device\"").count(), 2, "{own}");
}

#[tokio::test]
async fn a_person_sets_a_password_then_changes_it_only_with_the_current_one() {
    let app = app().await;
    let zoe = app.browser("zoe", "viewer").await;
    let short = zoe
        .post_form("/account/password", &[("new", "short"), ("again", "short")])
        .await;
    assert_eq!(short.status(), 400);
    assert!(
        short
            .text()
            .await
            .unwrap()
            .contains("at least 10 characters")
    );
    let differ = zoe
        .post_form(
            "/account/password",
            &[("new", "correct horse"), ("again", "correct house")],
        )
        .await;
    assert_eq!(differ.status(), 400);
    assert!(differ.text().await.unwrap().contains("differ"));
    let set = zoe
        .post_form(
            "/account/password",
            &[("new", "correct horse"), ("again", "correct horse")],
        )
        .await;
    assert_eq!(set.status(), 200);
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
    let wrong = zoe
        .post_form(
            "/account/password",
            &[
                ("current", "not it at all"),
                ("new", "battery staple"),
                ("again", "battery staple"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 400);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("current password is not right")
    );
    let changed = zoe
        .post_form(
            "/account/password",
            &[
                ("current", "correct horse"),
                ("new", "battery staple"),
                ("again", "battery staple"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 200);
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
