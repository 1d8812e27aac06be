use crate::support::app::TestApp;

#[tokio::test]
async fn every_page_needs_a_sign_in_except_the_sign_in_page_and_assets() {
    let app = TestApp::spawn().await;
    let client = app.anonymous();
    for path in [
        "/sessions",
        "/sessions/1",
        "/images/1",
        "/search?q=cat",
        "/trash",
        "/images/1/thumb",
        "/images/1/original",
    ] {
        let response = client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{path} must redirect to sign-in");
        let location = response.headers()["location"].to_str().unwrap();
        assert!(
            location.starts_with("/login?next="),
            "{path} went to {location}"
        );
    }
    let response = client
        .post(format!("{}/logout", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let login = client
        .get(format!("{}/login", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let page = login.text().await.unwrap();
    let css = page
        .split("href=\"")
        .find(|s| s.starts_with("/assets/"))
        .unwrap();
    let css = &css[..css.find('"').unwrap()];
    let asset = client
        .get(format!("{}{css}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), 200);
    assert!(
        asset.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
}

#[tokio::test]
async fn a_wrong_token_is_refused_with_a_message_and_a_right_one_signs_in() {
    let app = TestApp::spawn().await;
    let user = app.add_user("alice", "reviewer");
    let client = app.anonymous();
    let response = client
        .post(format!("{}/login", app.address))
        .form(&[
            ("name", "alice"),
            (
                "secret",
                "sdr_wrongwrongwro_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(response.text().await.unwrap().contains("do not match"));
    let response = client
        .post(format!("{}/login", app.address))
        .form(&[("name", "alice"), ("secret", user.token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let page = client
        .get(format!("{}/sessions", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
}

#[tokio::test]
async fn a_forged_request_without_the_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    let browser = app.browser("carol", "admin").await;
    let forged = browser.post_without_csrf("/logout", &[]).await;
    assert_eq!(forged.status(), 403);
    // Still signed in: the forged sign-out did nothing.
    assert_eq!(browser.get("/sessions").await.status(), 200);
    let real = browser.post("/logout", &[]).await;
    assert_eq!(real.status(), 200);
    assert_eq!(real.headers()["hx-redirect"], "/login");
    assert_eq!(browser.get("/sessions").await.status(), 303);
}

#[tokio::test]
async fn pages_carry_the_security_headers_and_errors_hide_internals() {
    let app = TestApp::spawn().await;
    let client = app.anonymous();
    let response = client
        .get(format!("{}/login", app.address))
        .send()
        .await
        .unwrap();
    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"));
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert_eq!(
        script_src.trim(),
        "script-src 'self'",
        "no inline script may run"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers.contains_key("referrer-policy"));
    let missing = client
        .get(format!("{}/no/such/page", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn a_bearer_token_authenticates_and_a_wrong_one_is_refused() {
    let app = TestApp::spawn().await;
    let user = app.add_user("script", "viewer");
    let client = app.anonymous();
    let ok = client
        .get(format!("{}/sessions", app.address))
        .bearer_auth(&user.token)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let bad = client
        .get(format!("{}/sessions", app.address))
        .bearer_auth("sdr_nope")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
}

#[tokio::test]
async fn an_oversized_form_is_refused_with_a_clear_error() {
    let app = TestApp::spawn().await;
    let big = "x".repeat(200_000);
    let response = app
        .anonymous()
        .post(format!("{}/login", app.address))
        .form(&[("name", "alice"), ("secret", big.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("not acceptable"));
}

#[tokio::test]
async fn a_password_set_on_the_command_line_signs_in_and_sign_out_everywhere_ends_it() {
    let app = TestApp::spawn().await;
    app.add_user("erin", "viewer");
    let db = app.lib.db.to_str().unwrap().to_owned();
    let lib = app.lib.root.to_str().unwrap().to_owned();
    let run = |args: &[&str], input: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sdreview"))
            .args(["--library", &lib, "--db", &db])
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let short = run(&["user", "set-password", "erin"], "short\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("too short"));
    let set = run(&["user", "set-password", "erin"], "a long enough secret\n");
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );

    let client = app.anonymous();
    let response = client
        .post(format!("{}/login", app.address))
        .form(&[("name", "ERIN"), ("secret", "a long enough secret")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "user names are case-insensitive");
    assert_eq!(
        client
            .get(format!("{}/sessions", app.address))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    let ended = run(&["user", "sign-out", "erin"], "");
    assert!(String::from_utf8_lossy(&ended.stdout).contains("Ended 1"));
    // The server remembers a sign-in for a few seconds (SIGN_IN_TTL); then it is gone.
    let mut status = 200;
    for _ in 0..80 {
        status = client
            .get(format!("{}/sessions", app.address))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        if status == 303 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        status, 303,
        "signed out everywhere within the cache's lifetime"
    );
}
