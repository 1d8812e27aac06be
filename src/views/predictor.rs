//! The statistics page's "KO predictor" card: its accuracy on judgements it did not learn
//! from, per category, and how well its probabilities match what people said.

use crate::domain::stats::wilson::Rate;
use crate::predict::evaluate::{Interval, Metrics};
use crate::predict::train::Report;

pub struct RateText {
    pub percent: String,
    pub range: String,
}

fn rate_text(rate: Option<Rate>) -> RateText {
    match rate {
        Some(r) => RateText {
            percent: format!("{:.0}%", r.rate * 100.0),
            range: format!("{:.0}–{:.0}%", r.low * 100.0, r.high * 100.0),
        },
        None => RateText {
            percent: "–".to_owned(),
            range: "nothing to count".to_owned(),
        },
    }
}

fn auc_text(auc: Option<&Interval>) -> String {
    auc.map_or_else(
        || "–".to_owned(),
        |a| format!("{:.2} ({:.2}–{:.2})", a.value, a.low, a.high),
    )
}

pub struct MetricsRow {
    pub name: String,
    pub positives: usize,
    pub recall: RateText,
    pub precision: RateText,
    pub auc: String,
}

fn row(name: String, m: &Metrics) -> MetricsRow {
    MetricsRow {
        name,
        positives: m.positives,
        recall: rate_text(m.recall),
        precision: rate_text(m.precision),
        auc: auc_text(m.auc.as_ref()),
    }
}

/// One tenth of the held-out images: predicted against observed, in percent of the chart.
pub struct CalibrationRow {
    pub images: usize,
    pub predicted: u32,
    pub observed: u32,
    pub low: u32,
    pub high: u32,
}

pub struct PredictorView {
    pub trained: String,
    pub judged: usize,
    pub trained_on: usize,
    pub held_out: usize,
    pub features: usize,
    pub threshold: String,
    pub ko: MetricsRow,
    /// KO first, then each category.
    pub rows: Vec<MetricsRow>,
    pub calibration: Vec<CalibrationRow>,
}

fn percent(p: f64) -> u32 {
    (p * 100.0).round().clamp(0.0, 100.0) as u32
}

impl PredictorView {
    pub fn new(
        report: &Report,
        trained_at: chrono::NaiveDateTime,
        labels: &[(String, String)],
    ) -> PredictorView {
        let label = |name: &str| {
            labels
                .iter()
                .find(|(n, _)| n == name)
                .map_or_else(|| name.to_owned(), |(_, l)| l.clone())
        };
        PredictorView {
            trained: crate::clock::page_text(trained_at, "%Y-%m-%d %H:%M"),
            judged: report.judged,
            trained_on: report.trained_on,
            held_out: report.held_out,
            features: report.features,
            threshold: format!("{:.2}", report.ko.threshold),
            ko: row("KO, any category".to_owned(), &report.ko),
            rows: std::iter::once(row("KO, any category".to_owned(), &report.ko))
                .chain(
                    report
                        .categories
                        .iter()
                        .map(|c| row(label(&c.category), &c.metrics)),
                )
                .collect(),
            calibration: report
                .ko
                .calibration
                .iter()
                .map(|bin| CalibrationRow {
                    images: bin.images,
                    predicted: percent(bin.predicted),
                    observed: bin.observed.map_or(0, |r| percent(r.rate)),
                    low: bin.observed.map_or(0, |r| percent(r.low)),
                    high: bin.observed.map_or(0, |r| percent(r.high)),
                })
                .collect(),
        }
    }
}
