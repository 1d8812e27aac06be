//! Compare by seed: the set's values of one placeholder with their success rates, then each
//! seed's images side by side, each rateable in place.

use std::collections::HashMap;

use crate::db::compare_set::CompareSet;
use crate::db::gallery::GalleryItem;
use crate::db::ids::ImageId;
use crate::domain::compare_groups::{Group, ValueTally, Variant, groups};
use crate::domain::rating::{Quality, Status, Verdict};

pub const GROUPS_PER_PAGE: usize = 20;

pub struct CompareCard {
    pub id: i32,
    /// The compared placeholder's value on this image.
    pub value: String,
    pub thumb: String,
    pub screen: String,
    pub href: String,
    pub alt: String,
    pub width: i32,
    pub height: i32,
    pub broken: bool,
    pub mine_up: bool,
    pub mine_down: bool,
    pub mine_like: bool,
    pub mine_ok: bool,
    pub mine_ko: bool,
    pub likes: i32,
    pub perfects: i32,
    pub kos: i32,
}

pub struct CompareRow {
    pub title: String,
    pub cards: Vec<CompareCard>,
}

pub struct ValueView {
    pub tally: ValueTally,
    /// "72 % OK", or "not judged yet".
    pub rate: String,
    /// The bar's width, in percent.
    pub width: u32,
}

pub fn card(item: &GalleryItem, value: &str, mine: Option<&Verdict>) -> CompareCard {
    let mine = mine.cloned().unwrap_or_default();
    let id = item.id.0;
    CompareCard {
        id,
        value: value.to_owned(),
        thumb: format!("/images/{id}/thumb"),
        screen: format!("/images/{id}/screen"),
        href: format!("/images/{id}"),
        alt: format!("{}: {value}", item.filename),
        width: item.width.unwrap_or(512).max(1),
        height: item.height.unwrap_or(512).max(1),
        broken: item.broken.is_some(),
        mine_up: mine.quality == Some(Quality::Perfect),
        mine_down: mine.quality == Some(Quality::Imperfect),
        mine_like: mine.liked,
        mine_ok: mine.status == Some(Status::Ok),
        mine_ko: mine.status == Some(Status::Ko),
        likes: item.like_count,
        perfects: item.perfect_count,
        kos: item.ko_count,
    }
}

fn title(group: &Group) -> String {
    let mut parts = vec![match group.seed {
        Some(seed) => format!("Seed {seed}"),
        None => "No seed".to_owned(),
    }];
    parts.extend(group.shared.iter().map(|(p, v)| format!("{p}: {v}")));
    parts.join(" · ")
}

/// The set's placeholders that take two values or more: the ones worth comparing.
pub fn placeholders(set: &CompareSet) -> Vec<String> {
    let mut seen: HashMap<&str, Vec<&str>> = HashMap::new();
    for pairs in set.variations.values() {
        for (placeholder, value) in pairs {
            let values = seen.entry(placeholder).or_default();
            if !values.contains(&value.as_str()) {
                values.push(value);
            }
        }
    }
    let mut names: Vec<String> = seen
        .into_iter()
        .filter(|(_, values)| values.len() >= 2)
        .map(|(name, _)| name.to_owned())
        .collect();
    names.sort();
    names
}

/// The values with their tallies over the whole set, and every group's row.
pub fn compare(
    set: &CompareSet,
    placeholder: &str,
    mine: &HashMap<ImageId, Verdict>,
) -> (Vec<ValueView>, Vec<CompareRow>) {
    let variants: Vec<Variant> = set
        .items
        .iter()
        .map(|item| Variant {
            id: item.id.0,
            seed: item.seed,
            variations: set.variations.get(&item.id).cloned().unwrap_or_default(),
        })
        .collect();
    let (values, groups) = groups(&variants, placeholder);
    let by_id: HashMap<i32, &GalleryItem> = set.items.iter().map(|it| (it.id.0, it)).collect();
    let mut tallies: Vec<ValueTally> = values
        .iter()
        .map(|value| ValueTally {
            value: value.clone(),
            ..ValueTally::default()
        })
        .collect();
    for item in &set.items {
        let value = set
            .variations
            .get(&item.id)
            .and_then(|pairs| pairs.iter().find(|(p, _)| p == placeholder));
        let Some(tally) = value.and_then(|(_, v)| tallies.iter_mut().find(|t| &t.value == v))
        else {
            continue;
        };
        tally.images += 1;
        tally.judged += u32::from(item.ok_count > 0 || item.ko_count > 0);
        tally.ko += u32::from(item.ko_count > 0);
        tally.perfect += u32::from(item.perfect_count > 0);
    }
    let views = tallies
        .into_iter()
        .map(|tally| {
            let percent = tally.success_percent();
            ValueView {
                rate: percent.map_or("not judged yet".to_owned(), |p| format!("{p} % OK")),
                width: percent.unwrap_or(0),
                tally,
            }
        })
        .collect();
    let rows = groups
        .iter()
        .map(|group| CompareRow {
            title: title(group),
            cards: group
                .cells
                .iter()
                .filter_map(|(value, id)| {
                    let item = by_id.get(id)?;
                    Some(card(item, value, mine.get(&item.id)))
                })
                .collect(),
        })
        .collect();
    (views, rows)
}
