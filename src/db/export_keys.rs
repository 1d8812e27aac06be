//! What columns an export of a filter needs, known before the first row is written (a CSV
//! header and a Parquet schema come first): the generation parameters, placeholders and raters
//! that occur among the filtered images. SQLite lists the keys of each image's JSON; only the
//! distinct lists come back, so this reads no image into memory.

use std::collections::BTreeSet;

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};

use super::caller::Caller;
use super::schema::images::dsl as i;
use super::schema::judgements::dsl as j;
use super::schema::sessions::dsl as s;
use super::schema::users::dsl as u;
use crate::domain::gallery_filter::GalleryFilter;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportKeys {
    /// A1111 parameter names, sorted.
    pub parameters: Vec<String>,
    /// Placeholder names, sorted.
    pub placeholders: Vec<String>,
    /// Names of the users who judged any of the images, sorted.
    pub raters: Vec<String>,
}

const PARAMETER_KEYS: &str = "(SELECT json_group_array(key) FROM json_each(images.metadata, \
     '$.parameters_parsed'))";
const COMMON_KEYS: &str =
    "(SELECT json_group_array(key) FROM json_each(sessions.metadata, '$.parameters_common'))";
const PLACEHOLDER_KEYS: &str =
    "(SELECT json_group_array(key) FROM json_each(images.metadata, '$.variations'))";

fn add_all(into: &mut BTreeSet<String>, list: Option<String>) {
    if let Some(Ok(keys)) = list.map(|l| serde_json::from_str::<Vec<String>>(&l)) {
        into.extend(keys);
    }
}

pub fn of_filter(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
) -> QueryResult<ExportKeys> {
    let lists: Vec<(Option<String>, Option<String>)> = super::gallery::filtered(filter, caller)
        .select((
            sql::<Nullable<Text>>(PARAMETER_KEYS),
            sql::<Nullable<Text>>(PLACEHOLDER_KEYS),
        ))
        .distinct()
        .load(conn)?;
    let (mut parameters, mut placeholders) = (BTreeSet::new(), BTreeSet::new());
    for (own, variations) in lists {
        add_all(&mut parameters, own);
        add_all(&mut placeholders, variations);
    }
    // The session's shared parameters, once per session rather than once per image.
    let common: Vec<Option<String>> = s::sessions
        .filter(s::id.eq_any(super::gallery::filtered(filter, caller).select(i::session_id)))
        .select(sql::<Nullable<Text>>(COMMON_KEYS))
        .distinct()
        .load(conn)?;
    for list in common {
        add_all(&mut parameters, list);
    }
    let raters = j::judgements
        .inner_join(u::users)
        .filter(j::image_id.eq_any(super::gallery::filtered(filter, caller).select(i::id)))
        .select(u::name)
        .distinct()
        .order(u::name)
        .load(conn)?;
    Ok(ExportKeys {
        parameters: parameters.into_iter().collect(),
        placeholders: placeholders.into_iter().collect(),
        raters,
    })
}
