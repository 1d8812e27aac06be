//! Real headless Chromium (Debian's `chromium` and `chromedriver`), driven over WebDriver,
//! at a desktop size and at a 390x844 phone size with touch.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

pub struct Driver {
    process: Child,
    pub port: u16,
}

// The Chromium a session started outlives chromedriver when a test ends without closing its
// session (sixty of them after a full run): it is ended first, by its parent's pid.
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("pkill")
            .args(["-KILL", "-P", &self.process.id().to_string()])
            .status();
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Driver {
    pub async fn start() -> Driver {
        let port = free_port();
        let process = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (apt-get install chromium chromium-driver; .ci/run does it)");
        // Owned by the guard at once, so the process is reaped even if it never answers.
        let driver = Driver { process, port };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return driver;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("chromedriver did not start on port {port}");
    }

    pub async fn desktop(&self) -> Client {
        self.open(Screen::DESKTOP).await
    }

    pub async fn phone(&self) -> Client {
        self.open(Screen::PHONE).await
    }

    pub async fn open(&self, screen: Screen) -> Client {
        let mut args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            // 0 is dark, 1 is light: what `prefers-color-scheme` answers.
            format!(
                "--blink-settings=preferredColorScheme={}",
                if screen.dark { 0 } else { 1 }
            ),
        ];
        let mut options = json!({ "binary": "/usr/bin/chromium" });
        if screen.touch {
            options["mobileEmulation"] = json!({
                "deviceMetrics": { "width": screen.width, "height": screen.height, "pixelRatio": screen.scale, "touch": true },
                "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36"
            });
        } else {
            args.push(format!("--window-size={},{}", screen.width, screen.height));
            if screen.scale != 1.0 {
                args.push(format!("--force-device-scale-factor={}", screen.scale));
            }
        }
        options["args"] = json!(args);
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a Chromium session");
        if !screen.touch {
            // The window's size includes the browser's own bars, even headless: grow it by
            // their size so the page gets the whole screen size asked for.
            let bars = client
                .execute(
                    "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]",
                    vec![],
                )
                .await
                .unwrap();
            let extra = |i: usize| bars[i].as_u64().unwrap_or(0) as u32;
            client
                .set_window_size(screen.width + extra(0), screen.height + extra(1))
                .await
                .unwrap();
        }
        client
    }
}

/// A screen to open Chromium at: its CSS size, touch or mouse, pixel density, colour scheme.
#[derive(Debug, Clone, Copy)]
pub struct Screen {
    pub width: u32,
    pub height: u32,
    pub touch: bool,
    pub scale: f64,
    pub dark: bool,
}

impl Screen {
    pub const DESKTOP: Screen = Screen {
        width: 1440,
        height: 900,
        touch: false,
        scale: 1.0,
        dark: false,
    };
    pub const PHONE: Screen = Screen {
        width: 390,
        height: 844,
        touch: true,
        scale: 3.0,
        dark: false,
    };
    /// The narrowest phone still sold (an iPhone SE of the first generation).
    pub const NARROW_PHONE: Screen = Screen {
        width: 320,
        height: 640,
        touch: true,
        scale: 2.0,
        dark: false,
    };
    pub const ULTRAWIDE: Screen = Screen {
        width: 2560,
        height: 1440,
        touch: false,
        scale: 1.0,
        dark: false,
    };

    pub const fn dark(self) -> Screen {
        Screen { dark: true, ..self }
    }
}

/// Waits for an element, up to ten seconds (htmx swaps are asynchronous, and a page being
/// navigated away from answers "aborted by navigation" rather than nothing).
pub async fn find(client: &Client, css: &str) -> fantoccini::elements::Element {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        match client.find(Locator::Css(css)).await {
            Ok(element) => return element,
            Err(e) if std::time::Instant::now() >= deadline => panic!("no element `{css}`: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

/// An attribute of the element `css` as the page has it now (None without the element or the
/// attribute): unlike an element handle, it cannot go stale when htmx swaps the element.
pub async fn attribute(client: &Client, css: &str, name: &str) -> Option<String> {
    client
        .execute(
            "return document.querySelector(arguments[0])?.getAttribute(arguments[1]) ?? null",
            vec![css.into(), name.into()],
        )
        .await
        .ok()?
        .as_str()
        .map(str::to_owned)
}

/// The text of the element `css` as the page has it now, shown or not (empty without it).
pub async fn text_of(client: &Client, css: &str) -> String {
    client
        .execute(
            "return document.querySelector(arguments[0])?.textContent.trim() ?? ''",
            vec![css.into()],
        )
        .await
        .ok()
        .and_then(|text| text.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Waits until `check` holds, polling; panics with `what` after ten seconds (a shared machine
/// can be slow).
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..200 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting until {what}");
}
