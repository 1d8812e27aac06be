//! One person's verdict as every page, template, undo form and script reads it: plain
//! strings, empty for none.

use serde::Serialize;

use crate::domain::rating::{Quality, Status, Verdict};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerdictView {
    pub quality: &'static str,
    pub liked: bool,
    pub status: &'static str,
    pub category: String,
    pub notes: String,
}

impl From<&Verdict> for VerdictView {
    fn from(verdict: &Verdict) -> VerdictView {
        VerdictView {
            quality: verdict.quality.map_or("", Quality::as_str),
            liked: verdict.liked,
            status: verdict.status.map_or("", Status::as_str),
            category: verdict.failure_category.clone().unwrap_or_default(),
            notes: verdict.failure_notes.clone().unwrap_or_default(),
        }
    }
}
