//! Checked input types and rules, with no I/O.

pub mod a1111;
pub mod bulk_action;
pub mod combined_verdict;
pub mod folder_name;
pub mod gallery_filter;
pub mod highlight;
pub mod image_details;
pub mod manifest_facts;
pub mod parameters_diff;
pub mod rating;
pub mod rating_form;
pub mod role;
pub mod search_query;
pub mod session_action;
pub mod session_edit;
pub mod session_facts;
pub mod session_filter;
pub mod stats;
pub mod stats_request;
pub mod tag;
pub mod user_name;
