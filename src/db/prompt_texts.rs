//! The dictionary of distinct prompt texts that images point into.

use std::collections::HashMap;

use diesel::prelude::*;

use super::ids::PromptId;
use super::schema::prompt_texts::dsl as p;

/// Every known text's hash with its id, kept in memory during an import. 128-bit XXH3 makes
/// a collision between two different prompts practically impossible (about 2^-100 for a
/// billion texts), so a hash hit is taken as the same text.
pub struct PromptCache {
    ids: HashMap<u128, PromptId>,
    /// The first text added since the search index was last brought up to date.
    first_unindexed: Option<PromptId>,
}

fn hash(text: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(text.as_bytes())
}

impl PromptCache {
    pub fn load(conn: &mut SqliteConnection) -> QueryResult<PromptCache> {
        let rows: Vec<(PromptId, Vec<u8>)> = p::prompt_texts.select((p::id, p::hash)).load(conn)?;
        let ids = rows
            .into_iter()
            .filter_map(|(id, bytes)| Some((u128::from_be_bytes(bytes.try_into().ok()?), id)))
            .collect();
        Ok(PromptCache {
            ids,
            first_unindexed: None,
        })
    }

    pub fn id_for(&mut self, conn: &mut SqliteConnection, text: &str) -> QueryResult<PromptId> {
        let key = hash(text);
        if let Some(&id) = self.ids.get(&key) {
            return Ok(id);
        }
        let id = diesel::insert_into(p::prompt_texts)
            .values((p::hash.eq(key.to_be_bytes().to_vec()), p::text.eq(text)))
            .returning(p::id)
            .get_result(conn)?;
        self.ids.insert(key, id);
        self.first_unindexed.get_or_insert(id);
        Ok(id)
    }

    /// Indexes the texts added since the last call, in one statement. Call it before the
    /// transaction that added them commits. New texts take ids above every existing one (the
    /// importer is their only writer), so they are the ones from `first_unindexed` up.
    pub fn index_new_texts(&mut self, conn: &mut SqliteConnection) -> QueryResult<()> {
        if let Some(first) = self.first_unindexed.take() {
            diesel::sql_query(
                "INSERT INTO prompts_fts (rowid, text) SELECT id, text FROM prompt_texts WHERE id >= ?",
            )
            .bind::<diesel::sql_types::Integer, _>(first)
            .execute(conn)?;
        }
        Ok(())
    }
}
