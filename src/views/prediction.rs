//! The image page's "Predicted" line: the KO predictor's output for one image, in words.

use crate::db::models::FailureCategory;
use crate::predict::{KEY, Prediction};

pub struct PredictionView {
    /// The probability of KO, in whole percent.
    pub percent: u32,
    /// Whether it reaches the threshold chosen for 90% precision.
    pub likely_ko: bool,
    /// The most likely failure category's label, and its probability in percent.
    pub category: Option<(String, u32)>,
}

impl PredictionView {
    /// None when the image has no prediction (the predictor is not trained yet).
    pub fn of(
        ml_predictions: Option<&str>,
        categories: &[FailureCategory],
    ) -> Option<PredictionView> {
        let all: serde_json::Value = serde_json::from_str(ml_predictions?).ok()?;
        let prediction: Prediction = serde_json::from_value(all.get(KEY)?.clone()).ok()?;
        let percent = |p: f64| (p * 100.0).round().clamp(0.0, 100.0) as u32;
        let category = prediction
            .category
            .as_ref()
            .zip(prediction.category_probability)
            .map(|(name, p)| {
                let label = categories
                    .iter()
                    .find(|c| &c.name == name)
                    .map_or_else(|| name.clone(), |c| c.label.clone());
                (label, percent(p))
            });
        Some(PredictionView {
            percent: percent(prediction.ko),
            likely_ko: prediction.call == "ko",
            category,
        })
    }
}
