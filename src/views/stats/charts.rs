//! Figures over time, as columns: the KO rate of each week's sessions (with whiskers), and each
//! rater's judgements per day. Drawn in a box `width` units wide and 100 high.

use chrono::{Duration, NaiveDate};

use super::bars::{coverage, pct};
use crate::analytics::report::{Group, RaterDay};
use crate::domain::stats::rule::KoRule;

pub struct Column {
    pub x: String,
    pub width: String,
    /// Top of the column (100 = the bottom).
    pub y: String,
    pub height: String,
    pub low: String,
    pub high: String,
    pub centre: String,
    pub title: String,
    pub href: String,
    pub whiskers: bool,
}

pub struct ColumnChart {
    pub width: usize,
    pub columns: Vec<Column>,
    pub first: String,
    pub last: String,
}

fn y(value: f64) -> String {
    format!("{:.2}", 100.0 - (value * 100.0).clamp(0.0, 100.0))
}

/// One column per week from the first to the last, weeks without judged images left blank.
pub fn weeks(
    groups: &[Group],
    rule: KoRule,
    href: impl Fn(NaiveDate) -> String,
) -> Option<ColumnChart> {
    let parse = |g: &Group| NaiveDate::parse_from_str(&g.key, "%Y-%m-%d").ok();
    let first = groups.iter().find_map(parse)?;
    let last = groups.iter().rev().find_map(parse)?;
    let count = ((last - first).num_days() / 7 + 1) as usize;
    let mut columns = Vec::new();
    for group in groups {
        let (Some(monday), Some(rate)) = (parse(group), group.ko_rate) else {
            continue;
        };
        let at = ((monday - first).num_days() / 7) as usize;
        columns.push(Column {
            x: format!("{}.1", at * 10),
            width: "8.8".to_owned(),
            y: y(rate.rate),
            height: format!("{:.2}", (rate.rate * 100.0).clamp(0.0, 100.0)),
            low: y(rate.low),
            high: y(rate.high),
            centre: format!("{}.5", at * 10 + 4),
            title: format!(
                "{}: KO {} of {} {} ({}–{}) · {} · {}",
                group.name,
                pct(rate.rate),
                group.counted,
                rule.unit(),
                pct(rate.low),
                pct(rate.high),
                rule.tag(),
                coverage(group.raters_per_image)
            ),
            href: href(monday),
            whiskers: true,
        });
    }
    Some(ColumnChart {
        width: count * 10,
        columns,
        first: first.format("%-d %b %Y").to_string(),
        last: (last + Duration::days(6)).format("%-d %b %Y").to_string(),
    })
}

pub struct RaterActivity {
    pub name: String,
    pub href: String,
    pub total: u64,
    pub days: u64,
    /// "10 judgements on 1 day".
    pub summary: String,
    pub chart: ColumnChart,
}

/// Days shown in the activity chart, up to the last day anyone judged.
pub const ACTIVITY_DAYS: i64 = 60;

/// Each rater's judgements per day over the last `ACTIVITY_DAYS`, on one shared scale.
pub fn activity(
    days: &[RaterDay],
    people: &[(String, u64, u64)],
    href: impl Fn(&str) -> String,
) -> Vec<RaterActivity> {
    let Some(last) = days.iter().map(|d| d.day).max() else {
        return Vec::new();
    };
    let first = last - Duration::days(ACTIVITY_DAYS - 1);
    let shown = || days.iter().filter(|d| d.day >= first);
    let peak = shown().map(|d| d.judgements).max().unwrap_or(1).max(1) as f64;
    people
        .iter()
        .map(|(name, total, active)| {
            let columns = shown()
                .filter(|d| d.name == *name)
                .map(|d| {
                    let at = (d.day - first).num_days() as usize;
                    let share = d.judgements as f64 / peak;
                    Column {
                        x: format!("{}.1", at * 10),
                        width: "8.8".to_owned(),
                        y: y(share),
                        height: format!("{:.2}", share * 100.0),
                        low: String::new(),
                        high: String::new(),
                        centre: String::new(),
                        title: format!("{name}: {} on {}", d.judgements, d.day),
                        href: href(name),
                        whiskers: false,
                    }
                })
                .collect();
            RaterActivity {
                name: name.clone(),
                href: href(name),
                total: *total,
                days: *active,
                summary: format!(
                    "{} on {}",
                    crate::views::plural::count(*total, "judgement", "judgements"),
                    crate::views::plural::count(*active, "day", "days")
                ),
                chart: ColumnChart {
                    width: ACTIVITY_DAYS as usize * 10,
                    columns,
                    first: first.format("%-d %b").to_string(),
                    last: last.format("%-d %b %Y").to_string(),
                },
            }
        })
        .collect()
}
