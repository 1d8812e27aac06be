use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::ids::SessionId;
use crate::db::schema::sessions;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = sessions, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Session {
    pub id: SessionId,
    pub folder_name: String,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub is_test: bool,
    pub is_failed: bool,
    pub is_archived: bool,
    pub is_deleted: bool,
    pub is_starred: bool,
    pub display_name: Option<String>,
    pub notes: Option<String>,
    pub metadata: String,
    pub source: String,
    pub manifest_error: Option<String>,
    pub missing_listed: String,
    pub template_name: Option<String>,
    pub theme: Option<String>,
    pub style: Option<String>,
    pub model_name: Option<String>,
    pub model_hash: Option<String>,
    pub sampler: Option<String>,
    pub scheduler: Option<String>,
    pub steps: Option<i32>,
    pub cfg_scale: Option<f64>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub images_requested: Option<i32>,
    pub source_signature: String,
    pub on_disk: bool,
    pub scanned_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What the importer knows of a session folder: the columns it owns. Inserted for a new folder,
/// written over those columns for a known one (flags, names and notes are the user's and are
/// not in here).
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = sessions, treat_none_as_null = true)]
pub struct SessionScan {
    pub folder_name: String,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub metadata: String,
    pub source: String,
    pub manifest_error: Option<String>,
    pub missing_listed: String,
    pub template_name: Option<String>,
    pub theme: Option<String>,
    pub style: Option<String>,
    pub model_name: Option<String>,
    pub model_hash: Option<String>,
    pub sampler: Option<String>,
    pub scheduler: Option<String>,
    pub steps: Option<i32>,
    pub cfg_scale: Option<f64>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub images_requested: Option<i32>,
    pub source_signature: String,
    pub on_disk: bool,
    pub scanned_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The little the importer needs to tell a changed folder from an unchanged one.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions, check_for_backend(diesel::sqlite::Sqlite))]
pub struct KnownSession {
    pub id: SessionId,
    pub folder_name: String,
    pub source_signature: String,
    pub on_disk: bool,
}
