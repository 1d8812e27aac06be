//! The database file deleted or replaced while the server runs: writes stop with a 503 that
//! says what happened, rather than landing in a file nobody will read again.

use crate::ratings::good_image;
use crate::support::app::TestApp;

#[tokio::test]
async fn a_database_replaced_underneath_takes_no_more_writes_and_says_why() {
    let app = TestApp::spawn().await;
    let image = good_image(&app);
    let rater = app.browser("rae", "reviewer").await;
    let path = format!("/images/{image}/rating");
    assert_eq!(rater.post(&path, &[("action", "like")]).await.status(), 200);

    // An older copy moved over the live file, as `mv backup metadata.db` does.
    let copy = app.lib.dir.path().join("older.db");
    std::fs::copy(&app.lib.db, &copy).unwrap();
    std::fs::rename(&copy, &app.lib.db).unwrap();

    let refused = rater.post(&path, &[("action", "perfect")]).await;
    assert_eq!(refused.status(), 503);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("moved, deleted or replaced") && page.contains("restart sdreview"),
        "{page}"
    );
    let written = app.lib.count(&format!(
        "SELECT count(*) AS value FROM judgements WHERE image_id = {image} AND quality = 'perfect'"
    ));
    assert_eq!(written, 0, "nothing was written to either file");
    // Reading still works: the pages show what the server has open.
    assert_eq!(rater.get(&format!("/images/{image}")).await.status(), 200);
}

#[tokio::test]
async fn a_database_deleted_underneath_takes_no_more_writes() {
    let app = TestApp::spawn().await;
    let image = good_image(&app);
    let rater = app.browser("rod", "reviewer").await;
    let path = format!("/images/{image}/rating");
    assert_eq!(rater.post(&path, &[("action", "like")]).await.status(), 200);
    std::fs::remove_file(&app.lib.db).unwrap();
    assert_eq!(
        rater.post(&path, &[("action", "perfect")]).await.status(),
        503
    );
}
