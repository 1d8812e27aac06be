//! Pages that grow by themselves: the sessions list and a session's gallery ask for what
//! arrived since they were drawn.

use crate::support::TestLibrary;
use crate::support::app::TestApp;
use crate::support::session_files::{SessionFolder, a1111_png};

/// The address a page polls, from the poller element with this id.
fn poller_of(page: &str, id: &str) -> String {
    let start = page
        .find(&format!("id=\"{id}\""))
        .expect("the page has a poller");
    let rest = &page[start..];
    let from = rest.find("hx-get=\"").unwrap() + "hx-get=\"".len();
    let to = rest[from..].find('"').unwrap() + from;
    rest[from..to].replace("&amp;", "&").replace("&#38;", "&")
}

fn session_with(lib: &TestLibrary, name: &str, images: u32) -> SessionFolder {
    let folder = SessionFolder::create(&lib.root, name);
    for n in 1..=images {
        folder.write(&format!("{n:05}.png"), &a1111_png(n));
    }
    folder
}

#[tokio::test]
async fn the_sessions_list_puts_a_session_that_arrived_after_it_was_drawn_at_the_top() {
    let lib = TestLibrary::empty();
    session_with(&lib, "20261201_080000-older", 2);
    lib.import();
    let app = TestApp::serve(lib).await;
    let viewer = app.browser("vera", "viewer").await;
    let page = viewer.get_text("/sessions").await;
    let poll = poller_of(&page, "session-news");
    assert_eq!(viewer.get(&poll).await.status(), 204, "nothing new yet");

    session_with(&app.lib, "20261201_160000-arrived later", 3);
    app.lib.import();
    let news = viewer.get_text(&poll).await;
    assert!(news.contains("1 new session"), "{news}");
    let rows = news
        .find("hx-swap-oob=\"afterbegin:#session-rows\"")
        .expect("rows for the top");
    assert!(news[rows..].contains("arrived later"), "{news}");
    assert!(
        !news.contains("older"),
        "only the new session is sent: {news}"
    );
    let next = poller_of(&news, "session-news");
    assert_eq!(viewer.get(&next).await.status(), 204, "announced once");
}

#[tokio::test]
async fn a_sessions_list_sorted_otherwise_only_announces_new_sessions() {
    let lib = TestLibrary::empty();
    session_with(&lib, "20261201_080000-older", 1);
    lib.import();
    let app = TestApp::serve(lib).await;
    let viewer = app.browser("vera", "viewer").await;
    let page = viewer.get_text("/sessions?sort=name&dir=asc").await;
    let poll = poller_of(&page, "session-news");
    session_with(&app.lib, "20261201_160000-arrived later", 1);
    app.lib.import();
    let news = viewer.get_text(&poll).await;
    assert!(news.contains("1 new session"), "{news}");
    assert!(
        !news.contains("hx-swap-oob"),
        "no row is put at the top of a list sorted by name"
    );
}

#[tokio::test]
async fn a_gallery_being_viewed_grows_as_images_arrive() {
    let lib = TestLibrary::empty();
    let folder = session_with(&lib, "20261201_090000-growing", 2);
    lib.import();
    let app = TestApp::serve(lib).await;
    let id = app.lib.count("SELECT id AS value FROM sessions");
    let viewer = app.browser("vera", "viewer").await;
    let page = viewer.get_text(&format!("/sessions/{id}")).await;
    assert!(page.contains("2 images"), "{page}");
    let poll = poller_of(&page, "gallery-news");
    assert_eq!(viewer.get(&poll).await.status(), 204);

    folder.write("00003.png", &a1111_png(3));
    app.lib.import();
    let grown = viewer.get_text(&poll).await;
    assert!(
        grown.contains("3 images") && grown.contains("id=\"gallery-results\""),
        "{grown}"
    );
    assert_eq!(grown.matches("class=\"tile-link\"").count(), 3);
    assert_eq!(
        viewer
            .get(&poller_of(&grown, "gallery-news"))
            .await
            .status(),
        204
    );
}

#[tokio::test]
async fn a_filtered_gallery_announces_new_images_instead_of_redrawing() {
    let lib = TestLibrary::empty();
    let folder = session_with(&lib, "20261201_090000-growing", 2);
    lib.import();
    let app = TestApp::serve(lib).await;
    let id = app.lib.count("SELECT id AS value FROM sessions");
    let viewer = app.browser("vera", "viewer").await;
    let page = viewer.get_text(&format!("/sessions/{id}?liked=1")).await;
    let poll = poller_of(&page, "gallery-news");
    folder.write("00003.png", &a1111_png(3));
    app.lib.import();
    let response = viewer.get(&poll).await;
    assert_eq!(response.headers()["hx-retarget"], "#gallery-news");
    let pill = response.text().await.unwrap();
    assert!(pill.contains("1 new image: show"), "{pill}");
}
