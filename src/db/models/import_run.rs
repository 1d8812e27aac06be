use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::import_runs;

/// One import as the admin page lists it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = import_runs, check_for_backend(diesel::sqlite::Sqlite))]
pub struct ImportRun {
    pub id: i32,
    pub kind: String,
    pub folder: Option<String>,
    pub started_at: NaiveDateTime,
    pub finished_at: NaiveDateTime,
    pub elapsed_ms: i64,
    pub sessions_found: i32,
    pub sessions_new: i32,
    pub sessions_updated: i32,
    pub images_found: i32,
    pub images_new: i32,
    pub images_updated: i32,
    pub broken_files: i32,
    pub manifest_errors: i32,
    pub problems: String,
    pub error: Option<String>,
    /// The copy of the database written before the run.
    pub backup: Option<String>,
    /// Why the run went without its backup, when one was due.
    pub backup_skipped: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = import_runs)]
pub struct NewImportRun<'a> {
    pub kind: &'a str,
    pub folder: Option<&'a str>,
    pub started_at: NaiveDateTime,
    pub finished_at: NaiveDateTime,
    pub elapsed_ms: i64,
    pub sessions_found: i32,
    pub sessions_new: i32,
    pub sessions_updated: i32,
    pub images_found: i32,
    pub images_new: i32,
    pub images_updated: i32,
    pub broken_files: i32,
    pub manifest_errors: i32,
    pub problems: String,
    pub error: Option<String>,
    pub backup: Option<&'a str>,
    pub backup_skipped: Option<&'a str>,
}
