//! How many sessions a filter keeps, remembered under the database's `sessions_version`
//! (migration `count_session_changes`): counting 30,000 sessions was a third of the sessions
//! page's time, and the total changes only when a session or its tags do, which moves that
//! number whoever writes. A filter that reads the viewer's own ratings ("not rated by me") is
//! never remembered: ratings do not move the number.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use diesel::prelude::*;

use crate::domain::session_filter::{SessionFilter, Sort};

/// Totals kept at most; past that the map starts again (a filter is a few dozen bytes).
const MAX_ENTRIES: usize = 512;

#[derive(Hash, PartialEq, Eq)]
struct Key {
    /// Tells databases apart: one process may serve several (the tests do).
    token: i64,
    version: i64,
    /// The filter without its order and page, which do not change the total.
    filter: String,
}

static TOTALS: Mutex<Option<HashMap<Key, i64>>> = Mutex::new(None);

/// The remembered total for `filter`, or what `count` returns (then remembered).
pub fn get_or_count(
    conn: &mut SqliteConnection,
    filter: &SessionFilter,
    count: impl FnOnce(&mut SqliteConnection) -> QueryResult<i64>,
) -> QueryResult<i64> {
    if filter.unrated {
        return count(conn);
    }
    let (token, version) = super::database_token::token_and_sessions_version(conn)?;
    let key = Key {
        token,
        version,
        filter: format!(
            "{:?}",
            SessionFilter {
                sort: Sort::default(),
                ascending: false,
                page: 1,
                per_page: 0,
                ..filter.clone()
            }
        ),
    };
    let remembered = |key: &Key| {
        TOTALS
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .and_then(|map| map.get(key).copied())
    };
    if let Some(total) = remembered(&key) {
        return Ok(total);
    }
    let total = count(conn)?;
    let mut totals = TOTALS.lock().unwrap_or_else(PoisonError::into_inner);
    let map = totals.get_or_insert_with(HashMap::new);
    map.retain(|k, _| !(k.token == token && k.version != version));
    if map.len() >= MAX_ENTRIES {
        map.clear();
    }
    map.insert(key, total);
    Ok(total)
}
