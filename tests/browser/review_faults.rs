//! Review mode when the server cannot save: a fault it names (here its database file replaced
//! underneath, as `mv backup metadata.db` does) is said in the status line in the server's
//! words, and the decision waits in the browser, not lost and not taken as saved.

use crate::driver::{Driver, eventually};
use crate::review::{app, open, press, session, verdict};
use crate::review_support::{js_string, screenshot};

#[tokio::test]
async fn a_decision_the_server_cannot_save_says_why_in_its_words_and_waits() {
    let app = app().await;
    let (session, ids) = session(&app, 3);
    let driver = Driver::start().await;
    let client = driver.phone().await;
    open(&client, &app, "rhea", session).await;

    let copy = app.lib.dir.path().join("older.db");
    std::fs::copy(&app.lib.db, &copy).unwrap();
    std::fs::rename(&copy, &app.lib.db).unwrap();
    press(&client, "p").await;

    let line = "const s = document.getElementById('rv-saved'); return s.className + '|' + s.textContent + '|' + s.title";
    eventually("the status line says why nothing was saved", || async {
        js_string(&client, line)
            .await
            .contains("Not saved: the database file was moved (1 waiting)")
    })
    .await;
    let said = js_string(&client, line).await;
    assert!(said.starts_with("rv-saved failed|"), "{said}");
    assert!(said.contains("(1 waiting)"), "{said}");
    assert!(
        said.contains("restart sdreview") && said.contains("1 decision waiting"),
        "the whole of it in the title: {said}"
    );
    let waiting = js_string(
        &client,
        "return localStorage.getItem('sdreview:pending:rhea') || ''",
    )
    .await;
    assert!(waiting.contains(&format!("\"{}\"", ids[0])), "{waiting}");
    assert_eq!(verdict(&app, ids[0], "quality"), "", "nothing was saved");
    screenshot(&client, "review-not-saved-phone").await;
}
