//! The Wilson score interval for a proportion: unlike `p ± z·sqrt(p(1-p)/n)` it stays inside
//! [0, 1] and stays wide when n is small, so 3 failures out of 3 do not read as "certainly 100 %".

use serde::{Deserialize, Serialize};

/// z for a two-sided 95 % interval.
const Z95: f64 = 1.959_963_984_540_054;

/// A proportion with its 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rate {
    pub rate: f64,
    pub low: f64,
    pub high: f64,
}

/// `successes` out of `trials`, with its 95 % Wilson interval; None when there were no trials.
pub fn wilson(successes: u64, trials: u64) -> Option<Rate> {
    if trials == 0 {
        return None;
    }
    let n = trials as f64;
    let p = successes.min(trials) as f64 / n;
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z95 / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(Rate {
        rate: p,
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rounded(rate: Rate) -> (f64, f64) {
        let r = |x: f64| (x * 10_000.0).round() / 10_000.0;
        (r(rate.low), r(rate.high))
    }

    /// Newcombe R. G. (1998), "Two-sided confidence intervals for the single proportion:
    /// comparison of seven methods", Statistics in Medicine 17:857-872, table II, method 3
    /// (score interval without continuity correction).
    #[test]
    fn intervals_match_newcombes_worked_examples() {
        assert_eq!(rounded(wilson(81, 263).unwrap()), (0.2553, 0.3662));
        assert_eq!(rounded(wilson(15, 148).unwrap()), (0.0624, 0.1605));
        assert_eq!(rounded(wilson(0, 20).unwrap()), (0.0, 0.1611));
        assert_eq!(rounded(wilson(1, 29).unwrap()), (0.0061, 0.1718));
    }

    #[test]
    fn three_lucky_images_get_a_wide_interval_and_three_hundred_a_narrow_one() {
        let three = wilson(3, 3).unwrap();
        let three_hundred = wilson(150, 300).unwrap();
        assert_eq!(three.rate, 1.0);
        assert!(three.low < 0.5, "{three:?}");
        assert!(three_hundred.high - three_hundred.low < 0.12);
        assert_eq!(wilson(0, 0), None);
    }
}
