//! Full-text search of prompts and negative prompts: the FTS5 index over `prompt_texts`, and
//! the images a search matches.

use std::sync::Arc;

use diesel::prelude::*;
use diesel::sqlite::Sqlite;

use super::ids::ImageId;
use super::schema::images;

diesel::table! {
    /// The FTS5 index over `prompt_texts` (left out of the generated schema: it is virtual).
    prompts_fts (rowid) {
        rowid -> Integer,
        text -> Text,
    }
}

diesel::infix_operator!(Matches, " MATCH ", backend: Sqlite);
diesel::allow_tables_to_appear_in_same_query!(prompts_fts, images);

/// Every image whose prompt or negative prompt matches, newest first, read from two covering
/// partial indexes without touching the images table.
const MATCHING_IMAGES: &str = "\
    SELECT id FROM images WHERE is_deleted = 0 AND on_disk = 1 \
      AND prompt_id IN (SELECT rowid FROM prompts_fts WHERE prompts_fts MATCH ?1) \
      AND session_id NOT IN (SELECT id FROM sessions WHERE is_deleted = 1) \
    UNION \
    SELECT id FROM images WHERE is_deleted = 0 AND on_disk = 1 \
      AND negative_prompt_id IN (SELECT rowid FROM prompts_fts WHERE prompts_fts MATCH ?1) \
      AND session_id NOT IN (SELECT id FROM sessions WHERE is_deleted = 1) \
    ORDER BY 1 DESC";

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
}

/// The images a search (an FTS5 expression) matches, that a gallery can show, newest first;
/// kept a while by `search_cache`, since paging and previous / next ask again.
pub fn matching_images(conn: &mut SqliteConnection, fts: &str) -> QueryResult<Arc<Vec<ImageId>>> {
    super::search_cache::get_or_compute(fts, || {
        let rows: Vec<IdRow> = diesel::sql_query(MATCHING_IMAGES)
            .bind::<diesel::sql_types::Text, _>(fts)
            .load(conn)?;
        Ok(rows.into_iter().map(|row| ImageId(row.id)).collect())
    })
}
