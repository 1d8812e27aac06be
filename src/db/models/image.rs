use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::ids::{ImageId, PromptId, SessionId};
use crate::db::schema::images;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = images, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Image {
    pub id: ImageId,
    pub session_id: SessionId,
    pub filename: String,
    pub metadata: String,
    pub prompt_id: Option<PromptId>,
    pub negative_prompt_id: Option<PromptId>,
    pub ml_predictions: Option<String>,
    pub notes: Option<String>,
    pub is_deleted: bool,
    pub format: String,
    pub seed: Option<i64>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub file_size: i64,
    pub file_mtime_ns: i64,
    pub broken: Option<String>,
    pub listed: bool,
    pub on_disk: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The columns the importer owns for one image file; notes, predictions, soft delete and
/// judgements are the users' and are never in here.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = images, treat_none_as_null = true)]
pub struct ImageScan {
    pub session_id: SessionId,
    pub filename: String,
    pub metadata: String,
    pub prompt_id: Option<PromptId>,
    pub negative_prompt_id: Option<PromptId>,
    pub format: String,
    pub seed: Option<i64>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub file_size: i64,
    pub file_mtime_ns: i64,
    pub broken: Option<String>,
    pub listed: bool,
    pub on_disk: bool,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = images, check_for_backend(diesel::sqlite::Sqlite))]
pub struct KnownImage {
    pub id: ImageId,
    pub session_id: SessionId,
    pub filename: String,
    pub file_size: i64,
    pub file_mtime_ns: i64,
    pub on_disk: bool,
}
