//! The JSON API: the same data as the pages, for scripts, with bearer tokens.

pub mod stats;
