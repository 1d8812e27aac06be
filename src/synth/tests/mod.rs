//! Tests of the generator: building blocks, and whole libraries counted back from disk.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod blocks;
mod census;
mod library;
mod shapes;
