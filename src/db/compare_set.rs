//! The images a comparison looks at, with every placeholder value of each.

use std::collections::HashMap;

use diesel::prelude::*;

use super::caller::Caller;
use super::gallery::{GalleryItem, filtered};
use super::ids::ImageId;
use super::row_limit::RowLimit;
use super::schema::image_variations::dsl as iv;
use super::schema::images::dsl as i;
use super::schema::variations::dsl as v;
use crate::domain::gallery_filter::GalleryFilter;

/// A session holds a few thousand images at most; a search may hold far more, and a page
/// of side-by-side images is read from the first this many.
pub const MAX_SET: i64 = 5_000;
const CHUNK: usize = 5_000;

pub struct CompareSet {
    pub items: Vec<GalleryItem>,
    pub variations: HashMap<ImageId, Vec<(String, String)>>,
    /// True when the set was cut at `MAX_SET`.
    pub capped: bool,
}

pub fn load(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
) -> QueryResult<CompareSet> {
    let mut items: Vec<GalleryItem> = filtered(filter, caller)
        .order(i::id.asc())
        .select(GalleryItem::as_select())
        .row_limit(MAX_SET + 1)
        .load(conn)?;
    let capped = items.len() as i64 > MAX_SET;
    items.truncate(MAX_SET as usize);
    let items = super::gallery::seen_by(conn, caller, items)?;
    let ids: Vec<ImageId> = items.iter().map(|item| item.id).collect();
    Ok(CompareSet {
        variations: variations_of(conn, &ids)?,
        items,
        capped,
    })
}

/// Each image's (placeholder, value) pairs.
pub fn variations_of(
    conn: &mut SqliteConnection,
    ids: &[ImageId],
) -> QueryResult<HashMap<ImageId, Vec<(String, String)>>> {
    let mut variations: HashMap<ImageId, Vec<(String, String)>> = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<(ImageId, String, String)> = iv::image_variations
            .inner_join(v::variations)
            .filter(iv::image_id.eq_any(chunk))
            .select((iv::image_id, v::placeholder, v::value))
            .load(conn)?;
        for (id, placeholder, value) in rows {
            variations.entry(id).or_default().push((placeholder, value));
        }
    }
    Ok(variations)
}
