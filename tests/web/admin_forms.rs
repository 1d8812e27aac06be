//! The admin page's forms after issue 20: each answers with a redirect to the page, which says
//! once what happened (POST-redirect-GET); an admin cannot lock themselves or the household
//! out in one click; backups are made and downloaded from the browser; sign-ins say when and
//! from where; a refused change shows what is stored.

use std::time::{Duration, SystemTime};

use crate::admin::followed;
use crate::support::TestLibrary;
use crate::support::app::{Browser, TestApp, TestUser};
use crate::support::session_files::{SessionFolder, a1111_png, eventually};

fn id_of(app: &TestApp, name: &str) -> i64 {
    app.lib.count(&format!(
        "SELECT id AS value FROM users WHERE name = '{name}'"
    ))
}

fn live_tokens_of(app: &TestApp, name: &str) -> i64 {
    app.lib.count(&format!(
        "SELECT count(*) AS value FROM api_tokens t JOIN users u ON u.id = t.user_id
          WHERE u.name = '{name}' AND t.revoked_at IS NULL"
    ))
}

/// A browser signed in as `user` from `address` (any 127.x address reaches the server).
async fn signed_in_from(app: &TestApp, user: &TestUser, address: [u8; 4]) -> reqwest::Client {
    let client = app.anonymous_from(address);
    let response = client
        .post(format!("{}/login", app.address))
        .form(&[
            ("name", user.name.as_str()),
            ("secret", user.token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    client
}

/// The `<select>` of a user's role on the admin page.
fn role_select(page: &str, user: i64) -> &str {
    let start = page.find(&format!("id=\"role-{user}\"")).unwrap();
    let end = page[start..].find("</select>").unwrap() + start;
    &page[start..end]
}

/// A form's address, its fields, and what the page says after it.
type Form<'a> = (String, Vec<(&'a str, &'a str)>, &'a str);

#[tokio::test]
async fn every_admin_form_redirects_to_the_page_which_says_once_what_happened() {
    let app = TestApp::serve(TestLibrary::empty()).await;
    let ada = app.browser("ada", "admin").await;
    let bob_user = app.add_user("bob", "reviewer");
    let _bob = app.sign_in(&bob_user).await;
    let bob = id_of(&app, "bob").to_string();
    let bob_token = bob_user.token[4..16].to_owned();
    let bob_device = app
        .lib
        .text(&format!(
            "SELECT substr(id_hash, 1, 12) AS value FROM web_sessions WHERE user_id = {bob}"
        ))
        .unwrap();
    let revoked = format!("Token `{bob_token}` revoked");
    let forms: Vec<Form<'_>> = vec![
        (
            "/admin/devices/sign-out".into(),
            vec![("device", bob_device.as_str())],
            "That browser is signed out",
        ),
        (
            "/admin/users".into(),
            vec![("name", "carl"), ("role", "viewer")],
            "Added viewer `carl`",
        ),
        (
            format!("/admin/users/{bob}/tokens"),
            vec![("label", "phone")],
            "New access token for `bob`",
        ),
        (
            "/admin/tokens/revoke".into(),
            vec![("token", bob_token.as_str())],
            revoked.as_str(),
        ),
        (
            format!("/admin/users/{bob}/role"),
            vec![("role", "viewer")],
            "`bob` is now viewer",
        ),
        (
            format!("/admin/users/{bob}/access"),
            vec![("action", "disable")],
            "`bob` is disabled",
        ),
        (
            format!("/admin/users/{bob}/access"),
            vec![("action", "enable")],
            "`bob` can sign in again",
        ),
        ("/admin/rescan".into(), vec![], "Rescan started"),
        (
            "/admin/near-duplicates".into(),
            vec![("distance", "6")],
            "Near-duplicates are now images at most 6 bits apart",
        ),
        ("/admin/backups".into(), vec![], "Backup written"),
    ];
    for (path, form, notice) in &forms {
        let page = followed(&ada, ada.post_form(path, form).await).await;
        assert!(page.contains(notice), "POST {path}: {page}");
        let again = ada.get_text("/admin").await;
        assert!(!again.contains(notice), "POST {path}: said once only");
        // As htmx sends it, the answer is the same redirect.
        if path.as_str() == "/admin/near-duplicates" {
            let boosted = ada.post(path, form).await;
            assert_eq!(boosted.status(), 303);
            assert!(ada.get_text("/admin").await.contains(notice));
        }
    }
}

#[tokio::test]
async fn a_new_token_is_shown_once_on_the_page_the_form_leads_to_and_never_in_an_address() {
    let app = TestApp::serve(TestLibrary::empty()).await;
    let ada = app.browser("ada", "admin").await;
    let response = ada
        .post_form(
            "/admin/users",
            &[("name", "newcomer"), ("role", "reviewer")],
        )
        .await;
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(!location.contains("sdr_"), "{location}");
    let page = followed(&ada, response).await;
    assert!(page.contains("value=\"sdr_"), "the token is on the page");
    assert!(!ada.get_text("/admin").await.contains("value=\"sdr_"));
}

#[tokio::test]
async fn a_refused_demotion_shows_the_stored_role_and_why() {
    let app = TestApp::serve(TestLibrary::empty()).await;
    let ada = app.browser("ada", "admin").await;
    let me = id_of(&app, "ada");
    let refused = ada
        .post(&format!("/admin/users/{me}/role"), &[("role", "viewer")])
        .await;
    let page = followed(&ada, refused).await;
    assert!(page.contains("only admin left"), "{page}");
    let select = role_select(&page, me);
    assert!(
        select.contains("<option selected>admin</option>"),
        "{select}"
    );
    assert!(
        !select.contains("<option selected>viewer</option>"),
        "{select}"
    );
}

#[tokio::test]
async fn revoking_the_token_an_admin_is_signed_in_with_asks_them_to_confirm() {
    let app = TestApp::serve(TestLibrary::empty()).await;
    let ada_user = app.add_user("ada", "admin");
    let ada = app.sign_in(&ada_user).await;
    app.add_user("carl", "admin");
    let mine = &ada_user.token[4..16];
    let page = ada.get_text("/admin").await;
    assert!(page.contains("I understand this signs me out"));

    let asked = ada
        .post_form("/admin/tokens/revoke", &[("token", mine)])
        .await;
    let page = followed(&ada, asked).await;
    assert!(page.contains("Not revoked"), "{page}");
    assert_eq!(live_tokens_of(&app, "ada"), 1, "nothing revoked unasked");

    let confirmed = ada
        .post_form(
            "/admin/tokens/revoke",
            &[("token", mine), ("confirm", "yes")],
        )
        .await;
    assert_eq!(confirmed.status(), 303);
    assert_eq!(live_tokens_of(&app, "ada"), 0);
    assert_eq!(
        ada.get("/admin").await.status(),
        303,
        "signed out, as confirmed"
    );
}

#[tokio::test]
async fn the_last_admin_cannot_revoke_their_last_way_in_even_when_confirmed() {
    let app = TestApp::serve(TestLibrary::empty()).await;
    let ada_user = app.add_user("ada", "admin");
    let ada = app.sign_in(&ada_user).await;
    let mine = &ada_user.token[4..16];
    let refused = ada
        .post_form(
            "/admin/tokens/revoke",
            &[("token", mine), ("confirm", "yes")],
        )
        .await;
    let page = followed(&ada, refused).await;
    assert!(page.contains("last way in of `ada`"), "{page}");
    assert_eq!(
        live_tokens_of(&app, "ada"),
        1,
        "the revocation was rolled back"
    );
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM web_sessions WHERE revoked_at IS NULL"),
        1,
        "and her sign-in stays"
    );

    // With a second token she may revoke the first: another way in is left.
    let second = app.add_token("ada");
    let revoked = ada
        .post_form(
            "/admin/tokens/revoke",
            &[("token", mine), ("confirm", "yes")],
        )
        .await;
    assert_eq!(revoked.status(), 303);
    assert_eq!(live_tokens_of(&app, "ada"), 1);
    let again = TestUser {
        name: "ada".into(),
        token: second,
    };
    app.sign_in(&again).await;
}

#[tokio::test]
async fn signing_out_this_browser_from_the_admin_page_asks_to_confirm() {
    let app = TestApp::serve(TestLibrary::empty()).await;
    let ada = app.browser("ada", "admin").await;
    let mine = app
        .lib
        .text("SELECT substr(id_hash, 1, 12) AS value FROM web_sessions")
        .unwrap();
    let asked = ada
        .post_form("/admin/devices/sign-out", &[("device", &mine)])
        .await;
    assert!(followed(&ada, asked).await.contains("Not signed out"));
    let confirmed = ada
        .post_form(
            "/admin/devices/sign-out",
            &[("device", &mine), ("confirm", "yes")],
        )
        .await;
    assert_eq!(confirmed.status(), 303);
    assert_eq!(ada.get("/admin").await.status(), 303, "signed out");
}

#[tokio::test]
async fn an_admin_makes_a_backup_and_downloads_it_and_only_listed_backups() {
    let app = TestApp::serve(TestLibrary::empty()).await;
    let ada = app.browser("ada", "admin").await;
    let page = followed(&ada, ada.post_form("/admin/backups", &[]).await).await;
    let start = page
        .find("href=\"/admin/backups/")
        .expect("a download link")
        + 6;
    let end = page[start..].find('"').unwrap() + start;
    let link = page[start..end].to_owned();
    assert!(link.ends_with("-manual"), "{link}");

    let download = ada.get(&link).await;
    assert_eq!(download.status(), 200);
    let disposition = download.headers()["content-disposition"].to_str().unwrap();
    let name = link.trim_start_matches("/admin/backups/");
    assert_eq!(disposition, format!("attachment; filename=\"{name}\""));
    let bytes = download.bytes().await.unwrap();
    assert!(bytes.starts_with(b"SQLite format 3\0"));

    for path in [
        "/admin/backups/metadata.db",
        "/admin/backups/..%2Fmetadata.db",
        "/admin/backups/%2Fetc%2Fpasswd",
    ] {
        assert_eq!(ada.get(path).await.status(), 404, "{path}");
    }
    let rita = app.browser("rita", "reviewer").await;
    assert_eq!(rita.get(&link).await.status(), 403);
    assert_eq!(rita.post_form("/admin/backups", &[]).await.status(), 403);
}

#[tokio::test]
async fn two_sign_ins_of_the_same_browser_say_when_and_from_where() {
    let app = TestApp::serve(TestLibrary::empty()).await;
    let ada = app.browser("ada", "admin").await;
    let bob = app.add_user("bob", "reviewer");
    signed_in_from(&app, &bob, [127, 0, 0, 2]).await;
    signed_in_from(&app, &bob, [127, 0, 0, 3]).await;
    let page = ada.get_text("/admin").await;
    assert!(page.contains("from 127.0.0.2"), "{page}");
    assert!(page.contains("from 127.0.0.3"), "{page}");
}

#[tokio::test]
async fn a_file_cut_short_long_ago_is_not_said_to_be_written_moments_ago() {
    let app = TestApp::serve(TestLibrary::empty()).await;
    let ada: Browser = app.browser("ada", "admin").await;
    let folder = SessionFolder::create(&app.lib.root, "20261201_170000-old");
    folder.write("00001.png", &a1111_png(1));
    folder.write("00002.png", b"");
    let ten_minutes_ago = SystemTime::now() - Duration::from_secs(600);
    std::fs::File::options()
        .write(true)
        .open(app.lib.root.join("20261201_170000-old/00002.png"))
        .unwrap()
        .set_modified(ten_minutes_ago)
        .unwrap();
    followed(&ada, ada.post_form("/admin/rescan", &[]).await).await;
    let ran = || {
        app.lib
            .count("SELECT count(*) AS value FROM import_runs WHERE kind = 'rescan'")
            == 1
    };
    assert!(eventually(Duration::from_secs(20), ran).await);
    let page = ada.get_text("/admin").await;
    assert!(page.contains("20261201_170000-old/00002.png"), "{page}");
    assert!(!page.contains("moments ago"), "{page}");
}
