//! What templates and the review screen's script display: structs built from database rows
//! and domain types, between `routes/` (handlers) and `web/` (plumbing).

pub mod admin;
pub mod admin_similar;
pub mod compare;
pub mod filter_bar;
pub mod gallery;
pub mod gallery_news;
pub mod gallery_paths;
pub mod insights;
pub mod near_duplicates;
pub mod plural;
pub mod prediction;
pub mod predictor;
pub mod rating_panel;
pub mod review_item;
pub mod review_screen;
pub mod review_summary;
pub mod session;
pub mod session_list;
pub mod sign_in_link;
pub mod stats;
pub mod verdict;
