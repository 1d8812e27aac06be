//! An image's whole metadata, as one JSON object: the stored facts with the prompts, the
//! session's shared parameters and the A1111 text put back (docs/database.md).

use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable, Text};
use serde_json::{Map, Value};

use super::ids::ImageId;
use crate::domain::parameters_diff::{merge, rebuild_text};

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    metadata: String,
    #[diesel(sql_type = Nullable<Text>)]
    common: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    prompt: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    negative_prompt: Option<String>,
}

/// None when there is no such image.
///
/// The same object as the `image_metadata` view gives, put together here rather than by
/// SQLite's `json_patch`, which is quadratic in the number of keys: a file with 40,000
/// parameters took seconds. [`merge`] is linear.
pub fn full_metadata(conn: &mut SqliteConnection, id: ImageId) -> QueryResult<Option<Value>> {
    let row: Option<Row> = diesel::sql_query(
        "SELECT i.metadata AS metadata, \
                json_extract(s.metadata, '$.parameters_common') AS common, \
                p.text AS prompt, n.text AS negative_prompt \
         FROM images i \
         JOIN sessions s ON s.id = i.session_id \
         LEFT JOIN prompt_texts p ON p.id = i.prompt_id \
         LEFT JOIN prompt_texts n ON n.id = i.negative_prompt_id \
         WHERE i.id = ?",
    )
    .bind::<Integer, _>(id)
    .get_result(conn)
    .optional()?;
    Ok(row.and_then(assemble).map(with_parameters_text))
}

fn assemble(row: Row) -> Option<Value> {
    let Ok(Value::Object(mut metadata)) = serde_json::from_str(&row.metadata) else {
        return None;
    };
    let parsed = match metadata.get("parameters_parsed") {
        Some(Value::Object(patch)) => {
            let common = row
                .common
                .and_then(|c| serde_json::from_str::<Map<String, Value>>(&c).ok())
                .unwrap_or_default();
            Value::Object(merge(&common, patch))
        }
        _ => Value::Null,
    };
    metadata.insert(
        "prompt".into(),
        row.prompt.map_or(Value::Null, Value::String),
    );
    metadata.insert(
        "negative_prompt".into(),
        row.negative_prompt.map_or(Value::Null, Value::String),
    );
    metadata.insert("parameters_parsed".into(), parsed);
    Some(Value::Object(metadata))
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
