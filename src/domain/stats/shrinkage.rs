//! Empirical-Bayes beta-binomial shrinkage: each group's failure rate is pulled towards the
//! rate of all groups, the harder the fewer images it rests on. Ranking by the shrunk rate puts
//! 270 failures out of 300 above 3 out of 3, which a raw rate would not.
//!
//! The prior Beta(alpha, beta) is fitted by maximum marginal likelihood. A group's failures
//! k out of n are beta-binomial, and with a = mu·s, b = (1 − mu)·s,
//! log L(s) = Σ [lnΓ(k + a) − lnΓ(a) + lnΓ(n − k + b) − lnΓ(b) − lnΓ(n + s) + lnΓ(s)]
//! (the binomial coefficients do not depend on the prior and are left out). The mean mu is the
//! pooled rate Σk / Σn, what every group is shrunk towards; the strength s = alpha + beta (how
//! many images the prior weighs) is found by a golden-section search of log L over ln s,
//! between a floor of one image and a ceiling of Σn images, all the images the groups hold: a
//! prior never outweighs the data it was fitted to.
//!
//! A moment fit (Kleinman 1973), used before, solves for the between-group variance; on groups
//! that differ by chance alone that variance comes out negative, was clamped to a tiny value,
//! and the prior then weighed a million images, so every group "shrank" to the mean and the
//! ranking meant nothing. The likelihood cannot go below zero spread: it just grows towards
//! s = ∞, where the beta-binomial becomes the binomial with one common rate.
//!
//! Whether the groups differ at all is therefore a likelihood-ratio test of the fit against
//! that common rate: 2·(log L(ŝ) − log L(∞)) against 2.706, the 5 % point of the even mixture
//! of χ²(0) and χ²(1) that applies when the tested value (no spread) lies on the edge of what
//! is possible (Self and Liang 1987, "Asymptotic properties of maximum likelihood estimators
//! and likelihood ratio tests under nonstandard conditions", JASA 82:605-610). When the test
//! does not reject, or the fit runs into the ceiling, the data cannot tell the groups apart.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// The 5 % critical value of the boundary likelihood-ratio test (χ²(1) at 10 %).
const CRITICAL_RATIO: f64 = 2.705_543_454_095_404;
/// The prior weighs at least this many images.
const FLOOR: f64 = 1.0;
/// Golden-section steps on ln s: the bracket shrinks by 0.618 each, to 1e-6 of its width.
const STEPS: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BetaPrior {
    pub alpha: f64,
    pub beta: f64,
}

impl BetaPrior {
    /// The posterior mean failure rate of a group: (k + alpha) / (n + alpha + beta).
    pub fn shrunk(&self, failures: u64, trials: u64) -> f64 {
        (failures as f64 + self.alpha) / (trials as f64 + self.alpha + self.beta)
    }

    /// How many images the prior weighs: alpha + beta.
    pub fn strength(&self) -> f64 {
        self.alpha + self.beta
    }
}

/// The fitted prior, and whether the groups differ beyond chance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PriorFit {
    pub prior: BetaPrior,
    /// alpha + beta, between `floor` and `ceiling`.
    pub strength: f64,
    pub floor: f64,
    /// The images all groups hold together.
    pub ceiling: f64,
    /// 2·(log L at the fit − log L with one common rate): how much better the groups are
    /// described with a spread than without.
    pub likelihood_ratio: f64,
    /// False when the spread cannot be told from none: the ratio is below 2.706 (5 %), or
    /// the strength ran into the ceiling. Ranking groups by their shrunk rate then means
    /// nothing.
    pub tells_apart: bool,
}

/// Groups with the same counts, once each, with how many there are.
struct Counts(Vec<(f64, f64, f64)>);

impl Counts {
    fn new(groups: &[(u64, u64)]) -> Counts {
        let mut seen: HashMap<(u64, u64), u64> = HashMap::new();
        for &(k, n) in groups.iter().filter(|(_, n)| *n > 0) {
            *seen.entry((k.min(n), n)).or_default() += 1;
        }
        let mut counts: Vec<(f64, f64, f64)> = seen
            .into_iter()
            .map(|((k, n), times)| (k as f64, n as f64, times as f64))
            .collect();
        // A fixed order, so that the sums (and the fit) are the same every time.
        counts.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.total_cmp(&b.0)));
        Counts(counts)
    }

    /// log L(s) with the mean fixed at `mu`.
    fn log_likelihood(&self, mu: f64, s: f64) -> f64 {
        let (a, b) = (mu * s, (1.0 - mu) * s);
        let ln_gamma = libm::lgamma;
        let per_group = ln_gamma(s) - ln_gamma(a) - ln_gamma(b);
        self.0
            .iter()
            .map(|&(k, n, times)| {
                times * (ln_gamma(k + a) + ln_gamma(n - k + b) - ln_gamma(n + s) + per_group)
            })
            .sum()
    }

    /// log L with one common rate `mu` (the limit s → ∞).
    fn binomial(&self, mu: f64) -> f64 {
        self.0
            .iter()
            .map(|&(k, n, times)| times * (k * mu.ln() + (n - k) * (1.0 - mu).ln()))
            .sum()
    }
}

/// The x in [low, high] where `f` is highest, for `f` with one peak there.
fn golden_section(f: impl Fn(f64) -> f64, mut low: f64, mut high: f64) -> f64 {
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = high - ratio * (high - low);
    let mut d = low + ratio * (high - low);
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..STEPS {
        if fc >= fd {
            high = d;
            d = c;
            fd = fc;
            c = high - ratio * (high - low);
            fc = f(c);
        } else {
            low = c;
            c = d;
            fc = fd;
            d = low + ratio * (high - low);
            fd = f(d);
        }
    }
    (low + high) / 2.0
}

impl PriorFit {
    /// Fits the prior to `(failures, trials)` per group; None when there is nothing to fit
    /// (fewer than two groups with trials, or every one of them all failures or none).
    pub fn fit(groups: &[(u64, u64)]) -> Option<PriorFit> {
        let counts = Counts::new(groups);
        let (failures, trials, groups) = counts
            .0
            .iter()
            .fold((0.0, 0.0, 0.0), |(k_sum, n_sum, m), &(k, n, times)| {
                (k_sum + k * times, n_sum + n * times, m + times)
            });
        if groups < 2.0 {
            return None;
        }
        let mu = failures / trials;
        if mu <= 0.0 || mu >= 1.0 {
            return None;
        }
        let ceiling = trials.max(FLOOR);
        let ln_s = golden_section(
            |ln_s| counts.log_likelihood(mu, ln_s.exp()),
            FLOOR.ln(),
            ceiling.ln(),
        );
        let strength = ln_s.exp().clamp(FLOOR, ceiling);
        let likelihood_ratio = 2.0 * (counts.log_likelihood(mu, strength) - counts.binomial(mu));
        // Within a hundredth of the ceiling's logarithm counts as run into it.
        let at_ceiling = ceiling.ln() - ln_s < 0.01;
        Some(PriorFit {
            prior: BetaPrior {
                alpha: mu * strength,
                beta: (1.0 - mu) * strength,
            },
            strength,
            floor: FLOOR,
            ceiling,
            likelihood_ratio,
            tells_apart: !at_ceiling && likelihood_ratio > CRITICAL_RATIO,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    /// A Beta(a, b) draw for whole a and b: the a-th smallest of a + b − 1 uniforms.
    fn beta_draw(rng: &mut StdRng, a: usize, b: usize) -> f64 {
        let mut uniforms: Vec<f64> = (0..a + b - 1).map(|_| rng.random::<f64>()).collect();
        uniforms.sort_by(f64::total_cmp);
        uniforms[a - 1]
    }

    fn binomial_draw(rng: &mut StdRng, n: u64, p: f64) -> u64 {
        (0..n).filter(|_| rng.random::<f64>() < p).count() as u64
    }

    /// 300 groups of 40 images whose true rates are Beta(6, 14): a mean of 30 % and a
    /// prior worth 20 images.
    #[test]
    fn groups_that_really_differ_give_a_prior_close_to_the_true_one() {
        let mut rng = StdRng::seed_from_u64(19);
        let groups: Vec<(u64, u64)> = (0..300)
            .map(|_| {
                let p = beta_draw(&mut rng, 6, 14);
                (binomial_draw(&mut rng, 40, p), 40)
            })
            .collect();
        let fit = PriorFit::fit(&groups).unwrap();
        assert!(fit.tells_apart, "{fit:?}");
        assert!((15.0..27.0).contains(&fit.strength), "close to 20: {fit:?}");
        assert!((fit.prior.alpha / fit.strength - 0.3).abs() < 0.03);
    }

    /// 200 groups of 30 at exactly the spread a common rate of 30 % gives (8, 9, 9, 10 of
    /// 30, over and over): the moment fit made this prior weigh 999,999 images.
    #[test]
    fn groups_that_differ_by_chance_alone_are_said_to_be_indistinguishable() {
        let groups: Vec<(u64, u64)> = (0..200).map(|i| ([8, 9, 9, 10][i % 4], 30)).collect();
        let fit = PriorFit::fit(&groups).unwrap();
        assert!(!fit.tells_apart, "{fit:?}");
        assert!(fit.strength <= 6_000.0, "never more than the data: {fit:?}");
        assert!(fit.likelihood_ratio < CRITICAL_RATIO);
    }

    #[test]
    fn three_failures_of_three_rank_below_270_of_300() {
        let mut groups = vec![(3, 3), (270, 300)];
        groups.extend([30, 35, 28, 40, 25, 33, 31, 27].map(|k| (k, 100)));
        let fit = PriorFit::fit(&groups).unwrap();
        assert!(fit.tells_apart, "{fit:?}");
        let prior = fit.prior;
        assert!(prior.shrunk(3, 3) < prior.shrunk(270, 300), "{prior:?}");
        assert!(prior.shrunk(3, 3) < 1.0);
    }

    #[test]
    fn nothing_is_fitted_to_fewer_than_two_groups_or_to_groups_that_never_fail() {
        assert_eq!(PriorFit::fit(&[(1, 4)]), None);
        assert_eq!(PriorFit::fit(&[(0, 4), (0, 9)]), None);
        assert_eq!(PriorFit::fit(&[(1, 4), (0, 0)]), None);
    }

    /// The likelihood worked by hand at the mean 1/2 and s = 2 (a uniform prior): a group's
    /// marginal, without the binomial coefficient, is B(k + 1, n − k + 1) / B(1, 1).
    #[test]
    fn the_likelihood_matches_one_worked_by_hand() {
        let counts = Counts::new(&[(1, 2), (1, 2)]);
        // Both 1 of 2: B(2, 2) = 1/6 each.
        assert!((counts.log_likelihood(0.5, 2.0) - 2.0 * (1.0f64 / 6.0).ln()).abs() < 1e-12);
        let counts = Counts::new(&[(0, 2), (2, 2)]);
        // B(1, 3) = B(3, 1) = 1/3.
        assert!((counts.log_likelihood(0.5, 2.0) - 2.0 * (1.0f64 / 3.0).ln()).abs() < 1e-12);
    }
}
