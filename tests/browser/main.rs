//! What a person does with a mouse, keyboard or finger, in real headless Chromium.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod accessibility;
mod admin_page;
mod blind_review;
mod bulk_bars;
mod driver;
mod first_start;
mod fit;
mod gallery;
mod insights;
mod live;
mod near_duplicates;
mod phone_fit;
mod predictor;
mod rating;
mod review;
mod review_elsewhere;
mod review_faults;
mod review_forms;
mod review_pass;
mod review_phone;
mod review_rules;
mod review_shots;
mod review_support;
mod review_touch;
mod screenshots;
mod session_cards;
mod sessions;
mod sign_in;
mod sign_in_link;
mod stats_tables;
mod trash;
mod undo_and_confirm;
mod verdicts;
mod wide_and_narrow;
