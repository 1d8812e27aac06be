//! The statistics page's pairs of values: the failing ones, every tested one in a table that
//! sorts by a link (no script needed), and the value × model grid.

use super::bars::{interval, pct};
use super::links::Links;
use super::{csv_href, join};
use crate::analytics::pair_grid::PairGrid;
use crate::analytics::report::{FailingPair, PairPart, Report};
use crate::domain::gallery_filter::GalleryFilter;
use crate::domain::stats_request::{PairsSort, StatsRequest};
use crate::views::plural;
use crate::web::href::with_query;

/// Rows of the tested pairs' table drawn on the page; the CSV holds them all.
const TABLE_ROWS: usize = 100;

pub struct PairRow {
    pub pattern: String,
    pub href: String,
    pub failure_rate: String,
    /// "(50–92 %)".
    pub interval: String,
    pub sample_count: u64,
    pub failures: u64,
    pub coverage: String,
    pub expected_rate: String,
    /// "–" when the pairs cannot be told apart.
    pub shrunk_rate: String,
    pub p_value: String,
    pub q_value: String,
    pub significant: bool,
    pub common_category: String,
}

/// A column heading of the tested pairs' table: a link that sorts by it.
pub struct SortLink {
    pub label: &'static str,
    pub title: &'static str,
    pub href: String,
    pub current: bool,
}

pub struct GridCell {
    pub rate: String,
    /// "30 of 61".
    pub detail: String,
    pub title: String,
    pub href: String,
    pub significant: bool,
}

pub struct GridRow {
    pub label: String,
    pub cells: Vec<Option<GridCell>>,
}

pub struct GridView {
    pub models: Vec<String>,
    pub rows: Vec<GridRow>,
}

pub struct PairsView {
    pub tested: u64,
    /// "None of the 23 tested pairs stands out", "1 of the 23 tested pairs stands out".
    pub standing_out: String,
    pub fdr: String,
    /// Whether the tested pairs differ beyond chance, in words.
    pub spread_note: String,
    pub tells_apart: bool,
    /// The pairs that stand out and reach the threshold, best ranked first.
    pub rows: Vec<PairRow>,
    /// Every tested pair, in the order asked for (the first `TABLE_ROWS`).
    pub table: Vec<PairRow>,
    /// Tested pairs beyond those drawn.
    pub table_more: usize,
    pub sort_links: Vec<SortLink>,
    pub grid: Option<GridView>,
    /// The knobs' model, if any ("within sd_v15").
    pub model: Option<String>,
    pub min_occurrences: u64,
    pub failure_threshold: String,
    pub rule_tag: String,
    pub unit: &'static str,
    pub table_csv: String,
    pub grid_csv: String,
}

fn put(part: &PairPart, filter: &mut GalleryFilter) {
    match part {
        PairPart::Value { placeholder, value } => {
            filter.variations.retain(|(name, _)| name != placeholder);
            filter.variations.push((placeholder.clone(), value.clone()));
        }
        PairPart::Model { model } => filter.sessions.model = Some(model.clone()),
    }
}

fn scientific(q: f64) -> String {
    if q >= 0.001 {
        format!("{q:.3}")
    } else {
        format!("{q:.1e}")
    }
}

/// How many of the tested pairs stand out, in a sentence's words.
pub fn standing_out(tested: u64, significant: u64) -> String {
    match (tested, significant) {
        (0, _) => "No pair was tested".to_owned(),
        (1, 0) => "The one tested pair does not stand out".to_owned(),
        (1, _) => "The one tested pair stands out".to_owned(),
        (_, 0) => format!("None of the {tested} tested pairs stands out"),
        (_, s) => format!(
            "{s} of the {tested} tested pairs {}",
            plural::verb(s, "stands out", "stand out")
        ),
    }
}

fn row(pair: &FailingPair, links: &Links<'_>) -> PairRow {
    PairRow {
        pattern: pair.pattern.clone(),
        href: ko_images(pair, links),
        failure_rate: pct(pair.failure_rate),
        interval: interval(pair.ko_rate).trim().to_owned(),
        sample_count: pair.sample_count,
        failures: pair.failures,
        coverage: pair
            .raters_per_image
            .map_or("–".to_owned(), |r| format!("{r:.1}")),
        expected_rate: pct(pair.expected_rate),
        shrunk_rate: pair.shrunk_rate.map_or("–".to_owned(), pct),
        p_value: scientific(pair.p_value),
        q_value: scientific(pair.q_value),
        significant: pair.significant,
        common_category: pair.common_category.clone().unwrap_or_default(),
    }
}

fn ko_images(pair: &FailingPair, links: &Links<'_>) -> String {
    links.ko(|f| {
        put(&pair.first, f);
        put(&pair.second, f);
    })
}

/// The tested pairs in the order `sort` asks for.
fn sorted(pairs: &[FailingPair], sort: PairsSort) -> Vec<&FailingPair> {
    let mut sorted: Vec<&FailingPair> = pairs.iter().collect();
    let by_q = |a: &&FailingPair, b: &&FailingPair| {
        a.q_value
            .total_cmp(&b.q_value)
            .then(a.p_value.total_cmp(&b.p_value))
    };
    match sort {
        PairsSort::Q => sorted.sort_by(by_q),
        PairsSort::P => sorted.sort_by(|a, b| a.p_value.total_cmp(&b.p_value).then(by_q(a, b))),
        PairsSort::Rate => sorted.sort_by(|a, b| {
            b.failure_rate
                .total_cmp(&a.failure_rate)
                .then(b.sample_count.cmp(&a.sample_count))
        }),
        PairsSort::Shrunk => sorted.sort_by(|a, b| {
            let shrunk = |p: &FailingPair| p.shrunk_rate.unwrap_or(-1.0);
            shrunk(b).total_cmp(&shrunk(a)).then(by_q(a, b))
        }),
        PairsSort::N => sorted.sort_by(|a, b| b.sample_count.cmp(&a.sample_count).then(by_q(a, b))),
        PairsSort::Pattern => sorted.sort_by(|a, b| a.pattern.cmp(&b.pattern)),
    }
    sorted
}

fn sort_links(query: &str, current: PairsSort) -> Vec<SortLink> {
    let link = |sort: PairsSort, label, title| SortLink {
        label,
        title,
        href: format!(
            "{}#pairs",
            with_query(
                "/stats",
                &join(query, &format!("pairs_sort={}", sort.as_str()))
            )
        ),
        current: sort == current,
    };
    vec![
        link(PairsSort::Pattern, "Pair", "Sort A to Z"),
        link(PairsSort::N, "n", "Most first"),
        link(PairsSort::Rate, "KO", "Highest KO rate first"),
        link(PairsSort::Shrunk, "Shrunk", "Highest shrunk rate first"),
        link(PairsSort::P, "p", "Lowest p first"),
        link(PairsSort::Q, "q", "Lowest q first"),
    ]
}

fn grid(report: &Report, links: &Links<'_>) -> Option<GridView> {
    let grid = PairGrid::new(report);
    if grid.rows.is_empty() {
        return None;
    }
    let pairs = &report.failing_pairs.tested_pairs;
    Some(GridView {
        rows: grid
            .rows
            .iter()
            .map(|row| GridRow {
                label: format!("{}={}", row.placeholder, row.value),
                cells: row
                    .cells
                    .iter()
                    .map(|cell| {
                        let pair = pairs.get((*cell)?)?;
                        Some(GridCell {
                            rate: pct(pair.failure_rate),
                            detail: format!("{} of {}", pair.failures, pair.sample_count),
                            title: format!(
                                "{}: KO {} of {}{}, q {}",
                                pair.pattern,
                                pair.failures,
                                pair.sample_count,
                                interval(pair.ko_rate),
                                scientific(pair.q_value)
                            ),
                            href: ko_images(pair, links),
                            significant: pair.significant,
                        })
                    })
                    .collect(),
            })
            .collect(),
        models: grid.models,
    })
}

pub fn pairs(request: &StatsRequest, report: &Report, links: &Links<'_>) -> PairsView {
    let p = &report.failing_pairs;
    let query = request.query_string();
    let table: Vec<PairRow> = sorted(&p.tested_pairs, request.pairs_sort)
        .into_iter()
        .take(TABLE_ROWS)
        .map(|pair| row(pair, links))
        .collect();
    PairsView {
        tested: p.tested,
        standing_out: standing_out(p.tested, p.significant),
        fdr: pct(p.fdr),
        spread_note: p.spread.note.clone(),
        tells_apart: p.spread.tells_apart,
        rows: p.pairs.iter().map(|pair| row(pair, links)).collect(),
        table_more: (p.tested as usize).saturating_sub(table.len()),
        table,
        sort_links: sort_links(&query, request.pairs_sort),
        grid: grid(report, links),
        model: report.knobs.model.clone(),
        min_occurrences: report.knobs.min_occurrences,
        failure_threshold: pct(report.knobs.failure_threshold),
        rule_tag: report.rule.tag(),
        unit: report.rule.unit(),
        table_csv: csv_href(&query, "tested_pairs"),
        grid_csv: csv_href(&query, "pair_grid"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pairs_that_stand_out_are_counted_in_words_that_agree() {
        assert_eq!(
            standing_out(23, 0),
            "None of the 23 tested pairs stands out"
        );
        assert_eq!(standing_out(23, 1), "1 of the 23 tested pairs stands out");
        assert_eq!(standing_out(23, 4), "4 of the 23 tested pairs stand out");
        assert_eq!(standing_out(1, 0), "The one tested pair does not stand out");
    }
}
