//! The table of medians against the targets and the owner's floors.

use super::wrk::Outcome;

pub struct Target {
    pub millis: f64,
    /// Judged on the median (thumbnails: "a cached thumbnail <= 2 ms") instead of the p99.
    pub on_median: bool,
    pub floor: Option<f64>,
}

/// Every run of one scenario.
pub struct Measured<'a> {
    pub label: &'a str,
    pub target: Target,
    pub runs: Vec<Outcome>,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

pub fn header() {
    println!(
        "\n{:<38} {:>8} {:>8} {:>8} {:>8} {:>9} {:>7}  verdict",
        "scenario (median of runs)", "req/s", "p50 ms", "p90 ms", "p99 ms", "target", "floor"
    );
}

pub fn row(m: &Measured<'_>) {
    let of = |f: fn(&Outcome) -> f64| median(m.runs.iter().map(f).collect());
    let (p50, p99) = (of(|o| o.p50_ms), of(|o| o.p99_ms));
    let not_2xx: u64 = m.runs.iter().map(|o| o.not_2xx).sum();
    let requests: u64 = m.runs.iter().map(|o| o.requests).sum();
    let socket_errors: u64 = m.runs.iter().map(|o| o.socket_errors).sum();
    let judged = if m.target.on_median { p50 } else { p99 };
    let verdict = if not_2xx > 0 {
        let status = m.runs.iter().map(|o| o.odd_status).max().unwrap_or(0);
        format!("NOT 2xx: {not_2xx} of {requests} answers (status {status}), not judged")
    } else if socket_errors > 0 {
        format!("{socket_errors} socket errors, not judged")
    } else {
        let target = if judged <= m.target.millis {
            "ok"
        } else {
            "MISSED"
        };
        match m.target.floor {
            Some(floor) if judged > floor => format!("{target}, floor MISSED"),
            Some(_) => format!("{target}, floor ok"),
            None => target.to_owned(),
        }
    };
    println!(
        "{:<38} {:>8.0} {:>8.2} {:>8.2} {:>8.2} {:>6}{:>3} {:>7}  {verdict}",
        m.label,
        of(|o| o.per_second),
        p50,
        of(|o| o.p90_ms),
        p99,
        format!("{:.0}", m.target.millis),
        if m.target.on_median { "p50" } else { "p99" },
        m.target
            .floor
            .map(|f| format!("{f:.0}"))
            .unwrap_or_default(),
    );
}

/// The first thumbnail: single requests, so only the median of each run's medians.
pub fn first_thumbnails(run_medians: &[f64], not_2xx: usize, total: usize, target: f64) {
    let med = median(run_medians.to_vec());
    let verdict = if not_2xx > 0 {
        format!("NOT 2xx: {not_2xx} of {total} answers, not judged")
    } else if med <= target {
        "ok".to_owned()
    } else {
        "MISSED".to_owned()
    };
    println!(
        "{:<38} {:>8} {:>8.2} {:>8} {:>8} {:>6}p50 {:>7}  {verdict}",
        "first thumbnail of a 512x768 PNG",
        "",
        med,
        "",
        "",
        format!("{target:.0}"),
        ""
    );
}
