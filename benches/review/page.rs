//! Driving the review screen in Chromium and reading what the page measured itself: each
//! step's `review:next` measure (from the key press or touchend to a frame after the next
//! image is decoded and shown) and the bytes of every resource (Resource Timing).

use std::time::Duration;

use fantoccini::actions::{InputSource, PointerAction, TouchActions};
use fantoccini::{Client, Locator};

pub async fn js(client: &Client, script: &str) -> serde_json::Value {
    client.execute(script, vec![]).await.unwrap()
}

pub async fn sign_in(client: &Client, base: &str, name: &str, token: &str) {
    client.goto(&format!("{base}/login")).await.unwrap();
    client
        .find(Locator::Css("input[name=name]"))
        .await
        .unwrap()
        .send_keys(name)
        .await
        .unwrap();
    client
        .find(Locator::Css("input[name=secret]"))
        .await
        .unwrap()
        .send_keys(token)
        .await
        .unwrap();
    client
        .find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(".topbar .who"))
        .await
        .unwrap();
}

/// Opens the review of the whole library and waits until its script runs and the next images
/// are decoded; starts counting resources from there.
pub async fn open_review(client: &Client, base: &str) {
    client.goto(&format!("{base}/review")).await.unwrap();
    for _ in 0..200 {
        let ready = js(
            client,
            "return window.sdreviewReady === true && document.querySelectorAll('.rv-slot.loaded').length >= 4",
        )
        .await;
        if ready.as_bool() == Some(true) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    js(
        client,
        "performance.setResourceTimingBufferSize(5000); performance.clearResourceTimings(); \
         performance.clearMeasures(); window.benchStart = performance.now(); return 0",
    )
    .await;
}

async fn measured(client: &Client) -> usize {
    js(
        client,
        "return performance.getEntriesByName('review:next').length",
    )
    .await
    .as_u64()
    .unwrap_or(0) as usize
}

/// Waits until the page has measured `count` steps (at most 10 s).
pub async fn until_measured(client: &Client, count: usize) {
    for _ in 0..1000 {
        if measured(client).await >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("step {count} was never drawn");
}

pub async fn press(client: &Client, key: &str) {
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(key)
        .await
        .unwrap();
}

/// A real one-finger swipe across the stage, right or left, in 150 ms.
pub async fn swipe(client: &Client, right: bool) {
    let centre = js(
        client,
        "const r = document.getElementById('rv-stage').getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]",
    )
    .await;
    let (x, y) = (centre[0].as_f64().unwrap(), centre[1].as_f64().unwrap());
    let sign = if right { 1.0 } else { -1.0 };
    let mut finger = TouchActions::new("finger".into())
        .then(PointerAction::MoveTo {
            duration: None,
            x: x - sign * 100.0,
            y,
        })
        .then(PointerAction::Down { button: 0 });
    for _ in 0..5 {
        finger = finger.then(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(30)),
            x: sign * 44.0,
            y: 0.0,
        });
    }
    finger = finger.then(PointerAction::Up { button: 0 });
    client.perform_actions(finger).await.unwrap();
    client.release_actions().await.unwrap();
}

pub struct Phase {
    /// Milliseconds from the input to the next image drawn, step by step.
    pub steps: Vec<f64>,
    /// Bytes over the network since the phase started (Resource Timing `transferSize`).
    pub bytes: u64,
    pub requests: u64,
    /// Requests for originals (review should never make one).
    pub originals: u64,
}

pub async fn read_phase(client: &Client) -> Phase {
    let steps = js(
        client,
        "return performance.getEntriesByName('review:next').map(e => e.duration)",
    )
    .await;
    let bytes = js(
        client,
        "const r = performance.getEntriesByType('resource'); \
         return [r.reduce((s, e) => s + e.transferSize, 0), r.length, \
                 r.filter(e => e.name.includes('/original')).length]",
    )
    .await;
    Phase {
        steps: steps
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect(),
        bytes: bytes[0].as_u64().unwrap_or(0),
        requests: bytes[1].as_u64().unwrap_or(0),
        originals: bytes[2].as_u64().unwrap_or(0),
    }
}
