//! `spawn_app`: the real server on an ephemeral port against a fresh SQLite file, and clients
//! that sign in like a browser.

use std::sync::LazyLock;

use reqwest::{Client, Response, redirect};
use sdreview::auth::{password, token::Token};
use sdreview::config::Paths;
use sdreview::db::models::{NewApiToken, NewUser};
use sdreview::db::users;
use sdreview::live::WatchSettings;
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

/// argon2 is slow in debug builds; tests share one token hash per role.
static SHARED_TOKEN: LazyLock<(Token, String)> = LazyLock::new(|| {
    let token = Token::generate();
    let hash = password::hash(&token.secret).unwrap();
    (token, hash)
});

impl TestApp {
    /// A generated library, imported, served.
    pub async fn spawn() -> TestApp {
        let lib = TestLibrary::generated();
        lib.import();
        Self::serve(lib).await
    }

    pub async fn serve(lib: TestLibrary) -> TestApp {
        Self::serve_with(lib, None).await
    }

    /// Served with the library watched as `watch` says (None: not watched).
    pub async fn serve_with(lib: TestLibrary, watch: Option<WatchSettings>) -> TestApp {
        let settings = Settings {
            paths: Paths {
                library: lib.root.clone(),
                db: lib.db.clone(),
            },
            bind: "127.0.0.1:0".to_owned(),
            import_on_start: false,
            watch,
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

    /// A user with one access token.
    pub fn add_user(&self, name: &str, role: &str) -> TestUser {
        let (shared, hash) = &*SHARED_TOKEN;
        let lookup = Token::generate().lookup;
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
                lookup: &lookup,
                secret_hash: hash,
                created_at: now,
            },
        )
        .unwrap();
        TestUser {
            name: name.to_owned(),
            token: Token {
                lookup,
                secret: shared.secret.clone(),
            }
            .reveal(),
        }
    }

    /// A client with no sign-in that does not follow redirects.
    pub fn anonymous(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(redirect::Policy::none())
            .build()
            .unwrap()
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
        let mut fields = vec![("csrf", self.csrf.as_str())];
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
