//! The web app over HTTP: the real server on an ephemeral port, a real SQLite file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod counters;
mod files;
mod gallery;
mod image_page;
mod import_while_rating;
mod ratings;
mod search;
mod session_bulk;
mod sessions;
mod sign_in;
mod stats;
mod trash;
