//! What a person does with a mouse, keyboard or finger, in real headless Chromium.

#[path = "../support/mod.rs"]
mod support;

mod driver;
mod sign_in;
