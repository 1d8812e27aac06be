//! The ids a plain search matches, kept for a little while: paging, scrolling on, and previous /
//! next on the image page all ask for the same search again, and computing it reads thousands
//! of index entries. An entry lasts 30 s, and any change to which images are visible (a delete,
//! a restore, an import) drops them all at once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::ids::ImageId;

const TTL: Duration = Duration::from_secs(30);
const MAX_ENTRIES: usize = 64;

static GENERATION: AtomicU64 = AtomicU64::new(0);
static ENTRIES: Mutex<Option<HashMap<String, Entry>>> = Mutex::new(None);
/// Held while a search is computed, so that many requests missing the cache at once (when an
/// entry expires under load) compute it once, not once each.
static COMPUTING: Mutex<()> = Mutex::new(());

struct Entry {
    made: Instant,
    generation: u64,
    ids: Arc<Vec<ImageId>>,
}

/// Call after anything that changes which images a search may show.
pub fn invalidate() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

fn cached(fts: &str, generation: u64) -> Option<Arc<Vec<ImageId>>> {
    let entries = ENTRIES.lock().unwrap_or_else(PoisonError::into_inner);
    entries
        .as_ref()
        .and_then(|map| map.get(fts))
        .filter(|entry| entry.generation == generation && entry.made.elapsed() < TTL)
        .map(|entry| entry.ids.clone())
}

/// The cached ids for `fts`, or those `compute` returns (then cached).
pub fn get_or_compute<E>(
    fts: &str,
    compute: impl FnOnce() -> Result<Vec<ImageId>, E>,
) -> Result<Arc<Vec<ImageId>>, E> {
    let generation = GENERATION.load(Ordering::SeqCst);
    if let Some(ids) = cached(fts, generation) {
        return Ok(ids);
    }
    let _computing = COMPUTING.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(ids) = cached(fts, generation) {
        return Ok(ids);
    }
    let ids = Arc::new(compute()?);
    let mut entries = ENTRIES.lock().unwrap_or_else(PoisonError::into_inner);
    let map = entries.get_or_insert_with(HashMap::new);
    map.retain(|_, e| e.generation == generation && e.made.elapsed() < TTL);
    if map.len() >= MAX_ENTRIES
        && let Some(oldest) = map
            .iter()
            .min_by_key(|(_, e)| e.made)
            .map(|(k, _)| k.clone())
    {
        map.remove(&oldest);
    }
    map.insert(
        fts.to_owned(),
        Entry {
            made: Instant::now(),
            generation,
            ids: ids.clone(),
        },
    );
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_computed_once_until_the_library_changes() {
        let mut runs = 0;
        let get = |runs: &mut i32| {
            get_or_compute::<()>("\"unit-test-term\"", || {
                *runs += 1;
                Ok(vec![ImageId(1)])
            })
            .unwrap()
        };
        get(&mut runs);
        get(&mut runs);
        assert_eq!(runs, 1);
        invalidate();
        get(&mut runs);
        assert_eq!(runs, 2);
    }
}
