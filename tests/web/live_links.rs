//! Symbolic links inside the library: the importer ignores them, and so does the watcher; a
//! link never takes the watch of the real folder it points to.

use std::os::unix::fs::symlink;
use std::time::Duration;

use crate::live::{PATIENCE, images_of, session_on_disk, watching};
use crate::support::TestLibrary;
use crate::support::app::TestApp;
use crate::support::session_files::{SessionFolder, a1111_png, eventually};

/// Longer than the settle time: the watcher has taken the link's event, and imported it if it
/// would.
const LINK_SEEN: Duration = Duration::from_millis(800);

#[tokio::test]
async fn a_link_to_the_library_inside_it_leaves_new_folders_imported() {
    let app = TestApp::serve_with(TestLibrary::empty(), Some(watching())).await;
    symlink(&app.lib.root, app.lib.root.join("x")).unwrap();
    tokio::time::sleep(LINK_SEEN).await;

    let sessions: Vec<SessionFolder> = (1..=2)
        .map(|n| {
            let session =
                SessionFolder::create(&app.lib.root, &format!("20261201_20000{n}-after the link"));
            session.write("00001.png", &a1111_png(n));
            session
        })
        .collect();
    let imported = eventually(PATIENCE, || {
        sessions.iter().all(|s| images_of(&app, &s.name, "1") == 1)
    })
    .await;
    assert!(imported, "both new folders are imported by the watcher");
    assert_eq!(session_on_disk(&app, "x"), None, "a link is not a session");
}

#[tokio::test]
async fn a_latest_link_to_the_session_being_written_leaves_its_images_arriving() {
    let app = TestApp::serve_with(TestLibrary::empty(), Some(watching())).await;
    let session = SessionFolder::create(&app.lib.root, "20261201_210000-linked as latest");
    session.write("00001.png", &a1111_png(1));
    assert!(eventually(PATIENCE, || images_of(&app, &session.name, "1") == 1).await);

    // As a generator does: "latest" names the folder it writes into, by a relative link.
    symlink(&session.name, app.lib.root.join("latest")).unwrap();
    tokio::time::sleep(LINK_SEEN).await;
    for n in 2..=5 {
        session.write_via_rename(&format!("{n:05}.png"), &a1111_png(n));
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    let all = eventually(PATIENCE, || images_of(&app, &session.name, "1") == 5).await;
    assert!(
        all,
        "5 images expected, found {}",
        images_of(&app, &session.name, "1")
    );
    assert_eq!(
        session_on_disk(&app, "latest"),
        None,
        "a link is not a session"
    );
}
