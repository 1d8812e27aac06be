//! Everything that talks to SQLite: the pool, the schema, one module of queries per table.

pub mod analytics_cache;
pub mod backup;
pub mod backup_files;
pub mod blind_review;
pub mod caller;
pub mod compare_set;
pub mod database_token;
pub mod disk_fault;
pub mod export_keys;
pub mod file_lock;
pub mod gallery;
pub mod gallery_groups;
pub mod gallery_narrow;
pub mod group_rating;
pub mod ids;
pub mod image_flags;
pub mod image_hashes;
pub mod image_metadata;
pub mod image_records;
pub mod images;
pub mod import_runs;
pub mod judgement_write;
pub mod judgements;
pub mod keep_best;
pub mod ko_predictions;
pub mod library_news;
pub mod library_state;
pub mod models;
pub mod near_duplicates;
pub mod near_groups;
pub mod not_duplicates;
pub mod ok_images;
pub mod owner_settings;
pub mod pool;
pub mod predictions;
pub mod predictor_runs;
pub mod prompt_search;
pub mod prompt_texts;
#[cfg(test)]
mod query_plan;
pub mod restore;
pub mod review_items;
pub mod review_pass;
pub mod review_predicted;
pub mod review_queue;
pub mod row_limit;
pub mod schema;
pub mod schema_check;
pub mod search_cache;
pub mod server_lock;
pub mod session_detail;
pub mod session_edits;
pub mod session_flags;
pub mod session_list;
pub mod session_moves;
pub mod session_pictures;
pub mod session_records;
pub mod session_tags;
pub mod session_totals;
pub mod sessions;
pub mod setup;
pub mod sign_in_links;
pub mod sign_ins;
pub mod stats;
pub mod trash;
pub mod trash_guard;
pub mod trash_state;
pub mod users;
pub mod utc_times;
pub mod variations;
pub mod wal_check;
pub mod write_group;
pub mod write_turn;
pub mod writer;

pub use pool::Pool;
pub use setup::open;
pub mod web_sessions;

/// The time stamps this crate stores: UTC (see [`crate::clock`]), so that a daylight-saving
/// switch cannot put a later stamp before an earlier one.
pub fn now() -> chrono::NaiveDateTime {
    crate::clock::stamp(crate::clock::utc_now())
}

/// A write transaction, taken in turn with every other writer of the database (this process's
/// and other processes', such as an import): see [`write_turn`]. `work` runs on the process's
/// writing connection ([`writer::Writer`]) when a pool holds one, `conn` only names the
/// database.
pub fn write_transaction<T, E, F>(conn: &mut diesel::SqliteConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut diesel::SqliteConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let turn = write_group::take_turn(conn)?;
    let writer = turn.database().and_then(writer::of);
    let mut slot = writer.as_ref().and_then(|writer| writer.slot());
    match slot.as_mut().and_then(|slot| slot.conn.as_mut()) {
        Some(writer) => writer.immediate_transaction(work),
        None => conn.immediate_transaction(work),
    }
}
