//! Which images an export writes first. Readers guess a column's type from the first rows and
//! keep that guess: Polars reads 100 rows of JSONL or CSV (a column still empty there is typed
//! null, and a later value fails the read or is read as text; a CSV column of whole numbers
//! there fails on a later `7.5` or word; a nested field first seen later is dropped), DuckDB
//! samples its first rows. So an export starts with the fewest images that between them fill
//! every column filled among the candidates, with each shape of its texts and each field and
//! type of the predictions, then goes on with the rest in id order.
//!
//! The candidates come from SQL (`db::export_keys`): the first image of each session and of
//! each fact. Whether a candidate fills a column is read from the very cells the export
//! writes, so the two cannot disagree.

use std::collections::{BTreeSet, HashMap};

use diesel::SqliteConnection;
use serde_json::Value;

use super::columns::{Cell, Layout};
use crate::db::caller::Caller;
use crate::db::ids::ImageId;
use crate::db::image_records::{SessionCache, these};
use crate::domain::text_shape::{self, Shape};
use crate::error::AppResult;

/// Candidates read per query, like an export's batches.
const CHUNK: usize = 2_000;

/// What a reader must see once: a column filled, each shape of a text column's values, a leaf
/// of a JSON column with its type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Sight {
    Column(usize),
    Shape(usize, Shape),
    Leaf(usize, String),
}

/// Each leaf of a JSON value with its type, array positions left out (`.a[].b number`).
fn leaves(value: &Value, path: &mut String, out: &mut Vec<String>) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (key, inner) in map {
                let len = path.len();
                path.push('.');
                path.push_str(key);
                leaves(inner, path, out);
                path.truncate(len);
            }
        }
        Value::Array(items) => {
            let len = path.len();
            path.push_str("[]");
            for inner in items {
                leaves(inner, path, out);
            }
            path.truncate(len);
        }
        Value::Bool(_) => out.push(format!("{path} bool")),
        Value::String(_) => out.push(format!("{path} string")),
        Value::Number(n) if n.is_i64() || n.is_u64() => out.push(format!("{path} integer")),
        Value::Number(_) => out.push(format!("{path} real")),
    }
}

fn sights(cells: &[Cell<'_>]) -> Vec<Sight> {
    let mut out = Vec::new();
    for (column, cell) in cells.iter().enumerate() {
        if !cell.shows_type() {
            continue;
        }
        out.push(Sight::Column(column));
        match cell {
            Cell::Text(text) => out.push(Sight::Shape(column, text_shape::of(text))),
            Cell::Json(value) => {
                let mut found = Vec::new();
                leaves(value, &mut String::new(), &mut found);
                out.extend(found.into_iter().map(|leaf| Sight::Leaf(column, leaf)));
            }
            _ => {}
        }
    }
    out
}

/// The candidates to write first, in id order: chosen greedily, each the one that shows the
/// most not yet shown, until every sight of every candidate is shown.
pub fn choose(
    conn: &mut SqliteConnection,
    caller: Caller,
    layout: &Layout,
    candidates: &BTreeSet<ImageId>,
) -> AppResult<Vec<ImageId>> {
    let ids: Vec<ImageId> = candidates.iter().copied().collect();
    let mut numbers: HashMap<Sight, u32> = HashMap::new();
    let mut shows: Vec<(ImageId, Vec<u32>)> = Vec::with_capacity(ids.len());
    let mut sessions = SessionCache::default();
    for chunk in ids.chunks(CHUNK) {
        for record in these(conn, caller, chunk, &mut sessions)? {
            let mut seen: Vec<u32> = sights(&layout.cells(&record))
                .into_iter()
                .map(|sight| {
                    let next = numbers.len() as u32;
                    *numbers.entry(sight).or_insert(next)
                })
                .collect();
            seen.sort_unstable();
            seen.dedup();
            shows.push((record.id, seen));
        }
    }
    let mut shown = vec![false; numbers.len()];
    let mut chosen = Vec::new();
    loop {
        let best = shows
            .iter()
            .enumerate()
            .map(|(at, (id, seen))| {
                let new = seen.iter().filter(|&&s| !shown[s as usize]).count();
                (new, std::cmp::Reverse(*id), at)
            })
            // The most new sights; among equals the lowest id.
            .max();
        match best {
            Some((new, _, at)) if new > 0 => {
                let (id, seen) = shows.swap_remove(at);
                for &s in &seen {
                    shown[s as usize] = true;
                }
                chosen.push(id);
            }
            _ => break,
        }
    }
    chosen.sort_unstable();
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_leaf_is_named_by_its_path_and_type_whatever_its_place_in_an_array() {
        let value: Value =
            serde_json::from_str(r#"{"a": {"b": 1, "c": [0.5, "x"]}, "d": null}"#).unwrap();
        let mut found = Vec::new();
        leaves(&value, &mut String::new(), &mut found);
        assert_eq!(found, [".a.b integer", ".a.c[] real", ".a.c[] string"]);
    }
}
