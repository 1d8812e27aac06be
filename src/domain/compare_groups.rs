//! Compare by seed: the images of a set that differ only in one placeholder, side by side.
//! Images with the same seed and the same values for every other placeholder form a group;
//! within it, each image shows one value of the compared placeholder.

use std::collections::BTreeMap;

/// What grouping needs of an image.
#[derive(Debug, Clone)]
pub struct Variant {
    pub id: i32,
    pub seed: Option<i64>,
    /// (placeholder, value) pairs, any order.
    pub variations: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub seed: Option<i64>,
    /// The other placeholders' values, by placeholder: what the group's images share.
    pub shared: Vec<(String, String)>,
    /// (value of the compared placeholder, image id), in the order of `values`.
    pub cells: Vec<(String, i32)>,
}

/// Every value the compared placeholder takes in the set, sorted, and the groups that hold at
/// least two of them (one image alone compares with nothing), by seed.
pub fn groups(images: &[Variant], placeholder: &str) -> (Vec<String>, Vec<Group>) {
    type Key = (Option<i64>, Vec<(String, String)>);
    let mut by_key: BTreeMap<Key, Vec<(String, i32)>> = BTreeMap::new();
    let mut values: Vec<String> = Vec::new();
    for image in images {
        let Some((_, value)) = image.variations.iter().find(|(p, _)| p == placeholder) else {
            continue;
        };
        let mut shared: Vec<(String, String)> = image
            .variations
            .iter()
            .filter(|(p, _)| p != placeholder)
            .cloned()
            .collect();
        shared.sort();
        values.push(value.clone());
        by_key
            .entry((image.seed, shared))
            .or_default()
            .push((value.clone(), image.id));
    }
    values.sort();
    values.dedup();
    let rank = |value: &str| values.iter().position(|v| v == value);
    let groups = by_key
        .into_iter()
        .filter_map(|((seed, shared), mut cells)| {
            cells.sort_by_key(|(value, id)| (rank(value), *id));
            let distinct = cells.windows(2).filter(|w| w[0].0 != w[1].0).count() + 1;
            (distinct >= 2).then_some(Group {
                seed,
                shared,
                cells,
            })
        })
        .collect();
    (values, groups)
}

/// How one value of the placeholder did over the whole set. An image is judged when someone
/// gave it a status (OK or KO), and fails when someone marked it KO: the same rule as the
/// statistics' success rate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValueTally {
    pub value: String,
    pub images: u32,
    pub judged: u32,
    pub ko: u32,
    pub perfect: u32,
}

impl ValueTally {
    /// Whole percent, None before anything was judged.
    pub fn success_percent(&self) -> Option<u32> {
        (self.judged > 0).then(|| (100 * (self.judged - self.ko) + self.judged / 2) / self.judged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(id: i32, seed: i64, hair: &str, light: &str) -> Variant {
        Variant {
            id,
            seed: Some(seed),
            variations: vec![("Light".into(), light.into()), ("Hair".into(), hair.into())],
        }
    }

    #[test]
    fn images_differing_only_in_the_placeholder_stand_together() {
        let set = [
            image(1, 42, "red hair", "dusk"),
            image(2, 42, "crimson hair", "dusk"),
            image(3, 42, "red hair", "noon"),
            image(4, 7, "crimson hair", "noon"),
            image(5, 7, "red hair", "noon"),
            image(6, 9, "red hair", "noon"),
        ];
        let (values, groups) = groups(&set, "Hair");
        assert_eq!(values, vec!["crimson hair", "red hair"]);
        assert_eq!(
            groups.len(),
            2,
            "seed 42 at noon and seed 9 have nothing to compare"
        );
        assert_eq!(groups[0].seed, Some(7));
        assert_eq!(
            groups[0].cells,
            vec![("crimson hair".into(), 4), ("red hair".into(), 5)]
        );
        assert_eq!(groups[1].shared, vec![("Light".into(), "dusk".into())]);
    }

    #[test]
    fn images_without_the_placeholder_are_left_out() {
        let set = [
            image(1, 1, "red hair", "dusk"),
            Variant {
                id: 2,
                seed: Some(1),
                variations: vec![("Light".into(), "dusk".into())],
            },
        ];
        let (values, groups) = groups(&set, "Hair");
        assert_eq!(values, vec!["red hair"]);
        assert!(groups.is_empty());
    }

    #[test]
    fn the_success_rate_counts_only_judged_images() {
        let tally = ValueTally {
            judged: 3,
            ko: 1,
            ..ValueTally::default()
        };
        assert_eq!(tally.success_percent(), Some(67));
        assert_eq!(ValueTally::default().success_percent(), None);
    }
}
