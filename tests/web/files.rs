//! Thumbnails and originals: caching headers, placeholders, and refusing every way out of the
//! library root.

use std::io::{Read, Write};

use crate::ratings::good_image;
use crate::support::app::TestApp;

#[tokio::test]
async fn thumbnails_are_jpeg_with_an_etag_and_revalidate_to_304() {
    let app = TestApp::spawn().await;
    let alice = app.browser("alice", "viewer").await;
    let image = good_image(&app);
    let path = format!("/images/{image}/thumb");
    let response = alice.get(&path).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("private, max-age=")
    );
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let bytes = response.bytes().await.unwrap();
    assert!(image::load_from_memory(&bytes).is_ok(), "a real JPEG");
    let again = alice
        .client
        .get(format!("{}{path}", alice.base))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn concurrent_first_thumbnail_requests_all_get_the_same_thumbnail() {
    let app = TestApp::spawn().await;
    let alice = app.browser("alice", "viewer").await;
    let image = good_image(&app);
    let path = format!("/images/{image}/thumb");
    let get = || async { alice.get(&path).await };
    let all = tokio::join!(get(), get(), get(), get(), get(), get(), get(), get());
    let responses = [all.0, all.1, all.2, all.3, all.4, all.5, all.6, all.7];
    let etags: Vec<String> = responses
        .iter()
        .map(|r| {
            assert_eq!(r.status(), 200);
            r.headers()["etag"].to_str().unwrap().to_owned()
        })
        .collect();
    assert!(
        etags.iter().all(|e| e == &etags[0]),
        "one thumbnail, made once: {etags:?}"
    );
    let thumbs = app.lib.dir.path().join("metadata.thumbs");
    let files = walk(&thumbs);
    assert_eq!(files.len(), 1, "{files:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[tokio::test]
async fn a_broken_image_gets_a_placeholder_thumbnail() {
    let app = TestApp::spawn().await;
    let alice = app.browser("alice", "viewer").await;
    let broken = app.lib.count(
        "SELECT id AS value FROM images WHERE broken IS NOT NULL AND on_disk ORDER BY id LIMIT 1",
    );
    let response = alice.get(&format!("/images/{broken}/thumb")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert!(response.text().await.unwrap().contains("<svg"));
    let page = alice.get_text(&format!("/images/{broken}")).await;
    assert!(page.contains("This file cannot be shown"));
}

#[tokio::test]
async fn originals_are_served_by_id_with_their_type_and_validators() {
    let app = TestApp::spawn().await;
    let alice = app.browser("alice", "viewer").await;
    let image = good_image(&app);
    let response = alice.get(&format!("/images/{image}/original")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    assert!(response.headers().contains_key("etag"));
    assert!(response.headers().contains_key("last-modified"));
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\x89PNG"));
    assert_eq!(alice.get("/images/999999/original").await.status(), 404);
}

/// A GET sent byte for byte, so that no client library tidies `%2e%2e` away first.
async fn raw_get(port: u16, path: &str, cookie: &str) -> (u16, String) {
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    );
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        answer.push_str(&String::from_utf8_lossy(&bytes));
        let status = answer[9..12].parse().unwrap();
        (status, answer)
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn originals_never_leave_the_library_root() {
    let app = TestApp::spawn().await;
    let user = app.add_user("alice", "viewer");
    let alice = app.sign_in(&user).await;
    let ids: Vec<i64> = (0..4)
        .map(|n| {
            app.lib.count(&format!(
                "SELECT id AS value FROM images WHERE broken IS NULL AND on_disk ORDER BY id LIMIT 1 OFFSET {n}"
            ))
        })
        .collect();
    let outside = app.lib.dir.path().join("outside-secret.txt");
    std::fs::write(&outside, "top secret").unwrap();

    // A filename with `..`, an absolute filename, a folder that is `..`, a symlink out.
    app.lib.execute(&format!(
        "UPDATE images SET filename = '../../outside-secret.txt' WHERE id = {};
         UPDATE images SET filename = '{}' WHERE id = {};",
        ids[0],
        outside.display(),
        ids[1]
    ));
    let folder = app.lib.text(&format!(
        "SELECT s.folder_name AS value FROM sessions s JOIN images i ON i.session_id = s.id WHERE i.id = {}",
        ids[3]
    ))
    .unwrap();
    std::os::unix::fs::symlink(&outside, app.lib.root.join(&folder).join("escape.png")).unwrap();
    app.lib.execute(&format!(
        "UPDATE images SET filename = 'escape.png' WHERE id = {}",
        ids[3]
    ));
    app.lib.execute(&format!(
        "INSERT INTO sessions (folder_name, name, created_at, metadata, source, scanned_at, updated_at)
         SELECT '..', 'evil', created_at, '{{}}', source, scanned_at, updated_at FROM sessions LIMIT 1;
         UPDATE images SET session_id = (SELECT id FROM sessions WHERE folder_name = '..'),
                           filename = 'outside-secret.txt' WHERE id = {};",
        ids[2]
    ));
    for id in &ids {
        let response = alice.get(&format!("/images/{id}/original")).await;
        assert_eq!(response.status(), 404, "image {id}");
        let body = response.text().await.unwrap();
        assert!(!body.contains("top secret"));
        assert!(body.contains("not inside the library"), "{body}");
        let thumb = alice.get(&format!("/images/{id}/thumb")).await;
        assert_eq!(
            thumb.headers()["content-type"],
            "image/svg+xml",
            "no thumbnail of a file outside"
        );
    }

    let login = app
        .anonymous()
        .post(format!("{}/login", app.address))
        .form(&[
            ("name", user.name.as_str()),
            ("secret", user.token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let cookie = login.headers()["set-cookie"].to_str().unwrap();
    let cookie = cookie[..cookie.find(';').unwrap()].to_owned();
    for path in [
        "/images/%2e%2e/original",
        "/images/%2e%2e%2f%2e%2e%2foutside-secret.txt/original",
        "/images/1/..%2f..%2fetc%2fpasswd",
        "/images/1/../../etc/passwd",
    ] {
        let (status, answer) = raw_get(app.port, path, &cookie).await;
        assert!((400..500).contains(&status), "{path} gave {status}");
        assert!(
            !answer.contains("top secret") && !answer.contains("root:"),
            "{path}"
        );
    }
    let fine = app.lib.count(
        "SELECT id AS value FROM images WHERE broken IS NULL AND on_disk ORDER BY id LIMIT 1 OFFSET 10",
    );
    let (status, _) = raw_get(app.port, &format!("/images/{fine}/original"), &cookie).await;
    assert_eq!(status, 200, "the same request for a good image is served");
}

#[tokio::test]
async fn test_tools_from_npm_are_never_served() {
    let app = TestApp::spawn().await;
    let client = app.anonymous();
    for path in [
        "/assets/0/node_modules/axe-core/axe.min.js",
        "/assets/0/node_modules/axe-core/package.json",
        "/assets/0/package.json",
    ] {
        let response = client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
    let htmx = client
        .get(format!(
            "{}/assets/0/node_modules/htmx.org/dist/htmx.min.js",
            app.address
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(htmx.status(), 200, "htmx is served");
}
