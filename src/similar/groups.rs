//! Near-duplicate groups over the whole library: images joined by chains of near-duplicate
//! pairs (at most the threshold apart), except that a pair marked "not duplicates" never ends
//! up in one group. Joining every near pair first is enough for a group that holds no marked
//! pair; a group that does is joined again from scratch, closest pairs first (Kruskal), and
//! a join that would bring a marked pair together is refused, so the mark splits the group
//! where its members are least alike.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::index::{HashIndex, INDEXED_DISTANCE};
use super::union_find::UnionFind;

/// The widest distance groups are made at: a wider threshold groups at this one. Chains of
/// pairs 16 bits or more apart join unrelated pictures, and the multi-index answers the
/// pairs of a million hashes only up to here.
pub const GROUP_MAX_DISTANCE: u32 = INDEXED_DISTANCE;

/// Slots per part when the pairs are looked for on every core.
const PART: usize = 1 << 15;

/// Each grouped image's (id, group), the group named by its smallest image id, in image id
/// order; images with no near-duplicate are left out. None when the index's tables are not
/// current (`HashIndex::rebuild` first): pairs would be missed.
pub fn compute(
    index: &HashIndex,
    max_distance: u32,
    apart: &[(i32, i32)],
    parallel: bool,
) -> Option<Vec<(i32, i32)>> {
    if !index.is_current() && !index.is_empty() {
        return None;
    }
    let max_distance = max_distance.min(GROUP_MAX_DISTANCE);
    let ids: Vec<u32> = index
        .entries()
        .filter_map(|(id, _)| u32::try_from(id).ok())
        .collect();
    let max_id = ids.iter().copied().max().unwrap_or(0) as usize;
    let mut loose = UnionFind::new(max_id);
    let mut join = |a: i32, b: i32| {
        if let (Ok(a), Ok(b)) = (u32::try_from(a), u32::try_from(b)) {
            loose.union(a, b);
        }
    };
    let slots = index.slot_count();
    if parallel {
        let parts: Vec<usize> = (0..slots).step_by(PART).collect();
        let pairs: Vec<Vec<(i32, i32)>> = parts
            .into_par_iter()
            .map(|from| {
                let mut found = Vec::new();
                index.near_pairs(max_distance, from..from + PART, |a, b, _| {
                    found.push((a, b))
                });
                found
            })
            .collect();
        pairs.into_iter().flatten().for_each(|(a, b)| join(a, b));
    } else {
        index.near_pairs(max_distance, 0..slots, |a, b, _| join(a, b));
    }
    let strict = split_marked(index, max_distance, apart, &mut loose, max_id);
    Some(label(&ids, &mut loose, strict, max_id))
}

/// The groups holding a marked pair, joined again closest pairs first with every marked pair
/// kept apart: their sets, and which loose groups they replace.
struct Strict {
    sets: UnionFind,
    replaced: HashSet<u32>,
}

fn split_marked(
    index: &HashIndex,
    max_distance: u32,
    apart: &[(i32, i32)],
    loose: &mut UnionFind,
    max_id: usize,
) -> Option<Strict> {
    let hashed = |id: i32| u32::try_from(id).ok().filter(|_| index.get(id).is_some());
    let inside: Vec<(u32, u32)> = apart
        .iter()
        .filter_map(|&(a, b)| Some((hashed(a)?, hashed(b)?)))
        .filter(|&(a, b)| loose.find(a) == loose.find(b))
        .collect();
    if inside.is_empty() {
        return None;
    }
    let replaced: HashSet<u32> = inside.iter().map(|&(a, _)| loose.find(a)).collect();
    let mut edges: Vec<(u32, u32, u32)> = Vec::new();
    for (id, hash) in index.entries() {
        let Ok(me) = u32::try_from(id) else { continue };
        if !replaced.contains(&loose.find(me)) {
            continue;
        }
        for near in index.within(&hash, max_distance, id) {
            if near.image_id > id {
                edges.push((near.distance, me, near.image_id as u32));
            }
        }
    }
    edges.sort_unstable();
    let mut sets = UnionFind::new(max_id);
    // Each set's marked partners; a join is refused when one of them is in the other set.
    let mut forbidden: HashMap<u32, Vec<u32>> = HashMap::new();
    for &(a, b) in &inside {
        forbidden.entry(a).or_default().push(b);
        forbidden.entry(b).or_default().push(a);
    }
    for (_, a, b) in edges {
        let (ra, rb) = (sets.find(a), sets.find(b));
        if ra == rb {
            continue;
        }
        let partners_a = forbidden.get(&ra).cloned().unwrap_or_default();
        let partners_b = forbidden.get(&rb).cloned().unwrap_or_default();
        if partners_a.iter().any(|&p| sets.find(p) == rb) {
            continue;
        }
        let root = sets.join_roots(ra, rb);
        let mut merged = partners_a;
        merged.extend(partners_b);
        forbidden.remove(&ra);
        forbidden.remove(&rb);
        if !merged.is_empty() {
            forbidden.insert(root, merged);
        }
    }
    Some(Strict { sets, replaced })
}

/// Names each group by its smallest id and leaves out the images alone. A root is an id of
/// its own group, so loose and strict roots never collide.
fn label(
    ids: &[u32],
    loose: &mut UnionFind,
    mut strict: Option<Strict>,
    max_id: usize,
) -> Vec<(i32, i32)> {
    let mut root_of = |id: u32| {
        let root = loose.find(id);
        match &mut strict {
            Some(s) if s.replaced.contains(&root) => s.sets.find(id),
            _ => root,
        }
    };
    let roots: Vec<u32> = ids.iter().map(|&id| root_of(id)).collect();
    let mut smallest = vec![u32::MAX; max_id + 1];
    let mut size = vec![0u32; max_id + 1];
    for (&id, &root) in ids.iter().zip(&roots) {
        smallest[root as usize] = smallest[root as usize].min(id);
        size[root as usize] += 1;
    }
    let mut grouped: Vec<(i32, i32)> = ids
        .iter()
        .zip(&roots)
        .filter(|&(_, &root)| size[root as usize] > 1)
        .map(|(&id, &root)| (id as i32, smallest[root as usize] as i32))
        .collect();
    grouped.sort_unstable();
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similar::hash::PerceptualHash;

    /// A hash `bits` bits from the scene `scene` (scenes are far apart).
    fn near(scene: u64, bits: u32) -> PerceptualHash {
        let base = scene.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut words = [
            base,
            !base,
            base.rotate_left(17),
            base ^ 0x5555_5555_5555_5555,
        ];
        for bit in 0..bits {
            words[(bit / 64) as usize] ^= 1 << (bit % 64);
        }
        PerceptualHash(words)
    }

    fn index_of(hashes: &[(i32, PerceptualHash)]) -> HashIndex {
        let mut index = HashIndex::default();
        for &(id, hash) in hashes {
            index.insert(id, hash);
        }
        index.rebuild();
        index
    }

    #[test]
    fn copies_are_grouped_under_their_smallest_id_and_strangers_are_left_alone() {
        let index = index_of(&[
            (3, near(1, 0)),
            (5, near(1, 2)),
            (9, near(1, 4)),
            (4, near(2, 0)),
            (7, near(3, 0)),
            (8, near(3, 1)),
        ]);
        for parallel in [false, true] {
            let groups = compute(&index, 5, &[], parallel).unwrap();
            assert_eq!(groups, vec![(3, 3), (5, 3), (7, 7), (8, 7), (9, 3)]);
        }
    }

    #[test]
    fn a_chain_joins_and_a_marked_pair_splits_it_at_its_widest_link() {
        // 1 -2 bits- 2 -3 bits- 3 (1 and 3 are 5 apart): one group at 5 bits.
        let index = index_of(&[(1, near(1, 0)), (2, near(1, 2)), (3, near(1, 5))]);
        assert_eq!(
            compute(&index, 5, &[], false).unwrap(),
            vec![(1, 1), (2, 1), (3, 1)]
        );
        // 1 and 3 marked apart: the closest pair (1, 2) stays, 3 is left alone.
        assert_eq!(
            compute(&index, 5, &[(1, 3)], false).unwrap(),
            vec![(1, 1), (2, 1)]
        );
        // A mark between images in different groups changes nothing.
        assert_eq!(
            compute(&index, 2, &[(1, 3)], false).unwrap(),
            vec![(1, 1), (2, 1)]
        );
    }

    #[test]
    fn a_stale_index_gives_no_groups_rather_than_wrong_ones() {
        let mut index = index_of(&[(1, near(1, 0)), (2, near(1, 1))]);
        index.insert(3, near(1, 2));
        assert_eq!(compute(&index, 5, &[], false), None);
    }
}
