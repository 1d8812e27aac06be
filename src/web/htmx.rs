//! What a response tells htmx besides its body: events to fire (`HX-Trigger`, the toast among
//! them), the URL to push into the history, a different target or swap, a full reload. One
//! place, so every handler says these the same way.

use actix_web::HttpResponse;
use actix_web::http::header::{HeaderName, HeaderValue};

fn set(response: &mut HttpResponse, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(name), value);
    }
}

/// Fires the events of `events` (a JSON object: event name → detail) in the page.
pub fn trigger(response: &mut HttpResponse, events: &serde_json::Value) {
    set(response, "hx-trigger", &events.to_string());
}

/// A short message at the bottom of the page (`static/js/app.js` shows it).
pub fn toast(response: &mut HttpResponse, message: &str) {
    trigger(response, &serde_json::json!({ "toast": message }));
}

/// A toast with an Undo button: the button posts `undo` (form fields) to `url` and swaps the
/// answer into `target`, as the action's own form did.
pub fn toast_with_undo(
    response: &mut HttpResponse,
    message: &str,
    url: &str,
    target: &str,
    undo: &[(&str, String)],
) {
    let fields: Vec<serde_json::Value> = undo
        .iter()
        .map(|(name, value)| serde_json::json!([name, value]))
        .collect();
    trigger(
        response,
        &serde_json::json!({ "toast": { "value": message, "undo": { "url": url, "target": target, "fields": fields } } }),
    );
}

/// Puts `url` into the browser's history, as if the page had been loaded there.
pub fn push_url(response: &mut HttpResponse, url: &str) {
    set(response, "hx-push-url", url);
}

/// Swaps the answer into `target` with `swap` instead of what the request asked for.
pub fn retarget(response: &mut HttpResponse, target: &str, swap: &str) {
    set(response, "hx-retarget", target);
    set(response, "hx-reswap", swap);
}

/// Reloads the whole page.
pub fn refresh(response: &mut HttpResponse) {
    set(response, "hx-refresh", "true");
}

/// Loads `url` as a whole new page.
pub fn redirect(response: &mut HttpResponse, url: &str) {
    set(response, "hx-redirect", url);
}
