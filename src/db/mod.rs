//! Everything that talks to SQLite: the pool, the schema, one module of queries per table.

pub mod backup;
pub mod gallery;
pub mod ids;
pub mod image_flags;
pub mod image_metadata;
pub mod images;
pub mod judgements;
pub mod library_state;
pub mod models;
pub mod pool;
pub mod prompt_texts;
pub mod schema;
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
