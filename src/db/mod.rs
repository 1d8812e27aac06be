//! Everything that talks to SQLite: the pool, the schema, one module of queries per table.

pub mod analytics_cache;
pub mod backup;
pub mod file_lock;
pub mod gallery;
pub mod gallery_narrow;
pub mod ids;
pub mod image_flags;
pub mod image_metadata;
pub mod images;
pub mod judgements;
pub mod library_state;
pub mod models;
pub mod pool;
pub mod prompt_search;
pub mod prompt_texts;
pub mod schema;
pub mod search_cache;
pub mod session_detail;
pub mod session_edits;
pub mod session_list;
pub mod session_tags;
pub mod sessions;
pub mod stats;
pub mod trash;
pub mod users;
pub mod variations;

pub use pool::{Pool, open};
pub mod web_sessions;

/// The time stamps this crate stores: local wall-clock time, as the library's folder names use.
pub fn now() -> chrono::NaiveDateTime {
    chrono::Local::now().naive_local()
}

static WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A write transaction, taken one at a time within this process. SQLite allows one writer;
/// when several requests race for it, the losers sleep in SQLite's busy handler with growing
/// back-offs (a 400 ms tail under load). Queuing them here instead hands the lock over at once.
pub fn write_transaction<T, E, F>(conn: &mut diesel::SqliteConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut diesel::SqliteConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    // A poisoned lock only means another writer panicked; the database itself is consistent.
    let _turn = WRITER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    conn.immediate_transaction(work)
}
