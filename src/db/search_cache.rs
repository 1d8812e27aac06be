//! The ids a plain search matches, kept for a little while: paging, scrolling on, and previous /
//! next on the image page all ask for the same search again, and computing it reads thousands
//! of index entries. An entry lasts 30 s, and any change to which images are visible (a delete,
//! a restore, an import) drops them all at once. The words shown around each match (FTS5
//! snippets) are kept with the search's ids, under the same rules: a page of results asked
//! again finds them made.

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
    /// By prompt text id; None for a text the search does not match.
    snippets: HashMap<i32, Option<String>>,
}

/// Snippets kept per search at most: past that they start again.
const MAX_SNIPPETS: usize = 10_000;

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
            snippets: HashMap::new(),
        },
    );
    Ok(ids)
}

/// The snippets of `texts` for the search `key` (as given to `get_or_compute`): those kept
/// with it, and those `compute` makes for the rest (then kept, while the search is). Only the
/// texts the search matches are in the answer.
pub fn snippets_or_compute<E>(
    key: &str,
    texts: &[i32],
    compute: impl FnOnce(&[i32]) -> Result<HashMap<i32, String>, E>,
) -> Result<HashMap<i32, String>, E> {
    let generation = GENERATION.load(Ordering::SeqCst);
    let mut found = HashMap::new();
    let mut missing = Vec::new();
    {
        let entries = ENTRIES.lock().unwrap_or_else(PoisonError::into_inner);
        let kept = entries
            .as_ref()
            .and_then(|map| map.get(key))
            .filter(|entry| entry.generation == generation && entry.made.elapsed() < TTL)
            .map(|entry| &entry.snippets);
        for &text in texts {
            match kept.and_then(|snippets| snippets.get(&text)) {
                Some(Some(snippet)) => {
                    found.insert(text, snippet.clone());
                }
                Some(None) => {}
                None => missing.push(text),
            }
        }
    }
    if missing.is_empty() {
        return Ok(found);
    }
    let made = compute(&missing)?;
    let mut entries = ENTRIES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(entry) = entries
        .as_mut()
        .and_then(|map| map.get_mut(key))
        .filter(|entry| entry.generation == generation)
    {
        if entry.snippets.len() + missing.len() > MAX_SNIPPETS {
            entry.snippets.clear();
        }
        for text in &missing {
            entry.snippets.insert(*text, made.get(text).cloned());
        }
    }
    found.extend(made);
    Ok(found)
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

    #[test]
    fn snippets_are_made_once_for_each_text_of_a_kept_search() {
        // Other tests of this binary may drop every kept search at any moment (`invalidate`):
        // the run that saw no such drop is the one that counts.
        for _ in 0..10 {
            let before = GENERATION.load(Ordering::SeqCst);
            let asked = ask_twice();
            if GENERATION.load(Ordering::SeqCst) == before {
                assert_eq!(asked, vec![vec![3, 4, 5], vec![6]]);
                return;
            }
        }
        panic!("every run saw the cache dropped");
    }

    fn ask_twice() -> Vec<Vec<i32>> {
        let key = "\"unit-test-snippets\"";
        get_or_compute::<()>(key, || Ok(vec![ImageId(1), ImageId(2)])).unwrap();
        let mut asked: Vec<Vec<i32>> = Vec::new();
        let mut get = |texts: &[i32]| {
            snippets_or_compute::<()>(key, texts, |missing| {
                asked.push(missing.to_vec());
                // Text 5 does not match the search: it has no snippet.
                Ok(missing
                    .iter()
                    .filter(|&&t| t != 5)
                    .map(|&t| (t, format!("words of {t}")))
                    .collect())
            })
            .unwrap()
        };
        let first = get(&[3, 4, 5]);
        let again = get(&[3, 4, 5, 6]);
        assert_eq!(first.len(), 2);
        assert_eq!(again.get(&6).map(String::as_str), Some("words of 6"));
        assert_eq!(again.get(&3).map(String::as_str), Some("words of 3"));
        asked
    }
}
