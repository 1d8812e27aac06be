//! The web app over HTTP: the real server on an ephemeral port, a real SQLite file.

#[path = "../support/mod.rs"]
mod support;

mod session_bulk;
mod sessions;
mod sign_in;
mod trash;
