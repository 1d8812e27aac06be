//! The gallery with near-duplicates grouped (`group=near`): each group that has images passing
//! the filter shows as one tile, its first image in the gallery's order (the representative),
//! with how many of the group pass the filter. The order is walked in chunks from the start
//! until the page's tiles are found, so a page costs what the images before it cost, as an
//! OFFSET does.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::caller::Caller;
use super::gallery::{self, GalleryItem};
use super::ids::ImageId;
use super::near_groups;
use super::schema::images::dsl as i;
use super::schema::near_groups::dsl as g;
use crate::domain::gallery_filter::{GalleryFilter, PAGE_SIZE};

/// Ids read from the order at a time.
const SCAN: i64 = 2_000;

/// A tile: an image alone, or a group's representative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stack {
    image: ImageId,
    group: Option<i32>,
}

/// The first `wanted` tiles in the filter's order.
fn stacks(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
    wanted: usize,
) -> QueryResult<Vec<Stack>> {
    let mut found = Vec::new();
    let mut seen: HashSet<i32> = HashSet::new();
    let mut offset = 0;
    while found.len() < wanted {
        let chunk = gallery::ordered_ids(conn, filter, caller, offset, SCAN)?;
        let groups = near_groups::groups_of(conn, &chunk)?;
        for &image in &chunk {
            let group = groups.get(&image).copied();
            if group.is_none_or(|g| seen.insert(g)) {
                found.push(Stack { image, group });
                if found.len() == wanted {
                    break;
                }
            }
        }
        if (chunk.len() as i64) < SCAN {
            break;
        }
        offset += SCAN;
    }
    Ok(found)
}

/// One page of tiles: the images shown, each group's count (of its images that pass the
/// filter) by representative, and whether there is another page.
pub struct GroupedPage {
    pub items: Vec<GalleryItem>,
    pub counts: HashMap<ImageId, i64>,
    pub more: bool,
}

pub fn page(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
) -> QueryResult<GroupedPage> {
    let skip = usize::try_from(filter.offset()).unwrap_or(usize::MAX);
    let page = PAGE_SIZE as usize;
    let all = stacks(conn, filter, caller, skip.saturating_add(page + 1))?;
    let more = all.len() > skip + page;
    let shown: Vec<Stack> = all.into_iter().skip(skip).take(page).collect();
    let ids: Vec<ImageId> = shown.iter().map(|s| s.image).collect();
    let mut items: HashMap<ImageId, GalleryItem> = i::images
        .filter(i::id.eq_any(&ids))
        .select(GalleryItem::as_select())
        .load(conn)?
        .into_iter()
        .map(|item: GalleryItem| (item.id, item))
        .collect();
    let groups: Vec<(ImageId, i32)> = shown
        .iter()
        .filter_map(|s| Some((s.image, s.group?)))
        .collect();
    let counts = counts(conn, filter, caller, &groups)?;
    let in_order: Vec<GalleryItem> = ids.iter().filter_map(|id| items.remove(id)).collect();
    Ok(GroupedPage {
        items: super::gallery::seen_by(conn, caller, in_order)?,
        counts,
        more,
    })
}

/// How many images of each group pass the filter, by the group's representative.
fn counts(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
    groups: &[(ImageId, i32)],
) -> QueryResult<HashMap<ImageId, i64>> {
    if groups.is_empty() {
        return Ok(HashMap::new());
    }
    let group_ids: Vec<i32> = groups.iter().map(|&(_, group)| group).collect();
    let members: Vec<ImageId> = gallery::filtered(filter, caller)
        .filter(
            i::id.eq_any(
                g::near_groups
                    .filter(g::group_id.eq_any(group_ids))
                    .select(g::image_id),
            ),
        )
        .select(i::id)
        .load(conn)?;
    let mut per_group: HashMap<i32, i64> = HashMap::new();
    for group in near_groups::groups_of(conn, &members)?.into_values() {
        *per_group.entry(group).or_default() += 1;
    }
    Ok(groups
        .iter()
        .map(|&(image, group)| (image, per_group.get(&group).copied().unwrap_or(1)))
        .collect())
}

/// How many images of `image`'s group pass the filter (1 for an image in no group): a tile
/// refreshed after a rating keeps its count.
pub fn count_with(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
    image: ImageId,
) -> QueryResult<i64> {
    let Some(group) = near_groups::group_of(conn, image)? else {
        return Ok(1);
    };
    Ok(counts(conn, filter, caller, &[(image, group)])?
        .get(&image)
        .copied()
        .unwrap_or(1))
}

/// The tiles' images in order, up to `limit` (previous / next on the image page).
pub fn representatives(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
    limit: i64,
) -> QueryResult<Vec<ImageId>> {
    let wanted = usize::try_from(limit).unwrap_or(usize::MAX);
    Ok(stacks(conn, filter, caller, wanted)?
        .into_iter()
        .map(|s| s.image)
        .collect())
}
