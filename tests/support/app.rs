//! `spawn_app`: the real server on an ephemeral port against a fresh SQLite file, and clients
//! that sign in like a browser.

use reqwest::{Client, Response, redirect};
use sdreview::auth::token::Token;
use sdreview::config::Paths;
use sdreview::db::models::{NewApiToken, NewUser};
use sdreview::db::users;
use sdreview::live::WatchSettings;
use sdreview::similar::pass::PassSettings;
use sdreview::startup::{Application, Settings};

use super::TestLibrary;

pub struct TestApp {
    pub lib: TestLibrary,
    pub address: String,
    pub port: u16,
}

pub struct TestUser {
    pub name: String,
    pub token: String,
}

/// A signed-in browser: its cookie jar holds the sign-in, `csrf` is the page's token.
pub struct Browser {
    pub client: Client,
    pub csrf: String,
    pub base: String,
}

impl TestApp {
    /// A generated library, imported, served.
    pub async fn spawn() -> TestApp {
        let lib = TestLibrary::generated();
        lib.import();
        Self::serve(lib).await
    }

    pub async fn serve(lib: TestLibrary) -> TestApp {
        Self::configured(lib, false, None).await
    }

    /// Served as if behind a reverse proxy that sets `Forwarded` / `X-Forwarded-*`.
    pub async fn serve_behind_proxy(lib: TestLibrary) -> TestApp {
        Self::configured(lib, true, None).await
    }

    /// Served with the library watched as `watch` says (None: not watched).
    pub async fn serve_with(lib: TestLibrary, watch: Option<WatchSettings>) -> TestApp {
        Self::configured(lib, false, watch).await
    }

    /// Served with the hashing pass running, looking for new images every 100 ms.
    pub async fn serve_hashing(lib: TestLibrary) -> TestApp {
        Self::build(
            lib,
            false,
            None,
            Some(PassSettings {
                look_for_new: std::time::Duration::from_millis(100),
                full_walk: std::time::Duration::from_secs(1),
            }),
        )
        .await
    }

    async fn configured(
        lib: TestLibrary,
        behind_proxy: bool,
        watch: Option<WatchSettings>,
    ) -> TestApp {
        Self::build(lib, behind_proxy, watch, None).await
    }

    async fn build(
        lib: TestLibrary,
        behind_proxy: bool,
        watch: Option<WatchSettings>,
        hashing: Option<PassSettings>,
    ) -> TestApp {
        let settings = Settings {
            paths: Paths {
                library: lib.root.clone(),
                db: lib.db.clone(),
            },
            bind: "127.0.0.1:0".to_owned(),
            import_on_start: false,
            behind_proxy,
            watch,
            hashing,
            predicting: None,
            tls: None,
        };
        let app = Application::build(&settings).unwrap();
        let port = app.port();
        tokio::spawn(app.run_until_stopped());
        TestApp {
            lib,
            address: format!("http://127.0.0.1:{port}"),
            port,
        }
    }

    /// A user with one access token, stored as `sdreview user add` stores it.
    pub fn add_user(&self, name: &str, role: &str) -> TestUser {
        let token = Token::generate();
        let mut conn = self.lib.pool().get().unwrap();
        let now = sdreview::db::now();
        let user = users::insert(
            &mut conn,
            &NewUser {
                name,
                role,
                created_at: now,
                updated_at: now,
            },
        )
        .unwrap();
        users::insert_token(
            &mut conn,
            &NewApiToken {
                user_id: user.id,
                label: "test",
                lookup: &token.lookup,
                secret_hash: &token.secret_hash(),
                created_at: now,
            },
        )
        .unwrap();
        TestUser {
            name: name.to_owned(),
            token: token.reveal(),
        }
    }

    /// Another live token for an existing user; returns the whole token.
    pub fn add_token(&self, name: &str) -> String {
        let token = Token::generate();
        let mut conn = self.lib.pool().get().unwrap();
        let user = users::find_by_name(&mut conn, name).unwrap().unwrap();
        users::insert_token(
            &mut conn,
            &NewApiToken {
                user_id: user.id,
                label: "another",
                lookup: &token.lookup,
                secret_hash: &token.secret_hash(),
                created_at: sdreview::db::now(),
            },
        )
        .unwrap();
        token.reveal()
    }

    /// A client with no sign-in that does not follow redirects.
    pub fn anonymous(&self) -> Client {
        Self::client_builder().build().unwrap()
    }

    /// The same, connecting from another loopback address (127.0.0.0/8 all reach the server),
    /// as a second device on the LAN would.
    pub fn anonymous_from(&self, address: [u8; 4]) -> Client {
        Self::client_builder()
            .local_address(std::net::IpAddr::from(address))
            .build()
            .unwrap()
    }

    fn client_builder() -> reqwest::ClientBuilder {
        Client::builder()
            .cookie_store(true)
            .redirect(redirect::Policy::none())
    }

    /// Asks for `path` until it answers `status`, for at most `seconds`; returns the last
    /// status. For changes a running server picks up when its identity cache expires.
    pub async fn status_within(
        &self,
        request: impl Fn() -> reqwest::RequestBuilder,
        status: u16,
        seconds: u64,
    ) -> u16 {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
        loop {
            let got = request().send().await.unwrap().status().as_u16();
            if got == status || std::time::Instant::now() > deadline {
                return got;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    pub async fn sign_in(&self, user: &TestUser) -> Browser {
        let client = self.anonymous();
        let response = client
            .post(format!("{}/login", self.address))
            .form(&[
                ("name", user.name.as_str()),
                ("secret", user.token.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "sign-in of {} failed", user.name);
        let page = client
            .get(format!("{}/search", self.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&page).expect("the page carries a CSRF token");
        Browser {
            client,
            csrf,
            base: self.address.clone(),
        }
    }

    /// A signed-in user of that role.
    pub async fn browser(&self, name: &str, role: &str) -> Browser {
        let user = self.add_user(name, role);
        self.sign_in(&user).await
    }
}

pub fn csrf_of(page: &str) -> Option<String> {
    let start = page.find("\"X-CSRF-Token\": \"")? + "\"X-CSRF-Token\": \"".len();
    let end = page[start..].find('"')? + start;
    Some(page[start..end].to_owned())
}

impl Browser {
    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    pub async fn get_text(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.text().await.unwrap()
    }

    /// A form POST as htmx sends it: with the CSRF header.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header("X-CSRF-Token", &self.csrf)
            .header("HX-Request", "true")
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// A plain HTML form POST, as a browser without JavaScript sends it: the CSRF token is a
    /// field of the form.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Response {
        let mut fields = vec![("csrf_token", self.csrf.as_str())];
        fields.extend_from_slice(form);
        self.client
            .post(format!("{}{path}", self.base))
            .form(&fields)
            .send()
            .await
            .unwrap()
    }

    /// The same POST without the CSRF header, as a forged cross-site form would arrive.
    pub async fn post_without_csrf(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await
            .unwrap()
    }
}
