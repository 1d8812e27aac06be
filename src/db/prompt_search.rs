//! Full-text search of prompts and negative prompts: the FTS5 index over `prompt_texts`, the
//! images a search matches, and the words of a text around what it matched.

use std::collections::HashMap;
use std::sync::Arc;

use diesel::prelude::*;
use diesel::sqlite::Sqlite;

use super::ids::ImageId;
use super::schema::images;
use crate::domain::search_query::SearchIn;

diesel::table! {
    /// The FTS5 index over `prompt_texts` (left out of the generated schema: it is virtual).
    prompts_fts (rowid) {
        rowid -> Integer,
        text -> Text,
    }
}

diesel::infix_operator!(Matches, " MATCH ", backend: Sqlite);
diesel::allow_tables_to_appear_in_same_query!(prompts_fts, images);

/// The images whose prompt (or negative prompt) matches, newest first, read from two covering
/// partial indexes without touching the images table.
const MATCHING_PROMPTS: &str = "\
    SELECT id FROM images WHERE is_deleted = 0 AND on_disk = 1 \
      AND prompt_id IN (SELECT rowid FROM prompts_fts WHERE prompts_fts MATCH ?1) \
      AND session_id NOT IN (SELECT id FROM sessions WHERE is_deleted = 1) \
    ORDER BY 1 DESC";
const MATCHING_NEGATIVES: &str = "\
    SELECT id FROM images WHERE is_deleted = 0 AND on_disk = 1 \
      AND negative_prompt_id IN (SELECT rowid FROM prompts_fts WHERE prompts_fts MATCH ?1) \
      AND session_id NOT IN (SELECT id FROM sessions WHERE is_deleted = 1) \
    ORDER BY 1 DESC";
const MATCHING_EITHER: &str = "\
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

/// The images a search (an FTS5 expression over the texts `scope` names) matches, that a
/// gallery can show, newest first; kept a while by `search_cache`, since paging and previous /
/// next ask again.
pub fn matching_images(
    conn: &mut SqliteConnection,
    fts: &str,
    scope: SearchIn,
) -> QueryResult<Arc<Vec<ImageId>>> {
    let sql = match scope {
        SearchIn::Prompt => MATCHING_PROMPTS,
        SearchIn::Negative => MATCHING_NEGATIVES,
        SearchIn::Both => MATCHING_EITHER,
    };
    let key = cache_key(conn, fts, scope)?;
    super::search_cache::get_or_compute(&key, || {
        let rows: Vec<IdRow> = diesel::sql_query(sql)
            .bind::<diesel::sql_types::Text, _>(fts)
            .load(conn)?;
        Ok(rows.into_iter().map(|row| ImageId(row.id)).collect())
    })
}

/// What a search is kept under in `search_cache`: the database, the texts searched, the words.
fn cache_key(conn: &mut SqliteConnection, fts: &str, scope: SearchIn) -> QueryResult<String> {
    let (token, _) = super::database_token::token_and_sessions_version(conn)?;
    Ok(format!("{token}:{}:{fts}", scope.as_str()))
}

#[derive(QueryableByName)]
struct SnippetRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    snippet: String,
}

/// The matching words of each text a search matches among `texts`, with a few words around
/// them (six tokens: a narrow tile's two lines still show the match), the matching words
/// between `MARK_START` and `MARK_END`.
const SNIPPETS: &str = "\
    SELECT rowid AS id, snippet(prompts_fts, 0, char(2), char(3), '…', 6) AS snippet \
    FROM prompts_fts WHERE prompts_fts MATCH ?1 AND rowid IN (SELECT value FROM json_each(?2))";
pub const MARK_START: char = '\u{2}';
pub const MARK_END: char = '\u{3}';

/// The snippets of the texts among `texts` that the search matches, by text id; kept with
/// the search's results, so a page asked again does not make them again.
pub fn snippets(
    conn: &mut SqliteConnection,
    fts: &str,
    scope: SearchIn,
    texts: &[i32],
) -> QueryResult<HashMap<i32, String>> {
    if texts.is_empty() {
        return Ok(HashMap::new());
    }
    let key = cache_key(conn, fts, scope)?;
    super::search_cache::snippets_or_compute(&key, texts, |missing| {
        make_snippets(conn, fts, missing)
    })
}

fn make_snippets(
    conn: &mut SqliteConnection,
    fts: &str,
    texts: &[i32],
) -> QueryResult<HashMap<i32, String>> {
    let ids = serde_json::to_string(texts).unwrap_or_else(|_| "[]".to_owned());
    let rows: Vec<SnippetRow> = diesel::sql_query(SNIPPETS)
        .bind::<diesel::sql_types::Text, _>(fts)
        .bind::<diesel::sql_types::Text, _>(ids)
        .load(conn)?;
    Ok(rows.into_iter().map(|row| (row.id, row.snippet)).collect())
}
