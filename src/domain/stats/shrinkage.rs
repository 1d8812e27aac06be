//! Empirical-Bayes beta-binomial shrinkage: each group's failure rate is pulled towards the
//! rate of all groups, the harder the fewer images it rests on. Ranking by the shrunk rate puts
//! 270 failures out of 300 above 3 out of 3, which a raw rate would not.
//!
//! The prior Beta(alpha, beta) is fitted by the method of moments, weighting each group by its
//! size (Kleinman 1973, "Proportions with extraneous variance: single and independent samples",
//! JASA 68:46-54). With group sizes n_i, failures k_i, N = sum n_i, m groups, pooled rate
//! mu = sum k_i / N and S = sum n_i (k_i/n_i - mu)^2, the beta-binomial model gives
//! E[S] = mu (1 - mu) [(m - 1) + rho (N - m + 1 - sum n_i^2 / N)] with rho = 1 / (alpha + beta + 1),
//! which is solved for rho; then alpha + beta = 1/rho - 1.

use serde::{Deserialize, Serialize};

/// rho is kept inside (0, 1): at 0 the groups would not differ beyond chance (everything shrinks
/// to the pooled rate), at 1 nothing would shrink.
const MIN_RHO: f64 = 1e-6;
const MAX_RHO: f64 = 0.999;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BetaPrior {
    pub alpha: f64,
    pub beta: f64,
}

impl BetaPrior {
    /// Fits the prior to `(failures, trials)` per group; None when the groups cannot tell
    /// (fewer than two, or every group of one image).
    pub fn fit(groups: &[(u64, u64)]) -> Option<BetaPrior> {
        let groups: Vec<(f64, f64)> = groups
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|&(k, n)| (k.min(n) as f64, n as f64))
            .collect();
        let m = groups.len() as f64;
        let total: f64 = groups.iter().map(|(_, n)| n).sum();
        if m < 2.0 {
            return None;
        }
        let mu = groups.iter().map(|(k, _)| k).sum::<f64>() / total;
        let spread = total - m + 1.0 - groups.iter().map(|(_, n)| n * n).sum::<f64>() / total;
        if spread <= 0.0 {
            return None;
        }
        let rho = if mu <= 0.0 || mu >= 1.0 {
            MIN_RHO
        } else {
            let s: f64 = groups.iter().map(|(k, n)| n * (k / n - mu).powi(2)).sum();
            ((s / (mu * (1.0 - mu)) - (m - 1.0)) / spread).clamp(MIN_RHO, MAX_RHO)
        };
        let strength = 1.0 / rho - 1.0;
        Some(BetaPrior {
            alpha: mu * strength,
            beta: (1.0 - mu) * strength,
        })
    }

    /// The posterior mean failure rate of a group: (k + alpha) / (n + alpha + beta).
    pub fn shrunk(&self, failures: u64, trials: u64) -> f64 {
        (failures as f64 + self.alpha) / (trials as f64 + self.alpha + self.beta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// By hand: mu = 0.5, S = 10·0.09 + 10·0.09 = 1.8, m = 2, N = 20, sum n^2/N = 10, so
    /// rho = (1.8/0.25 - 1) / (20 - 2 + 1 - 10) = 6.2/9, alpha + beta = 9/6.2 - 1 = 2.8/6.2,
    /// and 2 of 10 shrinks to (2 + 1.4/6.2) / (10 + 2.8/6.2) = 0.212963.
    #[test]
    fn the_prior_matches_a_fit_worked_by_hand() {
        let prior = BetaPrior::fit(&[(2, 10), (8, 10)]).unwrap();
        assert!((prior.alpha - 1.4 / 6.2).abs() < 1e-12, "{prior:?}");
        assert!((prior.beta - 1.4 / 6.2).abs() < 1e-12);
        assert!((prior.shrunk(2, 10) - 0.212_963).abs() < 1e-6);
    }

    #[test]
    fn three_failures_of_three_rank_below_270_of_300() {
        let mut groups = vec![(3, 3), (270, 300)];
        groups.extend([30, 35, 28, 40, 25, 33, 31, 27].map(|k| (k, 100)));
        let prior = BetaPrior::fit(&groups).unwrap();
        assert!(prior.shrunk(3, 3) < prior.shrunk(270, 300), "{prior:?}");
        assert!(prior.shrunk(3, 3) < 1.0);
    }

    #[test]
    fn groups_that_differ_only_by_chance_all_shrink_to_the_pooled_rate() {
        let prior = BetaPrior::fit(&[(5, 10), (5, 10), (5, 10)]).unwrap();
        assert!((prior.shrunk(10, 10) - 0.5).abs() < 1e-4, "{prior:?}");
        assert_eq!(BetaPrior::fit(&[(1, 4)]), None);
        assert_eq!(BetaPrior::fit(&[(1, 1), (0, 1)]), None);
    }
}

#[cfg(test)]
mod before_the_fix {
    use super::*;

    /// Exactly binomial spread around 30 %: the old fit weighs the prior as a million images.
    #[test]
    fn a_library_without_spread_does_not_make_the_prior_weigh_a_million_images() {
        let groups: Vec<(u64, u64)> = (0..200).map(|i| ([8, 9, 9, 10][i % 4], 30)).collect();
        let prior = BetaPrior::fit(&groups).unwrap();
        let strength = prior.alpha + prior.beta;
        let images: u64 = groups.iter().map(|g| g.1).sum();
        assert!(strength <= images as f64, "the prior weighs {strength} images");
    }
}
