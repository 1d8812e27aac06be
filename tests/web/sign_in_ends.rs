//! A browser sign-in ends with the credential that made it: revoking its token, disabling its
//! user, `user sign-out`, or (for a password sign-in) a new password. Changes made on the
//! command line reach the running server within the identity cache's 5 s; the tests allow 10.

use crate::support::TestLibrary;
use crate::support::app::{Browser, TestApp, TestUser};

async fn empty_app() -> TestApp {
    TestApp::serve(TestLibrary::empty()).await
}

fn succeeds(output: std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The status `/sessions` answers this browser once `seconds` passed or it answered `status`.
async fn sessions_status_within(app: &TestApp, browser: &Browser, status: u16) -> u16 {
    let url = format!("{}/sessions", app.address);
    app.status_within(|| browser.client.get(&url), status, 10)
        .await
}

#[tokio::test]
async fn revoking_a_token_ends_the_browser_sign_ins_made_with_it_and_only_those() {
    let app = empty_app().await;
    let user = app.add_user("alice", "reviewer");
    let phone_token = app.add_token("alice");
    let laptop = app.sign_in(&user).await;
    let phone = app
        .sign_in(&TestUser {
            name: "alice".into(),
            token: phone_token,
        })
        .await;
    let said = succeeds(app.lib.sdreview(&["token", "revoke", &user.token]));
    assert!(
        said.contains("1 browser sign-in(s) made with it ended"),
        "{said}"
    );
    assert_eq!(sessions_status_within(&app, &laptop, 303).await, 303);
    assert_eq!(phone.get("/sessions").await.status(), 200);
}

#[tokio::test]
async fn disabling_a_user_ends_their_sign_ins_and_stops_their_tokens() {
    let app = empty_app().await;
    let user = app.add_user("mallory", "reviewer");
    let browser = app.sign_in(&user).await;
    let said = succeeds(app.lib.sdreview(&["user", "disable", "mallory"]));
    assert!(said.contains("1 browser sign-in(s) ended"), "{said}");
    assert_eq!(sessions_status_within(&app, &browser, 303).await, 303);
    let script = app
        .anonymous()
        .get(format!("{}/sessions", app.address))
        .bearer_auth(&user.token)
        .send()
        .await
        .unwrap();
    assert_eq!(script.status(), 401);
    let again = app
        .anonymous()
        .post(format!("{}/login", app.address))
        .form(&[("name", "mallory"), ("secret", user.token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 401);

    succeeds(app.lib.sdreview(&["user", "enable", "mallory"]));
    let back = app.sign_in(&user).await;
    assert_eq!(back.get("/sessions").await.status(), 200);
}

#[tokio::test]
async fn a_new_password_ends_the_sign_ins_made_with_the_old_one_but_not_token_ones() {
    let app = empty_app().await;
    let user = app.add_user("erin", "viewer");
    let set_password = |password: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sdreview"))
            .args(["--library", app.lib.root.to_str().unwrap()])
            .args(["--db", app.lib.db.to_str().unwrap()])
            .args(["user", "set-password", "erin"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{password}").unwrap();
        drop(stdin);
        succeeds(child.wait_with_output().unwrap())
    };
    set_password("the first long password");
    let by_password = app
        .sign_in(&TestUser {
            name: "erin".into(),
            token: "the first long password".into(),
        })
        .await;
    let by_token = app.sign_in(&user).await;
    let said = set_password("the second long password");
    assert!(said.contains("Ended 1 browser sign-in(s)"), "{said}");
    assert_eq!(sessions_status_within(&app, &by_password, 303).await, 303);
    assert_eq!(by_token.get("/sessions").await.status(), 200);
}

#[tokio::test]
async fn a_role_change_reaches_a_browser_within_seconds() {
    let app = empty_app().await;
    let browser = app.browser("olga", "admin").await;
    // Another admin, since the last one cannot be made a viewer.
    app.add_user("root", "admin");
    assert_eq!(browser.get("/trash").await.status(), 200);
    succeeds(app.lib.sdreview(&["user", "set-role", "olga", "viewer"]));
    let url = format!("{}/trash", app.address);
    assert_eq!(
        app.status_within(|| browser.client.get(&url), 403, 10)
            .await,
        403
    );
}
