//! The web app over HTTP: the real server on an ephemeral port, a real SQLite file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod session_bulk;
mod sessions;
mod sign_in;
mod trash;
