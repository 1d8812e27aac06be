//! What is gzipped: pages, not the small fragments a click brings back, and never a stray
//! "identity" encoding.

use std::io::Read;

use crate::ratings::good_image;
use crate::support::app::TestApp;

#[tokio::test]
async fn a_small_fragment_comes_plain_and_a_page_gzipped() {
    let app = TestApp::spawn().await;
    let image = good_image(&app);
    let rae = app.browser("rae", "reviewer").await;

    let fragment = rae
        .client
        .post(format!("{}/images/{image}/rating", rae.base))
        .header("X-CSRF-Token", &rae.csrf)
        .header("HX-Request", "true")
        .header("Accept-Encoding", "gzip")
        .form(&[("action", "like")])
        .send()
        .await
        .unwrap();
    assert_eq!(fragment.status(), 200);
    assert!(
        fragment.headers().get("content-encoding").is_none(),
        "{:?}",
        fragment.headers()
    );
    let text = fragment.text().await.unwrap();
    assert!(text.len() < 8 * 1024 && text.contains("rating"), "{text}");

    let plain = rae.get_text("/sessions").await;
    assert!(plain.len() > 8 * 1024, "the sessions page is a large one");
    let page = rae
        .client
        .get(format!("{}/sessions", rae.base))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(page.headers()["content-encoding"], "gzip");
    let mut unzipped = String::new();
    flate2::read::GzDecoder::new(&page.bytes().await.unwrap()[..])
        .read_to_string(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, plain);
}
