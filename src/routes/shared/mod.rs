//! What several route handlers share (and nothing else imports).
//!
//! - `reach`: the trash rule applied to the image or session a request names (404 when out of reach).
//! - `gallery_parts`: the gallery routes' filter parsing, fragment templates and signed-in viewer.
//! - `form_ids`: forms with a repeated `ids=` field, which `web::Form` cannot read into a list.
//! - `stats_request`: what the statistics page and its API share: parse, check, get the report.
//! - `review_group`: review's near-duplicate groups, for the first page and the queue alike.

pub mod form_ids;
pub mod gallery_parts;
pub mod reach;
pub mod review_group;
pub mod stats_request;
