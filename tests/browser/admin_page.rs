//! The admin page in a phone's browser (htmx boosting its forms): a form's answer leaves the
//! address at /admin, so a reload shows the page instead of a 404 or a second post, and a
//! refused change shows the stored value with the reason.

use fantoccini::Client;

use crate::driver::{Driver, find, text_of};
use crate::fit::misfits;
use crate::sign_in::sign_in;
use crate::support::app::TestApp;

async fn path_of(client: &Client) -> String {
    client
        .execute("return location.pathname", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_refused_demotion_on_a_phone_shows_the_stored_role_and_a_reload_shows_the_page() {
    let app = TestApp::spawn().await;
    let ada = app.add_user("ada", "admin");
    let me = app
        .lib
        .count("SELECT id AS value FROM users WHERE name = 'ada'");
    let driver = Driver::start().await;
    let client = driver.phone().await;
    sign_in(&client, &app, &ada).await;
    client
        .goto(&format!("{}/admin", app.address))
        .await
        .unwrap();
    let select = format!("#role-{me}");
    client
        .execute(
            "document.querySelector(arguments[0]).value = 'viewer'",
            vec![select.clone().into()],
        )
        .await
        .unwrap();
    let form = format!("form[action='/admin/users/{me}/role'] button");
    find(&client, &form).await.click().await.unwrap();
    find(&client, "#admin-refusal").await;
    assert!(
        text_of(&client, "#admin-refusal")
            .await
            .contains("only admin left")
    );
    let shown = client
        .execute(
            "return document.querySelector(arguments[0]).value",
            vec![select.clone().into()],
        )
        .await
        .unwrap();
    assert_eq!(
        shown.as_str(),
        Some("admin"),
        "the stored role, not the refused one"
    );
    assert_eq!(path_of(&client).await, "/admin");

    client.refresh().await.unwrap();
    find(&client, ".admin-page").await;
    assert_eq!(path_of(&client).await, "/admin");
    assert_eq!(text_of(&client, "#admin-refusal").await, "", "said once");
    let outside = misfits(
        &client,
        ".admin-page > *, .admin-page .user, .admin-page form",
    )
    .await;
    assert!(outside.is_empty(), "{outside:#?}");
}
