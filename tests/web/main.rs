//! The web app over HTTP: the real server on an ephemeral port, a real SQLite file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod account;
mod admin;
mod admin_forms;
mod admin_rescan;
mod api_client;
mod api_export;
mod api_images;
mod api_openapi;
mod api_predictions;
mod api_sessions;
mod app_install;
mod bearer;
mod blind_review;
mod compare;
mod counters;
mod database_replaced;
mod files;
mod gallery;
mod image_page;
mod import_while_rating;
mod insights;
mod large_renditions;
mod library_offline;
mod live;
mod live_links;
mod live_many_folders;
mod live_pages;
mod live_register;
mod near_duplicates;
mod near_groups;
mod near_review;
mod predicted;
mod ratings;
mod review;
mod review_decisions;
mod search;
mod session_bulk;
mod session_sources;
mod sessions;
mod sign_in;
mod sign_in_ends;
mod sign_in_form;
mod sign_in_links;
mod stats;
mod stats_pairs;
mod stats_rules;
mod stats_tables;
mod trash;
mod trash_api;
mod trash_reach;
mod undo;
