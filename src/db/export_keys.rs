//! What columns an export of a filter needs, known before the first row is written (a CSV
//! header and a Parquet schema come first): the generation parameters, placeholders and raters
//! that occur among the exported images. SQLite lists the keys of each image's JSON; only the
//! distinct lists come back, so this reads no image into memory.
//!
//! The same queries name, for each column, the first image that has a value in it: the
//! candidates `export::first_rows` chooses the file's first rows from, so that a reader which
//! guesses types from the first rows sees every column filled.

use std::collections::{BTreeMap, BTreeSet};

use diesel::dsl::{min, sql};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable, Text};

use super::caller::Caller;
use super::gallery::{Files, filtered_files};
use super::ids::ImageId;
use super::row_limit::RowLimit;
use super::schema::image_variations::dsl as iv;
use super::schema::images::dsl as i;
use super::schema::judgements::dsl as j;
use super::schema::sessions::dsl as s;
use super::schema::users::dsl as u;
use super::schema::variations::dsl as v;
use crate::domain::gallery_filter::GalleryFilter;
use crate::domain::text_shape::{self, Shape};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportKeys {
    /// A1111 parameter names, sorted.
    pub parameters: Vec<String>,
    /// Placeholder names, sorted.
    pub placeholders: Vec<String>,
    /// Names of the users who judged any of the images, sorted.
    pub raters: Vec<String>,
    /// Images that between them fill every column that is filled anywhere: the first image of
    /// each session (its session's columns) and the first image with each parameter,
    /// placeholder, shape of a placeholder's values, rater's field, image fact and field of
    /// the predictions.
    pub candidates: BTreeSet<ImageId>,
}

const PARAMETER_KEYS: &str = "(SELECT json_group_array(key) FROM json_each(images.metadata, \
     '$.parameters_parsed'))";
const COMMON_KEYS: &str =
    "(SELECT json_group_array(key) FROM json_each(sessions.metadata, '$.parameters_common'))";
const PLACEHOLDER_KEYS: &str =
    "(SELECT json_group_array(key) FROM json_each(images.metadata, '$.variations'))";
/// Each leaf of the predictions with its JSON type (`$.sdreview_ko.ko real`): a reader that
/// guesses a nested field's type from the first rows needs each field with each of its types.
const PREDICTION_LEAVES: &str = "(SELECT json_group_array(DISTINCT fullkey || ' ' || type) \
     FROM json_tree(images.ml_predictions) WHERE type NOT IN ('object', 'array', 'null'))";
const FIRST: &str = "min(images.id)";
/// The first image with each fact of its own that may be missing, as one JSON array.
const FIRST_WITH_FACTS: &str = "json_array(\
     min(CASE WHEN images.seed IS NOT NULL THEN images.id END), \
     min(CASE WHEN images.prompt_id IS NOT NULL THEN images.id END), \
     min(CASE WHEN images.negative_prompt_id IS NOT NULL THEN images.id END), \
     min(CASE WHEN images.width IS NOT NULL THEN images.id END), \
     min(CASE WHEN images.broken IS NOT NULL THEN images.id END), \
     min(CASE WHEN images.notes IS NOT NULL THEN images.id END), \
     min(CASE WHEN images.ml_predictions IS NOT NULL THEN images.id END), \
     min(CASE WHEN images.ok_count + images.ko_count > 0 THEN images.id END), \
     min(CASE WHEN images.perfect_count + images.imperfect_count > 0 THEN images.id END), \
     min(CASE WHEN NOT images.on_disk THEN images.id END))";
/// The first image each rater gave each field of a verdict.
const RATER_FIRSTS: &str = "json_array(\
     min(judgements.image_id), \
     min(CASE WHEN judgements.status IS NOT NULL THEN judgements.image_id END), \
     min(CASE WHEN judgements.quality IS NOT NULL THEN judgements.image_id END), \
     min(CASE WHEN judgements.failure_category IS NOT NULL THEN judgements.image_id END), \
     min(CASE WHEN judgements.failure_notes IS NOT NULL THEN judgements.image_id END))";

fn add_all(into: &mut BTreeSet<String>, list: Option<&str>) {
    if let Some(Ok(keys)) = list.map(serde_json::from_str::<Vec<String>>) {
        into.extend(keys);
    }
}

/// The ids in a JSON array of ids and nulls.
fn add_ids(into: &mut BTreeSet<ImageId>, array: Option<&str>) {
    if let Some(Ok(ids)) = array.map(serde_json::from_str::<Vec<Option<i32>>>) {
        into.extend(ids.into_iter().flatten().map(ImageId));
    }
}

/// The columns and candidates of an export of `filter` with the images `files` says.
pub fn of_filter(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
    files: Files,
) -> QueryResult<ExportKeys> {
    let images = || filtered_files(filter, caller, files);
    // A boxed query cannot be grouped: grouping reads the images it selects by id.
    let selected = || i::images.filter(i::id.eq_any(images().select(i::id)));
    let mut candidates = BTreeSet::new();
    // Grouped by the two lists (the first two columns).
    let lists: Vec<(Option<String>, Option<String>, i32)> = selected()
        .group_by(sql::<Integer>("1, 2"))
        .select((
            sql::<Nullable<Text>>(PARAMETER_KEYS),
            sql::<Nullable<Text>>(PLACEHOLDER_KEYS),
            sql::<Integer>(FIRST),
        ))
        .load(conn)?;
    let (mut parameters, mut placeholders) = (BTreeSet::new(), BTreeSet::new());
    for (own, variations, first) in &lists {
        // Lists grouped apart whose keys are all known already bring nothing new to show.
        let before = parameters.len() + placeholders.len();
        add_all(&mut parameters, own.as_deref());
        add_all(&mut placeholders, variations.as_deref());
        if parameters.len() + placeholders.len() > before {
            candidates.insert(ImageId(*first));
        }
    }
    // Each leaf of the predictions takes a candidate of its own: distinct lists are few.
    let leaves: Vec<i32> = selected()
        .filter(i::ml_predictions.is_not_null())
        .filter(sql::<diesel::sql_types::Bool>(
            "json_valid(images.ml_predictions)",
        ))
        .group_by(sql::<Nullable<Text>>(PREDICTION_LEAVES))
        .select(sql::<Integer>(FIRST))
        .load(conn)?;
    candidates.extend(leaves.into_iter().map(ImageId));
    let facts: Option<String> = images()
        .select(sql::<Nullable<Text>>(FIRST_WITH_FACTS))
        .first_row(conn)
        .optional()?
        .flatten();
    add_ids(&mut candidates, facts.as_deref());
    // The first image of each session shows its session's columns and shared parameters.
    let firsts: Vec<Option<ImageId>> = selected()
        .group_by(i::session_id)
        .select(min(i::id))
        .load(conn)?;
    candidates.extend(firsts.into_iter().flatten());
    // The session's shared parameters, once per session rather than once per image.
    let common: Vec<Option<String>> = s::sessions
        .filter(s::id.eq_any(images().select(i::session_id)))
        .select(sql::<Nullable<Text>>(COMMON_KEYS))
        .distinct()
        .load(conn)?;
    for list in common {
        add_all(&mut parameters, list.as_deref());
    }
    // A placeholder whose values take more than one shape (a number and a word): the first
    // image with each, which a reader that guesses a CSV column's type must see early. The
    // values are few, and a placeholder of one shape (most) costs no further query.
    let values: Vec<(i32, String, String)> = v::variations
        .select((v::id, v::placeholder, v::value))
        .load(conn)?;
    let mut shapes: BTreeMap<String, BTreeMap<Shape, Vec<i32>>> = BTreeMap::new();
    for (id, placeholder, value) in values {
        let shape = text_shape::of(&value);
        shapes
            .entry(placeholder)
            .or_default()
            .entry(shape)
            .or_default()
            .push(id);
    }
    for by_shape in shapes.into_values().filter(|by_shape| by_shape.len() > 1) {
        for ids in by_shape.into_values() {
            let mut first: Option<i32> = None;
            for chunk in ids.chunks(10_000) {
                let found: Option<i32> = iv::image_variations
                    .filter(iv::variation_id.eq_any(chunk))
                    .filter(iv::image_id.eq_any(images().select(i::id)))
                    .select(min(iv::image_id))
                    .first_row(conn)?;
                first = first.into_iter().chain(found).min();
            }
            candidates.extend(first.map(ImageId));
        }
    }
    let judged: Vec<(String, Option<String>)> = j::judgements
        .inner_join(u::users)
        .filter(j::image_id.eq_any(images().select(i::id)))
        .group_by(u::name)
        .select((u::name, sql::<Nullable<Text>>(RATER_FIRSTS)))
        .order(u::name)
        .load(conn)?;
    let mut raters = Vec::with_capacity(judged.len());
    for (name, firsts) in judged {
        add_ids(&mut candidates, firsts.as_deref());
        raters.push(name);
    }
    Ok(ExportKeys {
        parameters: parameters.into_iter().collect(),
        placeholders: placeholders.into_iter().collect(),
        raters,
        candidates,
    })
}
