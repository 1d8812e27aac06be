//! Recomputes the near-duplicate groups and stores what changed: after the pass stores
//! hashes, after the owner changes the threshold, after a pair is marked "not duplicates"
//! (each asks with `SimilarImages::regroup_soon`, and the pass does it on its own thread),
//! and at the end of `sdreview hash`.

use std::time::Instant;

use diesel::SqliteConnection;

use super::index::HashIndex;
use super::{SimilarImages, groups, threshold};
use crate::db::{image_hashes, near_groups, not_duplicates};
use crate::error::{AppError, AppResult};

/// What a recomputation found.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Regrouped {
    /// Images in a group of two or more.
    pub images: usize,
    pub groups: usize,
    /// Rows written and removed (0 and 0 when nothing changed).
    pub replaced: near_groups::Replaced,
    pub seconds: f64,
}

/// Groups over the index in memory (the server's, whose hashes the pass keeps current).
pub fn regroup(
    conn: &mut SqliteConnection,
    similar: &SimilarImages,
    parallel: bool,
) -> AppResult<Regrouped> {
    let started = Instant::now();
    let max_distance = threshold::current(conn)?;
    let apart = not_duplicates::all(conn)?;
    similar.with_index(|index| {
        if !index.is_current() {
            index.rebuild();
        }
    });
    let wanted = similar.read_index(|index| groups::compute(index, max_distance, &apart, parallel));
    store(conn, wanted, started)
}

/// Groups over every hash stored (`sdreview hash`, which keeps no index of its own).
pub fn regroup_stored(conn: &mut SqliteConnection, parallel: bool) -> AppResult<Regrouped> {
    let started = Instant::now();
    let max_distance = threshold::current(conn)?;
    let apart = not_duplicates::all(conn)?;
    let mut index = HashIndex::default();
    for (image_id, hash) in image_hashes::all(conn)? {
        index.insert(image_id, hash);
    }
    index.rebuild();
    store(
        conn,
        groups::compute(&index, max_distance, &apart, parallel),
        started,
    )
}

fn store(
    conn: &mut SqliteConnection,
    wanted: Option<Vec<(i32, i32)>>,
    started: Instant,
) -> AppResult<Regrouped> {
    let wanted = wanted.ok_or_else(|| {
        AppError::Task("the near-duplicate index changed while groups were computed".into())
    })?;
    let current = near_groups::all(conn)?;
    let replaced = near_groups::replace(conn, &current, &wanted)?;
    let groups = wanted
        .iter()
        .filter(|(image, group)| image == group)
        .count();
    Ok(Regrouped {
        images: wanted.len(),
        groups,
        replaced,
        seconds: started.elapsed().as_secs_f64(),
    })
}
