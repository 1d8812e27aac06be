//! The release binary serving the benchmark database, and a signed-in reviewer's cookie and
//! CSRF token.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::dataset::Dataset;
use diesel::prelude::*;
use sdreview::db::schema::{users, web_sessions};

use super::http;
use crate::process::{self, free_port};

pub struct Server {
    child: Child,
    pub port: u16,
}

pub struct SignedIn {
    pub cookie: String,
    pub csrf: String,
    /// Where the CSRF token was found (a page, or the database while no page carries it).
    pub csrf_from: String,
}

impl Server {
    pub fn start(dataset: &Dataset, log: &Path) -> Server {
        let port = free_port();
        let log = std::fs::File::create(log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_sdreview"))
            .args(["--library", dataset.library.to_str().unwrap()])
            .args(["--db", dataset.db.to_str().unwrap()])
            .args([
                "serve",
                "--no-import",
                // The steady state, once every image is hashed: the hashing pass is measured
                // by `cargo bench --bench similar`.
                "--no-hash",
                "--no-predict",
                // The library folder holds one session of real files; the other 999,976
                // images exist only in the database. A watcher's periodic check would (rightly)
                // mark them gone, five minutes in, in the middle of a measurement.
                "--no-watch",
                "--bind",
                &format!("127.0.0.1:{port}"),
            ])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let mut server = Server { child, port };
        server.wait_until_ready();
        server
    }

    fn wait_until_ready(&mut self) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the server exited at start ({status}); see its log");
            }
            if http::get(self.port, "/login", "").is_ok_and(|r| r.status == 200) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the server did not answer within 60 s");
    }

    pub fn sign_in(
        &self,
        conn: &mut diesel::SqliteConnection,
        name: &str,
        token: &str,
    ) -> SignedIn {
        let form = format!("name={name}&secret={token}");
        let reply = http::request(
            self.port,
            "POST",
            "/login",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            &form,
        )
        .unwrap();
        assert_eq!(reply.status, 303, "sign-in refused: {}", reply.body);
        let set_cookie = reply.header("Set-Cookie").expect("a session cookie");
        let cookie = set_cookie.split(';').next().unwrap().to_owned();
        for page in ["/sessions", "/"] {
            let reply = http::get(self.port, page, &cookie).unwrap();
            if let Some(csrf) = csrf_of(&reply.body) {
                return SignedIn {
                    cookie,
                    csrf,
                    csrf_from: format!("the page {page}"),
                };
            }
        }
        // No page carries it yet (routes still being built): the newest sign-in's token.
        let csrf = web_sessions::table
            .inner_join(users::table)
            .filter(users::name.eq(name))
            .order(web_sessions::created_at.desc())
            .select(web_sessions::csrf_token)
            .first::<String>(conn)
            .unwrap();
        SignedIn {
            cookie,
            csrf,
            csrf_from: "the database".to_owned(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        process::stop(&mut self.child);
    }
}

/// The token htmx sends, from `<body hx-headers='{"X-CSRF-Token": "..."}'>`.
fn csrf_of(page: &str) -> Option<String> {
    let key = "\"X-CSRF-Token\": \"";
    let start = page.find(key)? + key.len();
    let end = page[start..].find('"')? + start;
    Some(page[start..end].to_owned())
}
