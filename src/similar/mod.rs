//! Near-duplicates: a perceptual hash of every image, computed in the background after an
//! import (`pass`), held in memory for searching by Hamming distance (`index`), and the
//! owner's threshold (`threshold`). See docs/insights.md.

pub mod groups;
pub mod hash;
pub mod index;
pub mod near;
pub mod pass;
pub mod regroup;
pub mod threshold;
mod union_find;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use index::{HashIndex, Neighbour};

/// What the admin page and `sdreview hash` say about the pass.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Progress {
    /// Images with an up-to-date hash or failure, of `total` that should have one.
    pub done: i64,
    pub total: i64,
    /// Images whose file could not be decoded (kept out of every group).
    pub failed: i64,
    /// The stored hashes are read into memory at start; until then nothing is found.
    pub loaded: bool,
    /// The pass is hashing now (rather than waiting for new images).
    pub running: bool,
    /// Hashes per second over the pass's last batch.
    pub per_second: f64,
    /// Why the last batch failed, if it did (the pass tries again later).
    pub last_error: Option<String>,
}

/// The near-duplicate search every handler reaches, and the pass's state.
#[derive(Default)]
pub struct SimilarImages {
    index: RwLock<HashIndex>,
    progress: Mutex<Progress>,
    /// Wakes the pass early, or stops it.
    pub signal: Arc<crate::background::Signal>,
    /// Set when the groups may have changed (hashes stored, the threshold changed, a pair
    /// marked): the pass recomputes them when it next wakes.
    groups_due: AtomicBool,
}

impl SimilarImages {
    /// The images whose hash is at most `max_distance` from `image_id`'s, nearest first; None
    /// when that image has no hash yet.
    pub fn near(&self, image_id: i32, max_distance: u32) -> Option<Vec<Neighbour>> {
        let index = self.index.read().unwrap_or_else(PoisonError::into_inner);
        let hash = index.get(image_id)?;
        Some(index.within(&hash, max_distance, image_id))
    }

    pub fn progress(&self) -> Progress {
        self.progress
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Asks the pass to recompute the near-duplicate groups (and wakes it to do so).
    pub fn regroup_soon(&self) {
        self.groups_due.store(true, Ordering::Relaxed);
        self.signal.wake();
    }

    /// Notes that the groups may have changed, without waking the pass (it is the caller).
    fn groups_changed(&self) {
        self.groups_due.store(true, Ordering::Relaxed);
    }

    /// Whether groups were asked for since the last call (which takes the request).
    fn take_groups_due(&self) -> bool {
        self.groups_due.swap(false, Ordering::Relaxed)
    }

    fn update_progress(&self, change: impl FnOnce(&mut Progress)) {
        change(&mut self.progress.lock().unwrap_or_else(PoisonError::into_inner));
    }

    fn read_index<T>(&self, read: impl FnOnce(&HashIndex) -> T) -> T {
        read(&self.index.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn with_index<T>(&self, change: impl FnOnce(&mut HashIndex) -> T) -> T {
        change(&mut self.index.write().unwrap_or_else(PoisonError::into_inner))
    }
}
