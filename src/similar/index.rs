//! Every hashed image's hash in memory, searchable by Hamming distance. A multi-index: each
//! hash is cut into 16 ranges of 16 bits, and each range has a table from its value to the
//! images that have it. Two hashes at most 15 bits apart agree on at least one whole range
//! (15 differences cannot touch all 16), so the images sharing a range with the query are
//! all the candidates there are: about 16 x N / 65,536 of them, 250 on a million hashes,
//! instead of a million. Wider searches scan every hash (a few milliseconds on a million).
//! Hashes added since the tables were built are scanned one by one until the next build.

use std::collections::HashMap;

use super::hash::PerceptualHash;

const CHUNKS: usize = 16;
const KEYS: usize = 1 << 16;
/// The widest search the tables answer; wider ones scan.
pub const INDEXED_DISTANCE: u32 = CHUNKS as u32 - 1;

/// One range's table: the slots whose hash has value `k` in this range are
/// `slots[starts[k]..starts[k + 1]]`.
struct ChunkTable {
    starts: Vec<u32>,
    slots: Vec<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Neighbour {
    pub image_id: i32,
    pub distance: u32,
}

#[derive(Default)]
pub struct HashIndex {
    ids: Vec<i32>,
    hashes: Vec<PerceptualHash>,
    /// Each image's slot; a rehashed image gets a new slot and its old one is left dead.
    slot_of: HashMap<i32, u32>,
    dead: usize,
    /// Tables over slots `..built`; the slots after are scanned.
    tables: Vec<ChunkTable>,
    built: usize,
}

impl HashIndex {
    pub fn len(&self) -> usize {
        self.slot_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slot_of.is_empty()
    }

    pub fn get(&self, image_id: i32) -> Option<PerceptualHash> {
        self.slot_of
            .get(&image_id)
            .map(|&slot| self.hashes[slot as usize])
    }

    /// An index of these hashes (ids distinct), built at once: how the stored hashes are read
    /// at start.
    pub fn from_entries(entries: Vec<(i32, PerceptualHash)>) -> HashIndex {
        let (ids, hashes): (Vec<i32>, Vec<PerceptualHash>) = entries.into_iter().unzip();
        let mut index = HashIndex {
            ids,
            hashes,
            ..HashIndex::default()
        };
        index.reindex_slots();
        index.rebuild();
        index
    }

    fn reindex_slots(&mut self) {
        self.slot_of = self
            .ids
            .iter()
            .enumerate()
            .map(|(slot, id)| (*id, u32::try_from(slot).unwrap_or(u32::MAX)))
            .collect();
    }

    /// Adds or replaces an image's hash.
    pub fn insert(&mut self, image_id: i32, hash: PerceptualHash) {
        let slot = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        if let Some(old) = self.slot_of.insert(image_id, slot) {
            self.ids[old as usize] = DEAD;
            self.dead += 1;
        }
        self.ids.push(image_id);
        self.hashes.push(hash);
        self.rebuild_when_due();
    }

    /// Forgets an image (its file was rehashed into a failure, or the image was removed).
    pub fn remove(&mut self, image_id: i32) {
        if let Some(old) = self.slot_of.remove(&image_id) {
            self.ids[old as usize] = DEAD;
            self.dead += 1;
        }
    }

    /// The images whose hash is at most `max_distance` bits from `hash`, nearest first (then
    /// by id), `exclude` left out.
    pub fn within(&self, hash: &PerceptualHash, max_distance: u32, exclude: i32) -> Vec<Neighbour> {
        let mut found = Vec::new();
        let mut consider = |slot: usize| {
            let image_id = self.ids[slot];
            if image_id == DEAD || image_id == exclude {
                return;
            }
            let distance = hash.distance(&self.hashes[slot]);
            if distance <= max_distance {
                found.push(Neighbour { image_id, distance });
            }
        };
        match self.ranges_to_read(hash, max_distance) {
            Some(ranges) => {
                // A candidate found through several ranges is compared each time: comparing
                // is a few instructions, cheaper than gathering and de-duplicating candidates.
                for (from, to, n) in ranges {
                    for &slot in &self.tables[n].slots[from..to] {
                        consider(slot as usize);
                    }
                }
                (self.built..self.ids.len()).for_each(&mut consider);
                found.sort_unstable_by_key(|n| n.image_id);
                found.dedup_by_key(|n| n.image_id);
            }
            None => (0..self.ids.len()).for_each(&mut consider),
        }
        found.sort_unstable_by_key(|n| (n.distance, n.image_id));
        found
    }

    /// Which ranges' buckets to read for a search, or None to compare every hash instead. A
    /// hash within `max_distance` differs in at most that many of the 16 ranges, so it agrees
    /// with the query on at least one of any `max_distance + 1` of them: the smallest buckets
    /// are read. Real hashes share some values often (a flat background hashes to zeros), and
    /// when the buckets to read would hold more than an eighth of all hashes, reading every
    /// hash in order is quicker than jumping to each.
    fn ranges_to_read(
        &self,
        hash: &PerceptualHash,
        max_distance: u32,
    ) -> Option<Vec<(usize, usize, usize)>> {
        if max_distance > INDEXED_DISTANCE || self.tables.is_empty() {
            return None;
        }
        let mut ranges: Vec<(usize, usize, usize)> = self
            .tables
            .iter()
            .enumerate()
            .map(|(n, table)| {
                let key = usize::from(hash.chunk(n));
                (
                    table.starts[key] as usize,
                    table.starts[key + 1] as usize,
                    n,
                )
            })
            .collect();
        ranges.sort_unstable_by_key(|(from, to, _)| to - from);
        ranges.truncate(max_distance as usize + 1);
        let candidates: usize = ranges.iter().map(|(from, to, _)| to - from).sum();
        (candidates <= self.ids.len() / 8).then_some(ranges)
    }

    /// Every image with a hash, with it: for grouping.
    pub fn entries(&self) -> impl Iterator<Item = (i32, PerceptualHash)> + '_ {
        self.ids
            .iter()
            .zip(&self.hashes)
            .filter(|(id, _)| **id != DEAD)
            .map(|(id, hash)| (*id, *hash))
    }

    /// Whether every hash is in the tables (nothing added or dropped since the last build).
    pub fn is_current(&self) -> bool {
        self.built == self.ids.len() && self.dead == 0 && !self.tables.is_empty()
    }

    /// Calls `visit(a, b, distance)` once for every pair of images at most `max_distance`
    /// bits apart, among the images whose slot is in `part` (of `0..slot_count()`) and any
    /// other: the same pair is never visited twice across parts. Tables must be current
    /// (`rebuild` first), else nothing is visited: a stale table would miss pairs.
    ///
    /// Two hashes at most d <= 15 bits apart differ in at most d of the 16 ranges, so they
    /// agree on one of any d + 1 ranges: each image looks only in its d + 1 smallest buckets.
    /// A crowded bucket (a value every flat, dark strip of sky gives) is then skipped by all
    /// but the images that have little else, and a pair is visited from its smaller slot, in
    /// the first of those buckets the two share.
    pub fn near_pairs(
        &self,
        max_distance: u32,
        part: std::ops::Range<usize>,
        mut visit: impl FnMut(i32, i32, u32),
    ) {
        if !self.is_current() || max_distance > INDEXED_DISTANCE {
            return;
        }
        let probes = max_distance as usize + 1;
        let mut order: [(u32, usize); CHUNKS] = [(0, 0); CHUNKS];
        for slot in part.start..part.end.min(self.ids.len()) {
            let hash = &self.hashes[slot];
            for (n, entry) in order.iter_mut().enumerate() {
                let key = usize::from(hash.chunk(n));
                let table = &self.tables[n];
                *entry = (table.starts[key + 1] - table.starts[key], n);
            }
            order.sort_unstable();
            let probed = &order[..probes];
            for (at, &(_, n)) in probed.iter().enumerate() {
                let key = usize::from(hash.chunk(n));
                let table = &self.tables[n];
                let bucket =
                    &table.slots[table.starts[key] as usize..table.starts[key + 1] as usize];
                // Slots are in order within a bucket: the pairs with a larger slot follow.
                let after = bucket.partition_point(|&other| other as usize <= slot);
                for &other in &bucket[after..] {
                    let other_hash = &self.hashes[other as usize];
                    let seen = probed[..at]
                        .iter()
                        .any(|&(_, m)| other_hash.chunk(m) == hash.chunk(m));
                    if seen {
                        continue;
                    }
                    let distance = hash.distance(other_hash);
                    if distance <= max_distance {
                        visit(self.ids[slot], self.ids[other as usize], distance);
                    }
                }
            }
        }
    }

    /// How many slots `near_pairs` takes parts of.
    pub fn slot_count(&self) -> usize {
        self.ids.len()
    }

    /// Builds the tables again once the slots scanned one by one (new and dead) are an eighth
    /// of the whole, or 4,096: the scan stays well under a millisecond, and the build (16
    /// counting sorts, about 50 ms on a million) comes rarely.
    fn rebuild_when_due(&mut self) {
        let unindexed = self.ids.len() - self.built + self.dead;
        if unindexed > 4096.max(self.ids.len() / 8) {
            self.rebuild();
        }
    }

    /// Drops the dead slots and builds every range's table.
    pub fn rebuild(&mut self) {
        if self.dead > 0 {
            let (ids, hashes): (Vec<i32>, Vec<PerceptualHash>) = self.entries().unzip();
            self.ids = ids;
            self.hashes = hashes;
            self.dead = 0;
            self.reindex_slots();
        }
        self.tables = (0..CHUNKS)
            .map(|n| {
                let mut starts = vec![0u32; KEYS + 1];
                for hash in &self.hashes {
                    starts[usize::from(hash.chunk(n)) + 1] += 1;
                }
                for k in 0..KEYS {
                    starts[k + 1] += starts[k];
                }
                let mut next = starts.clone();
                let mut slots = vec![0u32; self.hashes.len()];
                for (slot, hash) in self.hashes.iter().enumerate() {
                    let key = usize::from(hash.chunk(n));
                    slots[next[key] as usize] = u32::try_from(slot).unwrap_or(u32::MAX);
                    next[key] += 1;
                }
                ChunkTable { starts, slots }
            })
            .collect();
        self.built = self.ids.len();
    }
}

/// Marks a slot whose image was rehashed or removed (image ids are positive).
const DEAD: i32 = -1;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn flip(hash: PerceptualHash, bits: &[u32]) -> PerceptualHash {
        let mut words = hash.0;
        for &bit in bits {
            words[(bit / 64) as usize] ^= 1 << (bit % 64);
        }
        PerceptualHash(words)
    }

    proptest! {
        #![proptest_config(crate::proptest_config::with_cases(64))]
        /// The tables find exactly what a scan of every hash finds, built or not.
        #[test]
        fn the_index_finds_what_a_scan_finds(
            words in proptest::collection::vec(any::<[u64; 4]>(), 1..60),
            flips in proptest::collection::vec(proptest::collection::vec(0u32..256, 0..20), 1..60),
            max_distance in 0u32..20,
            built in any::<bool>(),
        ) {
            let mut index = HashIndex::default();
            let mut all = Vec::new();
            for (i, bits) in flips.iter().enumerate() {
                let base = PerceptualHash(words[i % words.len()]);
                let hash = flip(base, bits);
                index.insert(i as i32 + 1, hash);
                all.push((i as i32 + 1, hash));
            }
            if built {
                index.rebuild();
            }
            let query = PerceptualHash(words[0]);
            let mut expected: Vec<Neighbour> = all
                .iter()
                .map(|(image_id, h)| Neighbour { image_id: *image_id, distance: query.distance(h) })
                .filter(|n| n.distance <= max_distance && n.image_id != 1)
                .collect();
            expected.sort_unstable_by_key(|n| (n.distance, n.image_id));
            prop_assert_eq!(index.within(&query, max_distance, 1), expected);
        }
    }

    #[test]
    fn a_rehashed_image_is_found_by_its_new_hash_only() {
        let a = PerceptualHash([0; 4]);
        let b = PerceptualHash([u64::MAX; 4]);
        let mut index = HashIndex::default();
        index.insert(1, a);
        index.insert(2, a);
        index.rebuild();
        index.insert(2, b);
        assert_eq!(index.len(), 2);
        assert_eq!(index.within(&a, 3, 1), vec![]);
        assert_eq!(
            index.within(&b, 0, 0),
            vec![Neighbour {
                image_id: 2,
                distance: 0
            }]
        );
        index.rebuild();
        assert_eq!(index.entries().count(), 2);
        index.remove(2);
        assert!(index.within(&b, 256, 0).iter().all(|n| n.image_id != 2));
        assert_eq!(index.len(), 1);
    }

    proptest! {
        #![proptest_config(crate::proptest_config::with_cases(64))]
        /// Every pair within the distance is visited exactly once, whatever the parts.
        #[test]
        fn near_pairs_are_the_pairs_a_scan_finds_each_once(
            words in proptest::collection::vec(any::<[u64; 4]>(), 1..8),
            flips in proptest::collection::vec(proptest::collection::vec(0u32..256, 0..12), 2..80),
            max_distance in 0u32..16,
            split in 0usize..80,
        ) {
            let mut index = HashIndex::default();
            let mut all = Vec::new();
            for (i, bits) in flips.iter().enumerate() {
                let hash = flip(PerceptualHash(words[i % words.len()]), bits);
                index.insert(i as i32 + 1, hash);
                all.push((i as i32 + 1, hash));
            }
            index.rebuild();
            let mut expected = Vec::new();
            for (n, (a, ha)) in all.iter().enumerate() {
                for (b, hb) in &all[n + 1..] {
                    if ha.distance(hb) <= max_distance {
                        expected.push((*a, *b, ha.distance(hb)));
                    }
                }
            }
            let mut visited = Vec::new();
            let split = split.min(index.slot_count());
            index.near_pairs(max_distance, 0..split, |a, b, d| visited.push((a.min(b), a.max(b), d)));
            index.near_pairs(max_distance, split..index.slot_count(), |a, b, d| visited.push((a.min(b), a.max(b), d)));
            visited.sort_unstable();
            prop_assert_eq!(visited, expected);
        }
    }
}
