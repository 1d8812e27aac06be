//! sdreview: index a Stable Diffusion output library into SQLite, review and rate it.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod analytics;
pub mod auth;
pub mod background;
pub mod budget;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod export;
pub mod file_names;
pub mod import;
pub mod insights;
pub mod library;
pub mod live;
pub mod predict;
#[cfg(test)]
mod proptest_config;
pub mod routes;
pub mod similar;
pub mod startup;
pub mod synth;
pub mod thumbs;
pub mod views;
pub mod web;
