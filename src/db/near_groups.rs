//! Near-duplicate groups as stored (`near_groups`): one row per image that has a
//! near-duplicate, with its group (the group's smallest image id). `similar::regroup` writes
//! them; the gallery, review and statistics read them.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::ids::ImageId;
use super::row_limit::RowLimit;
use super::schema::images::dsl as i;
use super::schema::near_groups::dsl as g;

/// Rows per statement: SQLite limits the parameters one statement binds.
const CHUNK: usize = 5_000;

/// Every stored (image, group), in image id order.
pub fn all(conn: &mut SqliteConnection) -> QueryResult<Vec<(i32, i32)>> {
    g::near_groups
        .select((g::image_id, g::group_id))
        .order(g::image_id)
        .load(conn)
}

/// What a replacement changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Replaced {
    pub written: usize,
    pub removed: usize,
}

/// Makes the table hold exactly `wanted` ((image, group) in image id order), writing only the
/// rows that differ from `current` (what `all` read before), in one write turn: a
/// recomputation that changes nothing writes nothing, and statistics keyed on groups are not
/// thrown away for nothing. Images removed since the groups were computed are skipped.
pub fn replace(
    conn: &mut SqliteConnection,
    current: &[(i32, i32)],
    wanted: &[(i32, i32)],
) -> QueryResult<Replaced> {
    let now: HashMap<i32, i32> = current.iter().copied().collect();
    let keep: HashSet<i32> = wanted.iter().map(|&(image, _)| image).collect();
    let changed: Vec<(i32, i32)> = wanted
        .iter()
        .filter(|(image, group)| now.get(image) != Some(group))
        .copied()
        .collect();
    let gone: Vec<i32> = current
        .iter()
        .map(|&(image, _)| image)
        .filter(|image| !keep.contains(image))
        .collect();
    if changed.is_empty() && gone.is_empty() {
        return Ok(Replaced::default());
    }
    super::write_transaction(conn, |conn| {
        let mut replaced = Replaced::default();
        for chunk in gone.chunks(CHUNK) {
            replaced.removed +=
                diesel::delete(g::near_groups.filter(g::image_id.eq_any(chunk))).execute(conn)?;
        }
        for chunk in changed.chunks(CHUNK) {
            let ids: Vec<i32> = chunk.iter().map(|&(image, _)| image).collect();
            let existing: HashSet<i32> = i::images
                .filter(i::id.eq_any(&ids))
                .select(i::id)
                .load::<i32>(conn)?
                .into_iter()
                .collect();
            diesel::delete(g::near_groups.filter(g::image_id.eq_any(&ids))).execute(conn)?;
            let rows: Vec<_> = chunk
                .iter()
                .filter(|(image, _)| existing.contains(image))
                .map(|&(image, group)| (g::image_id.eq(image), g::group_id.eq(group)))
                .collect();
            replaced.written += diesel::insert_into(g::near_groups)
                .values(&rows)
                .execute(conn)?;
        }
        Ok(replaced)
    })
}

/// The groups of these images (those in one), by image.
pub fn groups_of(
    conn: &mut SqliteConnection,
    images: &[ImageId],
) -> QueryResult<HashMap<ImageId, i32>> {
    let mut found = HashMap::with_capacity(images.len());
    for chunk in images.chunks(CHUNK) {
        let rows: Vec<(i32, i32)> = g::near_groups
            .filter(g::image_id.eq_any(chunk.iter().map(|id| id.0)))
            .select((g::image_id, g::group_id))
            .load(conn)?;
        found.extend(
            rows.into_iter()
                .map(|(image, group)| (ImageId(image), group)),
        );
    }
    Ok(found)
}

/// The images of a group, in id order (empty for no such group).
pub fn members(conn: &mut SqliteConnection, group: i32) -> QueryResult<Vec<ImageId>> {
    g::near_groups
        .filter(g::group_id.eq(group))
        .order(g::image_id)
        .select(g::image_id)
        .load::<i32>(conn)
        .map(|ids| ids.into_iter().map(ImageId).collect())
}

/// The group of one image, if it is in one.
pub fn group_of(conn: &mut SqliteConnection, image: ImageId) -> QueryResult<Option<i32>> {
    g::near_groups
        .find(image.0)
        .select(g::group_id)
        .first_row(conn)
        .optional()
}
