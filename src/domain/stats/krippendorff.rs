//! Krippendorff's alpha for nominal data, which, unlike the kappas, takes raters who skipped
//! images in its stride: every image rated at least twice counts, by whoever rated it.
//! alpha = 1 - D_o / D_e, from the coincidence matrix (Krippendorff 2011, "Computing
//! Krippendorff's Alpha-Reliability").

/// `units[u]` holds the labels (below `labels`) given to unit u by the raters who rated it;
/// units with fewer than two are not pairable and drop out. None when there is nothing to
/// compare or a single label was ever used (D_e = 0).
pub fn alpha_nominal(units: &[Vec<usize>], labels: usize) -> Option<f64> {
    let mut totals = vec![0.0; labels];
    let mut disagreement = 0.0;
    let mut counts = vec![0.0f64; labels];
    for unit in units.iter().filter(|u| u.len() >= 2) {
        counts.iter_mut().for_each(|c| *c = 0.0);
        for &label in unit {
            *counts.get_mut(label)? += 1.0;
        }
        let m = unit.len() as f64;
        let same: f64 = counts.iter().map(|c| c * c).sum();
        // Pairs of different labels within the unit, each weighted 1 / (m - 1).
        disagreement += (m * m - same) / (m - 1.0);
        for (total, c) in totals.iter_mut().zip(&counts) {
            *total += c;
        }
    }
    let n: f64 = totals.iter().sum();
    let expected = n * n - totals.iter().map(|t| t * t).sum::<f64>();
    if n < 2.0 || expected <= 0.0 {
        return None;
    }
    Some(1.0 - (n - 1.0) * disagreement / expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
    /// observers, twelve units, values 1 to 5 with missing data (unit 12 has one value and
    /// drops out); nominal alpha = 0.743.
    #[test]
    fn alpha_matches_krippendorffs_example_with_missing_values() {
        let units: Vec<Vec<usize>> = vec![
            vec![1, 1, 1],
            vec![2, 2, 3, 2],
            vec![3, 3, 3, 3],
            vec![3, 3, 3, 3],
            vec![2, 2, 2, 2],
            vec![1, 2, 3, 4],
            vec![4, 4, 4, 4],
            vec![1, 1, 2, 1],
            vec![2, 2, 2, 2],
            vec![5, 5, 5],
            vec![1, 1],
            vec![3],
        ];
        let alpha = alpha_nominal(&units, 6).unwrap();
        assert!((alpha - 0.743).abs() < 0.0005, "{alpha}");
    }

    #[test]
    fn alpha_is_one_for_full_agreement_and_undefined_without_pairs_or_variety() {
        assert_eq!(alpha_nominal(&[vec![0, 0], vec![1, 1, 1]], 2), Some(1.0));
        assert_eq!(alpha_nominal(&[vec![0], vec![1]], 2), None);
        assert_eq!(alpha_nominal(&[vec![1, 1], vec![1, 1]], 2), None);
        assert_eq!(
            alpha_nominal(&[vec![0, 9]], 2),
            None,
            "a label out of range"
        );
    }
}
