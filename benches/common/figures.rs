//! What the benchmarks share: how many runs, medians and percentiles, and a figure's line
//! against its target (MISSED is said, never a failure: these machines are shared).

/// `SDREVIEW_BENCH_RUNS`, at least 1.
pub fn runs(default: usize) -> usize {
    std::env::var("SDREVIEW_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(default)
        .max(1)
}

/// Whether `SDREVIEW_BENCH_ONLY` (a comma list; empty: all) names this measure.
pub fn wanted(name: &str) -> bool {
    let only = std::env::var("SDREVIEW_BENCH_ONLY").unwrap_or_default();
    only.is_empty() || only.split(',').any(|w| w.trim() == name)
}

pub fn median(values: &mut [f64]) -> f64 {
    percentile(values, 0.5)
}

pub fn percentile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let at = ((values.len() as f64 - 1.0) * q).round() as usize;
    values[at]
}

/// `label  value unit  target <= T unit  ok|MISSED`.
pub fn row(label: &str, value: f64, unit: &str, target: f64) {
    let verdict = if value <= target { "ok" } else { "MISSED" };
    println!("{label:<52} {value:>9.2} {unit:<3} target <= {target} {unit}  {verdict}");
}
