//! The web app manifest: what a phone's "Add to home screen" installs. Review opens full
//! screen, with the app's icon; the icons' addresses carry their content hash like every asset,
//! so the manifest is made here rather than kept as a file. Served without a sign-in, as
//! browsers fetch it without credentials.

use actix_web::HttpResponse;
use serde_json::json;

use super::assets;

/// The brand's indigo (the favicon's), for the splash screen in light and dark alike.
const BRAND: &str = "#4f46e5";

pub fn manifest() -> serde_json::Value {
    let icon = |path: &str, size: &str, purpose: &str| json!({"src": assets::url(path), "sizes": size, "type": "image/png", "purpose": purpose});
    json!({
        "id": "/",
        "name": "sdreview",
        "short_name": "sdreview",
        "description": "Review, rate and sort your Stable Diffusion images.",
        "start_url": "/review",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": BRAND,
        "background_color": BRAND,
        "icons": [
            icon("icons/app-192.png", "192x192", "any"),
            icon("icons/app-512.png", "512x512", "any"),
            icon("icons/app-maskable-512.png", "512x512", "maskable"),
        ],
    })
}

pub async fn serve() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/manifest+json")
        .insert_header(("Cache-Control", "no-cache"))
        .body(manifest().to_string())
}
