//! Training: the judged images split by time (the oldest 80% of judgements to learn from, the
//! newest 20% to measure on), one model per target fitted on the first part and measured on
//! the second, then every model fitted again on all judgements for scoring. The figures shown
//! are the held-out ones; nothing is ever measured on the judgements a model learnt from.

use std::collections::HashMap;
use std::time::Instant;

use diesel::SqliteConnection;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::evaluate::{self, Metrics, TARGET_PRECISION};
use super::features::{FeatureReader, Vocabulary};
use super::labels::{self, Judged};
use super::logistic::{self, Model, Samples};
use super::{KEY, Predictor, VERSION};
use crate::error::{AppError, AppResult};

/// Fewer judged images than this teach nothing worth showing.
pub const MIN_JUDGED: usize = 40;
/// A feature seen on fewer training images is left out.
pub const MIN_IMAGES_PER_FEATURE: usize = 3;
/// A category with fewer KO images filed under it gets no model of its own.
pub const MIN_CATEGORY_IMAGES: usize = 5;
/// The newest share of the judged images, held out to measure on.
pub const HELD_OUT_PERCENT: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CategoryMetrics {
    pub category: String,
    pub metrics: Metrics,
}

/// One training's measured accuracy: what the statistics page and the API show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = PredictorReport)]
pub struct Report {
    pub model: String,
    pub version: i32,
    /// The images judged when it was trained, the ones it learnt from for these figures, and
    /// the newer ones it was measured on.
    pub judged: usize,
    pub trained_on: usize,
    pub held_out: usize,
    /// How the judged images were split, in words.
    pub split: String,
    /// Features it knows (model, sampler, placeholder values, prompt words...).
    pub features: usize,
    /// KO as a whole, on the held-out judgements.
    pub ko: Metrics,
    /// Each failure category with enough KO images, on the same held-out judgements.
    pub categories: Vec<CategoryMetrics>,
    /// Seconds the training took (both fits, every target).
    pub seconds: f64,
}

pub enum Outcome {
    Trained(Box<Predictor>, Box<Report>),
    /// Why nothing was trained, in words.
    NotEnough(String),
}

/// What each model learns to tell: KO, then each category.
struct Targets {
    names: Vec<String>,
    labels: Vec<Vec<bool>>,
}

fn targets(judged: &[Judged], filed: &HashMap<i32, Vec<String>>) -> Targets {
    let mut names = vec!["ko".to_owned()];
    let mut labels = vec![judged.iter().map(|j| j.ko).collect::<Vec<_>>()];
    let mut categories: Vec<&String> = filed.values().flatten().collect();
    categories.sort();
    categories.dedup();
    for category in categories {
        let label: Vec<bool> = judged
            .iter()
            .map(|j| filed.get(&j.image_id).is_some_and(|c| c.contains(category)))
            .collect();
        if label.iter().filter(|l| **l).count() >= MIN_CATEGORY_IMAGES {
            names.push(category.clone());
            labels.push(label);
        }
    }
    Targets { names, labels }
}

fn fit_each(
    rows: &[Vec<u32>],
    features: usize,
    labels: &[Vec<bool>],
) -> AppResult<Vec<Option<Model>>> {
    let rows: Vec<&[u32]> = rows.iter().map(Vec::as_slice).collect();
    labels
        .par_iter()
        .map(|labels| {
            logistic::fit(&Samples {
                rows: &rows,
                labels,
                features,
            })
        })
        .collect::<Result<Vec<_>, String>>()
        .map_err(AppError::Task)
}

fn scored(model: &Model, rows: &[Vec<u32>], labels: &[bool]) -> Vec<(f64, bool)> {
    rows.iter()
        .zip(labels)
        .map(|(row, label)| (model.probability(row), *label))
        .collect()
}

pub fn train(conn: &mut SqliteConnection) -> AppResult<Outcome> {
    let started = Instant::now();
    let judged = labels::judged(conn)?;
    let kos = judged.iter().filter(|j| j.ko).count();
    if judged.len() < MIN_JUDGED || kos == 0 || kos == judged.len() {
        return Ok(Outcome::NotEnough(format!(
            "the predictor learns from judged images, OK and KO both: {} are judged ({kos} KO); \
             it needs at least {MIN_JUDGED} with some of each",
            judged.len()
        )));
    }
    let filed = labels::categories(conn)?;
    let mut reader = FeatureReader::new(conn)?;
    let mut names_of: HashMap<i32, Vec<String>> = HashMap::with_capacity(judged.len());
    let ids: Vec<i32> = judged.iter().map(|j| j.image_id).collect();
    for chunk in ids.chunks(2000) {
        let rows = reader.rows_of(conn, chunk)?;
        names_of.extend(rows.ids.into_iter().zip(rows.names));
    }
    let names: Vec<Vec<String>> = judged
        .iter()
        .map(|j| names_of.remove(&j.image_id).unwrap_or_default())
        .collect();
    let targets = targets(&judged, &filed);

    // Measured: learnt from the older judgements, tested on the newer.
    let split = judged.len() * (100 - HELD_OUT_PERCENT) / 100;
    let vocabulary = Vocabulary::build(&names[..split], MIN_IMAGES_PER_FEATURE);
    let rows: Vec<Vec<u32>> = names.iter().map(|n| vocabulary.ids(n)).collect();
    let (train_rows, test_rows) = rows.split_at(split);
    let train_labels: Vec<Vec<bool>> = targets.labels.iter().map(|l| l[..split].to_vec()).collect();
    let models = fit_each(train_rows, vocabulary.len(), &train_labels)?;
    let mut measured = Vec::new();
    for ((name, labels), model) in targets.names.iter().zip(&targets.labels).zip(&models) {
        let Some(model) = model else { continue };
        let threshold = evaluate::threshold_for_precision(
            &scored(model, train_rows, &labels[..split]),
            TARGET_PRECISION,
        );
        let metrics = evaluate::metrics(&scored(model, test_rows, &labels[split..]), threshold);
        measured.push((name.clone(), metrics));
    }
    let Some(ko_position) = measured.iter().position(|(name, _)| name == "ko") else {
        return Ok(Outcome::NotEnough(
            "the older judgements hold only one kind of verdict: KO or OK, not both".to_owned(),
        ));
    };
    let (_, ko_metrics) = measured.remove(ko_position);

    // Used: every judgement.
    let vocabulary = Vocabulary::build(&names, MIN_IMAGES_PER_FEATURE);
    let rows: Vec<Vec<u32>> = names.iter().map(|n| vocabulary.ids(n)).collect();
    let models = fit_each(&rows, vocabulary.len(), &targets.labels)?;
    let mut fitted = targets.names.iter().zip(models);
    let Some((_, Some(ko))) = fitted.next() else {
        return Ok(Outcome::NotEnough(
            "the KO model could not be fitted".to_owned(),
        ));
    };
    let categories: Vec<(String, Model)> = fitted
        .filter_map(|(name, model)| model.map(|m| (name.clone(), m)))
        .collect();
    let predictor = Predictor {
        threshold: ko_metrics.threshold,
        vocabulary,
        ko,
        categories,
    };
    let report = Report {
        model: KEY.to_owned(),
        version: VERSION,
        judged: judged.len(),
        trained_on: split,
        held_out: judged.len() - split,
        split: format!(
            "by time: learnt from the {} images judged first, measured on the {} judged last",
            split,
            judged.len() - split
        ),
        features: predictor.vocabulary.len(),
        ko: ko_metrics,
        categories: measured
            .into_iter()
            .map(|(category, metrics)| CategoryMetrics { category, metrics })
            .collect(),
        seconds: started.elapsed().as_secs_f64(),
    };
    Ok(Outcome::Trained(Box::new(predictor), Box::new(report)))
}
