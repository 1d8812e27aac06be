//! What a person does with a mouse, keyboard or finger, in real headless Chromium.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod driver;
mod gallery;
mod live;
mod rating;
mod sessions;
mod sign_in;
