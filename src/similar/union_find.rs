//! Disjoint sets over image ids (positive, dense enough for a table indexed by id): which
//! images are joined into one near-duplicate group so far.

pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    /// Sets for ids `0..=max_id`, each alone.
    pub fn new(max_id: usize) -> UnionFind {
        UnionFind {
            parent: (0..=max_id as u32).collect(),
            size: vec![1; max_id + 1],
        }
    }

    /// The set's representative (path halving keeps chains short).
    pub fn find(&mut self, id: u32) -> u32 {
        let mut at = id;
        while self.parent[at as usize] != at {
            let grand = self.parent[self.parent[at as usize] as usize];
            self.parent[at as usize] = grand;
            at = grand;
        }
        at
    }

    /// Joins two sets by their roots; returns the root of the joined set (the larger one's).
    pub fn join_roots(&mut self, a: u32, b: u32) -> u32 {
        if a == b {
            return a;
        }
        let (big, small) = if self.size[a as usize] >= self.size[b as usize] {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
        big
    }

    pub fn union(&mut self, a: u32, b: u32) -> u32 {
        let (a, b) = (self.find(a), self.find(b));
        self.join_roots(a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_ids_share_a_root_and_others_do_not() {
        let mut sets = UnionFind::new(6);
        sets.union(1, 2);
        sets.union(4, 5);
        sets.union(2, 5);
        assert_eq!(sets.find(1), sets.find(4));
        assert_ne!(sets.find(1), sets.find(3));
        assert_ne!(sets.find(6), sets.find(3));
    }
}
