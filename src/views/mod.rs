//! What templates and the review screen's script display: structs built from database rows
//! and domain types, between `routes/` (handlers) and `web/` (plumbing).

pub mod compare;
pub mod rating_panel;
pub mod review_item;
pub mod review_screen;
pub mod review_summary;
pub mod verdict;
