//! sdreview: index a Stable Diffusion output library into SQLite, review and rate it.

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod import;
pub mod library;
pub mod synth;
