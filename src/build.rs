//! Rebuilds the crate when a migration or an embedded asset is added or changed: both are
//! embedded at build time, and cargo cannot see a new file in a folder by itself. Only what is
//! embedded is watched: `static/node_modules` also holds test tools (axe-core) that the binary
//! never serves.

fn main() {
    for path in [
        "migrations",
        "static/css",
        "static/js",
        "static/icons",
        "static/node_modules/htmx.org/dist/htmx.min.js",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
}
