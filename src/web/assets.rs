//! Static assets (ours and htmx from npm) embedded in the binary at build time and served
//! under a content-hashed URL, so they can be cached for a year and still never go stale.

use std::collections::HashMap;
use std::sync::LazyLock;

use actix_web::{HttpResponse, web};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "static/"]
#[include = "css/*"]
#[include = "js/*"]
#[include = "icons/*"]
#[include = "node_modules/htmx.org/dist/htmx.min.js"]
struct Embedded;

/// Short names for the files templates ask for.
const HTMX_PATH: &str = "node_modules/htmx.org/dist/htmx.min.js";

static HASHES: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    Embedded::iter()
        .filter_map(|path| {
            let file = Embedded::get(&path)?;
            Some((
                path.to_string(),
                hex::encode(&file.metadata.sha256_hash()[..6]),
            ))
        })
        .collect()
});

/// The URL of an embedded file: `/assets/<hash>/<path>`.
pub fn url(path: &str) -> String {
    let hash = HASHES.get(path).map_or("0", String::as_str);
    format!("/assets/{hash}/{path}")
}

pub fn htmx_url() -> String {
    url(HTMX_PATH)
}

/// True when htmx was fetched before the build (`npm ci --prefix static`).
pub fn has_htmx() -> bool {
    Embedded::get(HTMX_PATH).is_some()
}

pub async fn serve(path: web::Path<(String, String)>) -> HttpResponse {
    let (hash, name) = path.into_inner();
    let Some(file) = Embedded::get(&name) else {
        return crate::web::error_response::page(
            actix_web::http::StatusCode::NOT_FOUND,
            "no such asset",
        );
    };
    let current = HASHES.get(&name).is_some_and(|h| *h == hash);
    // An old hash still gets the file, but must not be cached as if it were that version.
    let cache = if current {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mime = mime_guess::from_path(&name).first_or_octet_stream();
    HttpResponse::Ok()
        .content_type(mime.as_ref())
        .insert_header(("Cache-Control", cache))
        .insert_header((
            "ETag",
            format!("\"{}\"", hex::encode(file.metadata.sha256_hash())),
        ))
        .body(file.data.into_owned())
}
