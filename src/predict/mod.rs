//! The KO predictor: a regularised logistic regression per failure category and for KO as a
//! whole, learnt from the household's verdicts on the facts every image already has
//! (`features`), measured on judgements it was not trained on (`evaluate`), and written to
//! every image's `ml_predictions` under [`KEY`]. See docs/insights.md.

pub mod background;
pub mod evaluate;
pub mod features;
pub mod labels;
pub mod logistic;
pub mod run;
pub mod score;
pub mod train;

use features::Vocabulary;
use logistic::Model;
use serde::{Deserialize, Serialize};

/// The key in `ml_predictions`: the owner's own classifiers use other keys beside it.
pub const KEY: &str = "sdreview_ko";
/// The feature set and label rule; a model made with another version is trained again.
pub const VERSION: i32 = 1;

/// A trained predictor: the features it knows, the KO model and one model per category.
#[derive(Debug, Clone)]
pub struct Predictor {
    pub vocabulary: Vocabulary,
    pub ko: Model,
    /// The KO threshold chosen on the training judgements (see `evaluate`).
    pub threshold: f64,
    pub categories: Vec<(String, Model)>,
}

/// What is stored per image under [`KEY`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub model: String,
    pub version: i32,
    /// The run that made it (`predictor_runs.id`).
    pub run: i32,
    /// The probability that people would call it KO.
    pub ko: f64,
    /// "ko" when `ko` reaches the run's threshold, else "ok".
    pub call: String,
    /// The most likely failure category, and its probability.
    pub category: Option<String>,
    pub category_probability: Option<f64>,
}

/// The stored form of a predictor: names and weights, as JSON.
#[derive(Serialize, Deserialize)]
struct StoredPredictor {
    names: Vec<String>,
    ko: Model,
    threshold: f64,
    categories: Vec<(String, Model)>,
}

impl Predictor {
    pub fn predict(&self, names: &[String], run: i32) -> Prediction {
        let row = self.vocabulary.ids(names);
        let ko = self.ko.probability(&row);
        let category = self
            .categories
            .iter()
            .map(|(name, model)| (name, model.probability(&row)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        Prediction {
            model: KEY.to_owned(),
            version: VERSION,
            run,
            ko: round(ko),
            call: if ko >= self.threshold { "ko" } else { "ok" }.to_owned(),
            category: category.map(|(name, _)| name.clone()),
            category_probability: category.map(|(_, p)| round(p)),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&StoredPredictor {
            names: self.vocabulary.names.clone(),
            ko: self.ko.clone(),
            threshold: self.threshold,
            categories: self.categories.clone(),
        })
        .unwrap_or_default()
    }

    pub fn from_json(json: &str) -> Option<Predictor> {
        let stored: StoredPredictor = serde_json::from_str(json).ok()?;
        Some(Predictor {
            vocabulary: Vocabulary::from_names(stored.names),
            ko: stored.ko,
            threshold: stored.threshold,
            categories: stored.categories,
        })
    }

    /// The features that push KO up most, with their weights: for the recommendations.
    pub fn weight_of(&self, name: &str) -> Option<f64> {
        let id = *self.vocabulary.ids(&[name.to_owned()]).first()?;
        self.ko.weights.get(id as usize).copied()
    }
}

/// Four decimals: what a person reads, and a tenth of the JSON.
fn round(p: f64) -> f64 {
    (p * 10_000.0).round() / 10_000.0
}
