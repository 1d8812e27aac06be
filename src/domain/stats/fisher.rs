//! Fisher's exact test on a 2x2 table, two-sided: the probability, under independence with the
//! margins fixed (the hypergeometric distribution), of a table at most as likely as the one
//! seen. Exact at any count, where a chi-squared test misleads on small cells.

/// ln(n!) for n up to a bound, summed once: a test needs a handful of these per table.
#[derive(Debug, Clone)]
pub struct LogFactorials(Vec<f64>);

impl LogFactorials {
    pub fn up_to(n: usize) -> LogFactorials {
        let mut table = Vec::with_capacity(n + 1);
        let mut sum = 0.0;
        table.push(0.0);
        for k in 1..=n {
            sum += (k as f64).ln();
            table.push(sum);
        }
        LogFactorials(table)
    }

    /// ln(n!); past the table, Stirling's series (exact to about 1e-12 there).
    fn ln(&self, n: u64) -> f64 {
        match self.0.get(n as usize) {
            Some(value) => *value,
            None => {
                let x = n as f64;
                x * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI * x).ln() + 1.0 / (12.0 * x)
                    - 1.0 / (360.0 * x * x * x)
            }
        }
    }

    fn ln_choose(&self, n: u64, k: u64) -> f64 {
        self.ln(n) - self.ln(k) - self.ln(n - k)
    }
}

/// The table
/// ```text
///            failed  passed
/// group 1      a       b
/// group 2      c       d
/// ```
/// and its two-sided p-value: the sum of the probabilities of every table with the same margins
/// that is no more likely than this one (R's `fisher.test` rule, with the same relative
/// tolerance for ties).
pub fn two_sided(a: u64, b: u64, c: u64, d: u64, ln_fact: &LogFactorials) -> f64 {
    let (row1, col1, col2) = (a + b, a + c, b + d);
    let n = a + b + c + d;
    if n == 0 {
        return 1.0;
    }
    let ln_total = ln_fact.ln_choose(n, row1);
    let ln_p = |x: u64| ln_fact.ln_choose(col1, x) + ln_fact.ln_choose(col2, row1 - x) - ln_total;
    let observed = ln_p(a);
    let cutoff = observed + 1e-7f64.ln_1p();
    let (low, high) = (row1.saturating_sub(col2), row1.min(col1));
    let p: f64 = (low..=high)
        .map(ln_p)
        .filter(|&l| l <= cutoff)
        .map(f64::exp)
        .sum();
    p.min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(a: u64, b: u64, c: u64, d: u64) -> f64 {
        two_sided(a, b, c, d, &LogFactorials::up_to(100))
    }

    fn close(x: f64, y: f64, tolerance: f64) -> bool {
        (x - y).abs() <= tolerance
    }

    /// Fisher's own lady tasting tea (The Design of Experiments, 1935): 3 of 4 cups right.
    /// Every table but the two extremes is as likely or more, so p = 1 - 2/70 = 0.4857.
    #[test]
    fn the_lady_tasting_tea() {
        assert!(
            close(p(3, 1, 1, 3), 34.0 / 70.0, 1e-12),
            "{}",
            p(3, 1, 1, 3)
        );
        assert!(close(p(4, 0, 0, 4), 2.0 / 70.0, 1e-12));
    }

    /// The dieting example of Wikipedia's "Fisher's exact test" article: men 1 dieting / 11
    /// not, women 9 / 3; R's `fisher.test(matrix(c(1, 9, 11, 3), 2))` gives p = 0.002759.
    #[test]
    fn the_dieting_example() {
        assert!(close(p(1, 11, 9, 3), 0.002_759, 1e-6), "{}", p(1, 11, 9, 3));
        assert!(close(p(9, 3, 1, 11), 0.002_759, 1e-6), "symmetric");
    }

    #[test]
    fn no_difference_gives_one_and_empty_tables_do_not_fail() {
        assert!(close(p(5, 5, 5, 5), 1.0, 1e-12));
        assert_eq!(p(0, 0, 0, 0), 1.0);
        assert!(close(p(0, 3, 0, 7), 1.0, 1e-12));
    }

    #[test]
    fn large_counts_past_the_table_use_stirling() {
        let small = LogFactorials::up_to(10);
        let big = LogFactorials::up_to(3_000);
        let (x, y) = (
            two_sided(300, 700, 250, 750, &small),
            two_sided(300, 700, 250, 750, &big),
        );
        assert!(close(x, y, 1e-9), "{x} vs {y}");
        assert!(y < 0.02 && y > 0.01, "{y}");
    }
}
