use fantoccini::{Client, Locator};

use crate::driver::{Driver, find};
use crate::support::app::{TestApp, TestUser};

/// Signs in through the form, as a person would.
pub async fn sign_in(client: &Client, app: &TestApp, user: &TestUser) {
    client
        .goto(&format!("{}/login", app.address))
        .await
        .unwrap();
    find(client, "input[name=name]")
        .await
        .send_keys(&user.name)
        .await
        .unwrap();
    find(client, "input[name=secret]")
        .await
        .send_keys(&user.token)
        .await
        .unwrap();
    find(client, "form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    find(client, ".topbar .who").await;
}

async fn signs_in_and_out(client: Client, app: &TestApp) {
    let user = app.add_user("dana", "reviewer");
    client
        .goto(&format!("{}/sessions", app.address))
        .await
        .unwrap();
    // Sent to the sign-in page, then back to where we were going.
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/login")
    );
    find(&client, "input[name=name]")
        .await
        .send_keys(&user.name)
        .await
        .unwrap();
    find(&client, "input[name=secret]")
        .await
        .send_keys("wrong")
        .await
        .unwrap();
    find(&client, "form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    let alert = find(&client, ".alert").await.text().await.unwrap();
    assert!(alert.contains("do not match"), "{alert}");
    sign_in(&client, app, &user).await;
    assert_eq!(client.current_url().await.unwrap().path(), "/sessions");
    let who = find(&client, ".topbar .who").await;
    assert_eq!(
        who.attr("title").await.unwrap().unwrap(),
        "Signed in as dana (reviewer): your account"
    );
    client
        .find(Locator::Css(".topbar form[hx-post='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    find(&client, "form[action='/login']").await;
    client
        .goto(&format!("{}/sessions", app.address))
        .await
        .unwrap();
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/login")
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_person_signs_in_and_out_on_a_desktop() {
    let app = TestApp::spawn().await;
    let driver = Driver::start().await;
    signs_in_and_out(driver.desktop().await, &app).await;
}

#[tokio::test]
async fn a_person_signs_in_and_out_on_a_phone() {
    let app = TestApp::spawn().await;
    let driver = Driver::start().await;
    signs_in_and_out(driver.phone().await, &app).await;
}
