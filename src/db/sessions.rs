//! Queries on `sessions`.

use diesel::prelude::*;
use diesel::sql_types::{Nullable, SingleValue};
use diesel::upsert::excluded;

use super::ids::SessionId;
use super::models::{KnownSession, SessionScan};
use super::row_limit::RowLimit;
use super::schema::sessions::dsl as s;

diesel::define_sql_function! {
    fn coalesce<T: SingleValue>(first: Nullable<T>, second: Nullable<T>) -> Nullable<T>;
}

/// Every session, or the one of `folder` only.
pub fn load_known(
    conn: &mut SqliteConnection,
    folder: Option<&str>,
) -> QueryResult<Vec<KnownSession>> {
    let mut query = s::sessions.select(KnownSession::as_select()).into_boxed();
    if let Some(folder) = folder {
        query = query.filter(s::folder_name.eq(folder));
    }
    query.load(conn)
}

/// The session of a folder of the library.
pub fn id_of_folder(conn: &mut SqliteConnection, folder: &str) -> QueryResult<Option<SessionId>> {
    s::sessions
        .filter(s::folder_name.eq(folder))
        .select(s::id)
        .first_row(conn)
        .optional()
}

/// A folder seen for the first time (a plain INSERT, whose prepared statement diesel caches).
pub fn insert_scan(conn: &mut SqliteConnection, scan: &SessionScan) -> QueryResult<SessionId> {
    diesel::insert_into(s::sessions)
        .values(scan)
        .returning(s::id)
        .get_result(conn)
}

/// Inserts a new folder or refreshes a known one. A fact the new scan could not establish
/// (the model of a session whose images were only partly re-read, say) keeps its old value.
pub fn upsert_scan(conn: &mut SqliteConnection, scan: &SessionScan) -> QueryResult<SessionId> {
    diesel::insert_into(s::sessions)
        .values(scan)
        .on_conflict(s::folder_name)
        .do_update()
        .set((
            s::name.eq(excluded(s::name)),
            s::created_at.eq(excluded(s::created_at)),
            s::metadata.eq(excluded(s::metadata)),
            s::source.eq(excluded(s::source)),
            s::manifest_error.eq(excluded(s::manifest_error)),
            s::missing_listed.eq(excluded(s::missing_listed)),
            s::template_name.eq(excluded(s::template_name)),
            s::theme.eq(excluded(s::theme)),
            s::style.eq(excluded(s::style)),
            s::model_name.eq(coalesce(excluded(s::model_name), s::model_name)),
            s::model_hash.eq(coalesce(excluded(s::model_hash), s::model_hash)),
            s::sampler.eq(coalesce(excluded(s::sampler), s::sampler)),
            s::scheduler.eq(coalesce(excluded(s::scheduler), s::scheduler)),
            s::steps.eq(coalesce(excluded(s::steps), s::steps)),
            s::cfg_scale.eq(coalesce(excluded(s::cfg_scale), s::cfg_scale)),
            s::width.eq(coalesce(excluded(s::width), s::width)),
            s::height.eq(coalesce(excluded(s::height), s::height)),
            s::images_requested.eq(coalesce(excluded(s::images_requested), s::images_requested)),
            s::source_signature.eq(excluded(s::source_signature)),
            s::on_disk.eq(true),
            s::scanned_at.eq(excluded(s::scanned_at)),
            s::updated_at.eq(excluded(s::updated_at)),
        ))
        .returning(s::id)
        .get_result(conn)
}

/// Folders gone from disk keep their rows: their judgements and notes are the users' data.
pub fn mark_vanished(conn: &mut SqliteConnection, ids: &[SessionId]) -> QueryResult<usize> {
    let mut changed = 0;
    for chunk in ids.chunks(500) {
        changed += diesel::update(s::sessions.filter(s::id.eq_any(chunk)))
            .set(s::on_disk.eq(false))
            .execute(conn)?;
    }
    Ok(changed)
}

#[derive(QueryableByName)]
struct CommonRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: SessionId,
    #[diesel(sql_type = diesel::sql_types::Text)]
    common: String,
}

/// Each session's shared A1111 values (JSON text), where it has any; of `folder` only when
/// given.
pub fn load_parameters_common(
    conn: &mut SqliteConnection,
    folder: Option<&str>,
) -> QueryResult<Vec<(SessionId, String)>> {
    let rows: Vec<CommonRow> = diesel::sql_query(
        "SELECT id, json_extract(metadata, '$.parameters_common') AS common FROM sessions
          WHERE json_type(metadata, '$.parameters_common') = 'object'
            AND (?1 IS NULL OR folder_name = ?1)",
    )
    .bind::<Nullable<diesel::sql_types::Text>, _>(folder)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.id, r.common)).collect())
}
