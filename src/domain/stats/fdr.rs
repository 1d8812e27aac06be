//! Benjamini-Hochberg: testing thousands of pairs at p < 0.05 would flag one in twenty by
//! chance alone. The q-value of a test is the smallest false discovery rate at which it would
//! be kept; keeping the pairs with q <= 0.05 means about 5 % of the kept ones are flukes.

/// q-values in the order of `p_values` (Benjamini & Hochberg 1995, step-up; R's
/// `p.adjust(p, "BH")`).
pub fn benjamini_hochberg(p_values: &[f64]) -> Vec<f64> {
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&x, &y| p_values[x].total_cmp(&p_values[y]));
    let mut q = vec![1.0; m];
    let mut running = 1.0f64;
    for (rank, &at) in order.iter().enumerate().rev() {
        let adjusted = p_values[at] * m as f64 / (rank + 1) as f64;
        running = running.min(adjusted).min(1.0);
        q[at] = running;
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked by hand: sorted p 0.005, 0.01, 0.03, 0.04 give p·m/rank 0.02, 0.02, 0.04,
    /// 0.04, already monotone. R: `p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH")`.
    #[test]
    fn q_values_follow_the_step_up_rule() {
        let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.005]);
        let expected = [0.02, 0.04, 0.04, 0.02];
        for (got, want) in q.iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{q:?}");
        }
    }

    /// A later, smaller p·m/rank pulls earlier ones down: 0.02·4/2 = 0.04 > 0.021·4/3 = 0.028.
    #[test]
    fn q_values_are_monotone_and_capped_at_one() {
        let q = benjamini_hochberg(&[0.02, 0.021, 0.9, 0.001]);
        assert!((q[0] - 0.028).abs() < 1e-12, "{q:?}");
        assert!((q[1] - 0.028).abs() < 1e-12, "{q:?}");
        assert!((q[2] - 0.9).abs() < 1e-12);
        assert!((q[3] - 0.004).abs() < 1e-12);
        assert_eq!(benjamini_hochberg(&[1.0, 1.0]), vec![1.0, 1.0]);
        assert!(benjamini_hochberg(&[]).is_empty());
    }
}
