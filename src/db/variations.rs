//! The (placeholder, value) dictionary that image variations point into.

use std::collections::HashMap;

use diesel::prelude::*;

use super::ids::VariationId;
use super::schema::variations::dsl as v;

/// Every known (placeholder, value) with its id, kept in memory during an import.
pub struct VariationCache {
    ids: HashMap<(String, String), VariationId>,
}

impl VariationCache {
    pub fn load(conn: &mut SqliteConnection) -> QueryResult<VariationCache> {
        let rows: Vec<(VariationId, String, String)> = v::variations
            .select((v::id, v::placeholder, v::value))
            .load(conn)?;
        Ok(VariationCache {
            ids: rows
                .into_iter()
                .map(|(id, p, val)| ((p, val), id))
                .collect(),
        })
    }

    pub fn id_for(
        &mut self,
        conn: &mut SqliteConnection,
        placeholder: &str,
        value: &str,
    ) -> QueryResult<VariationId> {
        if let Some(&id) = self.ids.get(&(placeholder.to_owned(), value.to_owned())) {
            return Ok(id);
        }
        let id = diesel::insert_into(v::variations)
            .values((v::placeholder.eq(placeholder), v::value.eq(value)))
            .returning(v::id)
            .get_result(conn)?;
        self.ids
            .insert((placeholder.to_owned(), value.to_owned()), id);
        Ok(id)
    }
}
