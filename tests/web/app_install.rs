//! Installing on a phone's home screen (issue 20): the web app manifest, its icons, and the
//! page tags that point to them, on the sign-in page too (where a new phone starts).

use serde_json::Value;

use crate::support::app::TestApp;

#[tokio::test]
async fn the_manifest_installs_review_full_screen_with_icons_that_are_real_pngs() {
    let app = TestApp::spawn().await;
    let client = app.anonymous();
    // Browsers fetch the manifest without the sign-in's cookie.
    let response = client
        .get(format!("{}/manifest.webmanifest", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/manifest+json"
    );
    let manifest: Value = response.json().await.unwrap();
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["start_url"], "/review");
    assert_eq!(manifest["name"], "sdreview");
    let icons = manifest["icons"].as_array().unwrap();
    let mut seen = Vec::new();
    for icon in icons {
        let png = client
            .get(format!("{}{}", app.address, icon["src"].as_str().unwrap()))
            .send()
            .await
            .unwrap();
        assert_eq!(png.status(), 200, "{icon}");
        let bytes = png.bytes().await.unwrap();
        let image = image::load_from_memory(&bytes).unwrap();
        let size = format!("{}x{}", image.width(), image.height());
        assert_eq!(icon["sizes"], size.as_str(), "the icon is the size it says");
        seen.push((size, icon["purpose"].as_str().unwrap().to_owned()));
    }
    for wanted in [
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    ] {
        assert!(
            seen.iter().any(|(s, p)| s == wanted.0 && p == wanted.1),
            "an icon {wanted:?} among {seen:?}"
        );
    }
}

#[tokio::test]
async fn every_page_points_to_the_manifest_its_colours_and_the_home_screen_icon() {
    let app = TestApp::spawn().await;
    let sign_in = app
        .anonymous()
        .get(format!("{}/login", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let browser = app.browser("ada", "admin").await;
    let sessions = browser.get_text("/sessions").await;
    for (name, page) in [("sign-in", &sign_in), ("sessions", &sessions)] {
        assert!(
            page.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#),
            "{name}"
        );
        assert!(
            page.contains(r#"name="theme-color" media="(prefers-color-scheme: dark)""#),
            "{name}"
        );
        let at = page.find(r#"rel="apple-touch-icon" href=""#).expect(name) + 29;
        let href = &page[at..at + page[at..].find('"').unwrap()];
        let icon = browser.get(href).await;
        assert_eq!(icon.status(), 200, "{name}: {href}");
        let image = image::load_from_memory(&icon.bytes().await.unwrap()).unwrap();
        assert_eq!((image.width(), image.height()), (180, 180));
    }
}
