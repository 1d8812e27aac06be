//! Statistics with near-duplicates counted once (`group=near`): of each near-duplicate group,
//! only one image is counted, with its verdicts, categories, values and judgements; the
//! others are left out of every figure. The one counted is the group's smallest-id image
//! that has a verdict (OK or KO), or its smallest-id image when none has: a group reviewed
//! as one (review's `group=near`) has the same verdict on every image, so it is the group's
//! verdict; a group judged image by image is counted by its first judged image, never twice.

use std::collections::HashMap;

use crate::db::stats::flags;

/// An image that passes the filter: (id, session index, verdict flags).
pub type Row = (i32, u32, i32);

/// `rows` with each group's other images left out; `groups` maps an image to its group.
pub fn once_per_group(rows: Vec<Row>, groups: &HashMap<i32, i32>) -> Vec<Row> {
    let judged = |bits: i32| (bits as u8) & (flags::OK | flags::KO) != 0;
    // Per group: (has no verdict, id) of the image counted, smallest first.
    let mut counted: HashMap<i32, (bool, i32)> = HashMap::new();
    for &(id, _, bits) in &rows {
        if let Some(&group) = groups.get(&id) {
            let candidate = (!judged(bits), id);
            counted
                .entry(group)
                .and_modify(|best| *best = (*best).min(candidate))
                .or_insert(candidate);
        }
    }
    rows.into_iter()
        .filter(|(id, _, _)| match groups.get(id) {
            Some(group) => counted.get(group).is_some_and(|&(_, best)| best == *id),
            None => true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_counts_once_by_its_first_judged_image() {
        let ko = i32::from(flags::KO);
        let rows = vec![
            (1, 0, 0),
            (2, 0, ko),
            (3, 0, ko),
            (4, 0, 0),
            (5, 0, 0),
            (6, 0, 0),
        ];
        let groups = HashMap::from([(1, 1), (2, 1), (3, 1), (5, 5), (6, 5)]);
        let kept: Vec<i32> = once_per_group(rows, &groups).iter().map(|r| r.0).collect();
        assert_eq!(kept, vec![2, 4, 5]);
    }
}
