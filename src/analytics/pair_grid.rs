//! The value × model pairs of a report as a grid: a row per placeholder value, a column per
//! model, each cell the tested pair of that value with that model (empty when fewer than
//! `min_occurrences` judged images carry both). The page draws it; its CSV is the same grid.

use std::collections::{BTreeMap, BTreeSet};

use super::report::{FailingPair, PairPart, Report};

pub struct GridRow {
    pub placeholder: String,
    pub value: String,
    /// One per model, in `PairGrid::models` order: an index into `tested_pairs`.
    pub cells: Vec<Option<usize>>,
}

pub struct PairGrid {
    pub models: Vec<String>,
    pub rows: Vec<GridRow>,
}

impl PairGrid {
    pub fn new(report: &Report) -> PairGrid {
        let pairs = &report.failing_pairs.tested_pairs;
        let mut models = BTreeSet::new();
        let mut cells: BTreeMap<(&str, &str), BTreeMap<&str, usize>> = BTreeMap::new();
        for (at, pair) in pairs.iter().enumerate() {
            if let Some((placeholder, value, model)) = value_and_model(pair) {
                models.insert(model);
                cells
                    .entry((placeholder, value))
                    .or_default()
                    .insert(model, at);
            }
        }
        let models: Vec<&str> = models.into_iter().collect();
        PairGrid {
            rows: cells
                .into_iter()
                .map(|((placeholder, value), by_model)| GridRow {
                    placeholder: placeholder.to_owned(),
                    value: value.to_owned(),
                    cells: models.iter().map(|m| by_model.get(m).copied()).collect(),
                })
                .collect(),
            models: models.into_iter().map(str::to_owned).collect(),
        }
    }
}

fn value_and_model(pair: &FailingPair) -> Option<(&str, &str, &str)> {
    match (&pair.first, &pair.second) {
        (PairPart::Value { placeholder, value }, PairPart::Model { model }) => {
            Some((placeholder, value, model))
        }
        _ => None,
    }
}
