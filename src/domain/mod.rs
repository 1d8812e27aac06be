//! Checked input types and rules, with no I/O.

pub mod a1111;
pub mod folder_name;
pub mod parameters_diff;
pub mod role;
pub mod session_action;
pub mod session_filter;
pub mod tag;
pub mod user_name;
