//! What the review tests need besides the shared driver: a browser without JavaScript, real
//! touch input, a gate that makes the server unreachable on demand, and page probes.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fantoccini::actions::{InputSource, PointerAction, TouchActions};
use fantoccini::{Client, ClientBuilder};
use serde_json::json;

use crate::driver::Driver;

/// Chromium at desktop size with JavaScript switched off, as a person who blocks scripts.
pub async fn without_javascript(driver: &Driver) -> Client {
    let options = json!({
        "binary": "/usr/bin/chromium",
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-background-networking", "--window-size=1440,900"],
        "prefs": { "profile.managed_default_content_settings.javascript": 2 }
    });
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session")
}

/// Grows a desktop window by its own bars, so the page gets the whole 1440x900 (a phone's
/// emulated screen is already exact).
pub async fn fit_desktop(client: &Client) {
    let bars = js(
        client,
        "return navigator.maxTouchPoints > 0 ? [0, 0] : [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]",
    )
    .await;
    let extra = |i: usize| bars[i].as_u64().unwrap_or(0) as u32;
    if extra(0) + extra(1) > 0 {
        client
            .set_window_size(1440 + extra(0), 900 + extra(1))
            .await
            .unwrap();
    }
}

pub async fn js(client: &Client, script: &str) -> serde_json::Value {
    client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script `{script}` failed: {e}"))
}

pub async fn js_bool(client: &Client, script: &str) -> bool {
    js(client, script).await.as_bool().unwrap_or(false)
}

pub async fn js_i64(client: &Client, script: &str) -> i64 {
    js(client, script).await.as_i64().unwrap_or(-1)
}

pub async fn js_string(client: &Client, script: &str) -> String {
    js(client, script)
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Waits until the status line says a decision waits in the browser (the server is out of
/// reach).
pub async fn decision_waits(client: &Client, what: &str) {
    crate::driver::eventually(what, || async {
        js_string(
            client,
            "return document.getElementById('rv-saved').textContent",
        )
        .await
        .contains("waiting")
    })
    .await;
}

/// One finger: down at (x, y), moved by (dx, dy) in `steps` over `ms`, then up. Real touch
/// input through WebDriver: the page sees touchstart/move/end and pointer events.
pub async fn swipe(client: &Client, x: f64, y: f64, dx: f64, dy: f64, ms: u64) {
    let steps = 8;
    let mut finger = TouchActions::new("finger".into())
        .then(PointerAction::MoveTo {
            duration: None,
            x,
            y,
        })
        .then(PointerAction::Down { button: 0 });
    for _ in 0..steps {
        finger = finger.then(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(ms / steps)),
            x: dx / steps as f64,
            y: dy / steps as f64,
        });
    }
    finger = finger.then(PointerAction::Up { button: 0 });
    client.perform_actions(finger).await.unwrap();
    client.release_actions().await.unwrap();
}

pub async fn double_tap(client: &Client, x: f64, y: f64) {
    let tap = || {
        [
            PointerAction::Down { button: 0 },
            PointerAction::Pause {
                duration: Duration::from_millis(30),
            },
            PointerAction::Up { button: 0 },
        ]
    };
    let mut finger = TouchActions::new("finger".into()).then(PointerAction::MoveTo {
        duration: None,
        x,
        y,
    });
    for action in tap() {
        finger = finger.then(action);
    }
    finger = finger.then(PointerAction::Pause {
        duration: Duration::from_millis(80),
    });
    for action in tap() {
        finger = finger.then(action);
    }
    client.perform_actions(finger).await.unwrap();
    client.release_actions().await.unwrap();
}

/// Two fingers moving apart from the centre (x, y): a pinch that zooms in.
pub async fn pinch_out(client: &Client, x: f64, y: f64) {
    let finger = |id: &str, sign: f64| {
        TouchActions::new(id.into())
            .then(PointerAction::MoveTo {
                duration: None,
                x: x + sign * 20.0,
                y,
            })
            .then(PointerAction::Down { button: 0 })
            .then(PointerAction::MoveBy {
                duration: Some(Duration::from_millis(150)),
                x: sign * 60.0,
                y: 0.0,
            })
            .then(PointerAction::MoveBy {
                duration: Some(Duration::from_millis(150)),
                x: sign * 60.0,
                y: 0.0,
            })
            .then(PointerAction::Up { button: 0 })
    };
    let both = fantoccini::actions::Actions::from(finger("one", -1.0)).and(finger("two", 1.0));
    client.perform_actions(both).await.unwrap();
    client.release_actions().await.unwrap();
}

/// A TCP gate in front of the server: open, it passes bytes both ways; closed, it cuts every
/// connection and refuses new ones, as a server that went away. Counts the review decisions
/// that went through.
pub struct Gate {
    pub port: u16,
    shared: Arc<Shared>,
}

struct Shared {
    open: AtomicBool,
    decisions: AtomicUsize,
    streams: Mutex<Vec<TcpStream>>,
}

const DECISION: &[u8] = b"POST /review/images/";

fn pipe(mut from: TcpStream, mut to: TcpStream, shared: Option<Arc<Shared>>) {
    let mut buffer = [0u8; 16 * 1024];
    while let Ok(n) = from.read(&mut buffer) {
        if n == 0 {
            break;
        }
        if let Some(shared) = &shared {
            let seen = buffer[..n]
                .windows(DECISION.len())
                .filter(|w| *w == DECISION)
                .count();
            shared.decisions.fetch_add(seen, Ordering::SeqCst);
        }
        if to.write_all(&buffer[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

impl Gate {
    pub fn start(target: u16) -> Gate {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared {
            open: AtomicBool::new(true),
            decisions: AtomicUsize::new(0),
            streams: Mutex::default(),
        });
        let accepting = shared.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if !accepting.open.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else {
                    continue;
                };
                let mut streams = accepting.streams.lock().unwrap();
                streams.push(client.try_clone().unwrap());
                streams.push(server.try_clone().unwrap());
                let (c, s) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let counting = accepting.clone();
                std::thread::spawn(move || pipe(c, s, Some(counting)));
                std::thread::spawn(move || pipe(server, client, None));
            }
        });
        Gate { port, shared }
    }

    pub fn address(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn close(&self) {
        self.shared.open.store(false, Ordering::SeqCst);
        for stream in self.shared.streams.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    pub fn open(&self) {
        self.shared.open.store(true, Ordering::SeqCst);
    }

    /// Review decisions that reached the server through this gate.
    pub fn decisions(&self) -> usize {
        self.shared.decisions.load(Ordering::SeqCst)
    }
}

/// Writes a screenshot under docs/screenshots when `SDREVIEW_SCREENSHOTS` is set.
pub async fn screenshot(client: &Client, name: &str) {
    if std::env::var_os("SDREVIEW_SCREENSHOTS").is_none() {
        return;
    }
    let png = client.screenshot().await.unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}
