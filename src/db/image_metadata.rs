//! An image's whole metadata, as one JSON object: the stored facts with the prompts, the
//! session's shared parameters and the A1111 text put back (docs/database.md).

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use serde_json::{Map, Value};

use super::ids::ImageId;
use crate::domain::parameters_diff::rebuild_text;

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    metadata: String,
}

/// None when there is no such image.
pub fn full_metadata(conn: &mut SqliteConnection, id: ImageId) -> QueryResult<Option<Value>> {
    let row: Option<Row> = diesel::sql_query("SELECT metadata FROM image_metadata WHERE id = ?")
        .bind::<Integer, _>(id)
        .get_result(conn)
        .optional()?;
    Ok(row
        .and_then(|r| serde_json::from_str(&r.metadata).ok())
        .map(with_parameters_text))
}

/// Puts the A1111 text back where the importer left it out because it rebuilds exactly.
fn with_parameters_text(mut metadata: Value) -> Value {
    let Some(object) = metadata.as_object_mut() else {
        return metadata;
    };
    if object.contains_key("parameters") {
        return metadata;
    }
    if let Some(Value::Object(values)) = object.get("parameters_parsed") {
        let text = rebuild_text(
            object
                .get("prompt")
                .and_then(Value::as_str)
                .unwrap_or_default(),
            object.get("negative_prompt").and_then(Value::as_str),
            values,
        );
        let mut ordered = Map::new();
        for (key, value) in std::mem::take(object) {
            if key == "parameters_parsed" {
                ordered.insert("parameters".into(), Value::String(text.clone()));
            }
            ordered.insert(key, value);
        }
        *object = ordered;
    }
    metadata
}
