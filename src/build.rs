//! Rebuilds the crate when a migration or an embedded asset is added or changed: both are
//! embedded at build time, and cargo cannot see a new file in a folder by itself. Only what is
//! embedded is watched: `static/node_modules` also holds test tools (axe-core) that the binary
//! never serves.
//!
//! htmx comes from npm (`static/package.json`). Without it every page would render but nothing
//! would save in place, so a release build refuses to go on; a debug build only warns, so that
//! `cargo check` works on a fresh clone.

use std::path::Path;

const HTMX: &str = "static/node_modules/htmx.org/dist/htmx.min.js";

fn main() {
    for path in [
        "migrations",
        "static/css",
        "static/js",
        "static/icons",
        HTMX,
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
    if Path::new(HTMX).is_file() {
        return;
    }
    let message = format!(
        "{HTMX} is missing: htmx is fetched from npm at the version static/package-lock.json \
         pins. Run `npm ci --prefix static` in the repository, then build again."
    );
    if std::env::var("PROFILE").as_deref() == Ok("release") {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
    println!("cargo:warning={message}");
}
