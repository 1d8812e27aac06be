//! How good the predictor is, measured only on judgements it was not trained on: precision and
//! recall with their 95% Wilson intervals, the area under the ROC curve with its 95% interval
//! (Hanley and McNeil, 1982), and a calibration table (predicted against observed, by tenths of
//! the held-out images ordered by prediction).

use serde::{Deserialize, Serialize};

use crate::domain::stats::wilson::{Rate, wilson};

/// The precision the owner's phase-3 target is read at: "classifies 90% of KO images
/// correctly" means little without saying how many false alarms come with it.
pub const TARGET_PRECISION: f64 = 0.9;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Interval {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// Predicted against observed for one tenth of the held-out images.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CalibrationBin {
    pub images: usize,
    /// The mean predicted probability in the bin.
    pub predicted: f64,
    /// The share that people judged positive, with its interval.
    #[schema(value_type = Object)]
    pub observed: Option<Rate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Metrics {
    /// Held-out images, and how many of them people judged positive.
    pub held_out: usize,
    pub positives: usize,
    /// The probability above which an image is called positive, chosen on the training
    /// judgements alone as the lowest giving `TARGET_PRECISION` there (0.5 when none does).
    pub threshold: f64,
    /// Of the held-out images called positive, the share people judged positive.
    #[schema(value_type = Object)]
    pub precision: Option<Rate>,
    /// Of the held-out images people judged positive, the share it called positive.
    #[schema(value_type = Object)]
    pub recall: Option<Rate>,
    /// The chance that a positive image gets a higher probability than a negative one.
    pub auc: Option<Interval>,
    pub calibration: Vec<CalibrationBin>,
}

/// The lowest threshold whose precision on `scored` (the training judgements) reaches the
/// target, so the held-out figures are read at a threshold they did not choose.
pub fn threshold_for_precision(scored: &[(f64, bool)], target: f64) -> f64 {
    let mut sorted: Vec<(f64, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut called, mut right) = (0usize, 0usize);
    let mut best = None;
    let mut i = 0;
    while i < sorted.len() {
        // Ties share one threshold: take them all at once.
        let score = sorted[i].0;
        while i < sorted.len() && sorted[i].0 == score {
            called += 1;
            right += usize::from(sorted[i].1);
            i += 1;
        }
        if right as f64 >= target * called as f64 && right > 0 {
            best = Some(score);
        }
    }
    best.unwrap_or(0.5)
}

/// The metrics of predictions `scored` (probability, judged positive) at `threshold`.
pub fn metrics(scored: &[(f64, bool)], threshold: f64) -> Metrics {
    let positives = scored.iter().filter(|(_, p)| *p).count();
    let called: Vec<&(f64, bool)> = scored.iter().filter(|(s, _)| *s >= threshold).collect();
    let right = called.iter().filter(|(_, p)| *p).count();
    Metrics {
        held_out: scored.len(),
        positives,
        threshold,
        precision: wilson(right as u64, called.len() as u64),
        recall: wilson(right as u64, positives as u64),
        auc: auc(scored),
        calibration: calibration(scored),
    }
}

/// Mann-Whitney's U over positives and negatives (ties count a half), with Hanley and
/// McNeil's standard error.
fn auc(scored: &[(f64, bool)]) -> Option<Interval> {
    let mut sorted: Vec<(f64, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let positives = sorted.iter().filter(|(_, p)| *p).count() as f64;
    let negatives = sorted.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return None;
    }
    // The sum of the positives' ranks, ties given their mean rank.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            j += 1;
        }
        let mean_rank = (i + 1 + j) as f64 / 2.0;
        rank_sum += sorted[i..j].iter().filter(|(_, p)| *p).count() as f64 * mean_rank;
        i = j;
    }
    let a = (rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives);
    let q1 = a / (2.0 - a);
    let q2 = 2.0 * a * a / (1.0 + a);
    let variance =
        (a * (1.0 - a) + (positives - 1.0) * (q1 - a * a) + (negatives - 1.0) * (q2 - a * a))
            / (positives * negatives);
    let half = 1.959_963_984_540_054 * variance.max(0.0).sqrt();
    Some(Interval {
        value: a,
        low: (a - half).max(0.0),
        high: (a + half).min(1.0),
    })
}

fn calibration(scored: &[(f64, bool)]) -> Vec<CalibrationBin> {
    let mut sorted: Vec<(f64, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = sorted.len();
    (0..10)
        .filter_map(|bin| {
            let part = &sorted[n * bin / 10..n * (bin + 1) / 10];
            if part.is_empty() {
                return None;
            }
            let positives = part.iter().filter(|(_, p)| *p).count();
            Some(CalibrationBin {
                images: part.len(),
                predicted: part.iter().map(|(s, _)| s).sum::<f64>() / part.len() as f64,
                observed: wilson(positives as u64, part.len() as u64),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_perfect_ranking_has_an_auc_of_one_and_a_coin_has_a_half() {
        let perfect: Vec<(f64, bool)> = (0..100).map(|i| (i as f64 / 100.0, i >= 50)).collect();
        assert_eq!(auc(&perfect).unwrap().value, 1.0);
        let coin: Vec<(f64, bool)> = (0..100).map(|i| (0.5, i % 2 == 0)).collect();
        let half = auc(&coin).unwrap();
        assert!((half.value - 0.5).abs() < 1e-12 && half.low < 0.5 && half.high > 0.5);
    }

    #[test]
    fn precision_and_recall_count_what_was_called_at_the_threshold() {
        // Called: 0.9 (right), 0.8 (wrong), 0.7 (right); missed: 0.2 (positive).
        let scored = [
            (0.9, true),
            (0.8, false),
            (0.7, true),
            (0.2, true),
            (0.1, false),
        ];
        let m = metrics(&scored, 0.7);
        assert_eq!(m.precision.unwrap().rate, 2.0 / 3.0);
        assert_eq!(m.recall.unwrap().rate, 2.0 / 3.0);
        assert_eq!(m.calibration.iter().map(|b| b.images).sum::<usize>(), 5);
    }

    #[test]
    fn the_threshold_is_the_lowest_that_keeps_the_precision() {
        let scored = [
            (0.9, true),
            (0.8, true),
            (0.7, false),
            (0.6, true),
            (0.5, false),
        ];
        // At 0.8: 2 of 2; at 0.6: 3 of 4 (75%); so 90% holds down to 0.8.
        assert_eq!(threshold_for_precision(&scored, 0.9), 0.8);
        assert_eq!(threshold_for_precision(&scored, 0.7), 0.6);
        assert_eq!(threshold_for_precision(&[(0.3, false)], 0.9), 0.5);
    }
}
