//! Each table of the statistics page as rows of cells, for download as CSV
//! (`?format=csv&table=NAME` on the page and the API, `sdreview stats --csv NAME`). A table is
//! named by the report's field it comes from; rates are written as shares (0 to 1) at full
//! precision, an empty cell where there is none.

use std::borrow::Cow;

use super::pair_grid::PairGrid;
use super::report::{FailingPair, Group, PairPart, Report};
use crate::domain::stats::wilson::Rate;

/// The tables, in the page's order.
pub const NAMES: [&str; 15] = [
    "totals",
    "ko_by_category",
    "by_model",
    "by_sampler",
    "by_scheduler",
    "by_template",
    "by_tag",
    "by_week",
    "by_session",
    "placeholders",
    "tested_pairs",
    "pair_grid",
    "raters",
    "rater_activity",
    "rater_pairs",
];

pub enum Cell<'a> {
    Text(Cow<'a, str>),
    Int(u64),
    Float(f64),
    Bool(bool),
    Empty,
}

pub struct Table<'a> {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell<'a>>>,
}

fn text(value: &str) -> Cell<'_> {
    Cell::Text(Cow::Borrowed(value))
}

fn float(value: Option<f64>) -> Cell<'static> {
    value.map_or(Cell::Empty, Cell::Float)
}

/// rate, low, high.
fn rate(rate: Option<Rate>) -> [Cell<'static>; 3] {
    [
        float(rate.map(|r| r.rate)),
        float(rate.map(|r| r.low)),
        float(rate.map(|r| r.high)),
    ]
}

fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// The table `name` of `report`; None for a name that is not in `NAMES`.
pub fn table<'a>(report: &'a Report, name: &str) -> Option<Table<'a>> {
    Some(match name {
        "totals" => totals(report),
        "ko_by_category" => categories(report),
        "by_model" => groups(report, &report.by_model),
        "by_sampler" => groups(report, &report.by_sampler),
        "by_scheduler" => groups(report, &report.by_scheduler),
        "by_template" => groups(report, &report.by_template),
        "by_tag" => groups(report, &report.by_tag),
        "by_week" => groups(report, &report.by_week),
        "by_session" => groups(report, &report.by_session),
        "placeholders" => placeholders(report),
        "tested_pairs" => tested_pairs(report),
        "pair_grid" => pair_grid(report),
        "raters" => raters(report),
        "rater_activity" => activity(report),
        "rater_pairs" => rater_pairs(report),
        _ => return None,
    })
}

fn totals(report: &Report) -> Table<'_> {
    let t = &report.totals;
    let mut row = vec![
        text(report.rule.as_str()),
        Cell::Int(t.judged),
        Cell::Int(t.judgements),
        float(t.raters_per_image),
        Cell::Int(t.counted),
        Cell::Int(t.ko),
    ];
    row.extend(rate(t.ko_rate));
    row.extend(
        [
            t.sessions,
            t.test_sessions,
            t.failed_sessions,
            t.archived_sessions,
            t.sessions_in_trash,
            t.images,
            t.broken_images,
            t.images_in_trash,
            t.rated,
            t.unrated,
            t.liked,
            t.perfect,
            t.imperfect,
            t.ok,
        ]
        .map(Cell::Int),
    );
    Table {
        header: header(&[
            "rule",
            "judged",
            "judgements",
            "raters_per_image",
            "counted",
            "ko",
            "ko_rate",
            "ko_low",
            "ko_high",
            "sessions",
            "test_sessions",
            "failed_sessions",
            "archived_sessions",
            "sessions_in_trash",
            "images",
            "broken_images",
            "images_in_trash",
            "rated",
            "unrated",
            "liked",
            "perfect",
            "imperfect",
            "ok",
        ]),
        rows: vec![row],
    }
}

fn categories(report: &Report) -> Table<'_> {
    let t = &report.totals;
    Table {
        header: header(&[
            "category",
            "label",
            "rule",
            "ko",
            "counted",
            "raters_per_image",
            "rate",
            "low",
            "high",
        ]),
        rows: report
            .ko_by_category
            .iter()
            .map(|c| {
                let mut row = vec![
                    text(&c.category),
                    text(&c.label),
                    text(report.rule.as_str()),
                    Cell::Int(c.images),
                    Cell::Int(t.counted),
                    float(t.raters_per_image),
                ];
                row.extend(rate(c.rate));
                row
            })
            .collect(),
    }
}

fn groups<'a>(report: &Report, groups: &'a [Group]) -> Table<'a> {
    Table {
        header: header(&[
            "key",
            "name",
            "sessions",
            "images",
            "rated",
            "liked",
            "judged",
            "judgements",
            "raters_per_image",
            "rule",
            "counted",
            "ko",
            "ko_rate",
            "ko_low",
            "ko_high",
        ]),
        rows: groups
            .iter()
            .map(|g| {
                let mut row = vec![
                    text(&g.key),
                    text(&g.name),
                    Cell::Int(g.sessions),
                    Cell::Int(g.images),
                    Cell::Int(g.rated),
                    Cell::Int(g.liked),
                    Cell::Int(g.judged),
                    Cell::Int(g.judgements),
                    float(g.raters_per_image),
                    Cell::Text(Cow::Borrowed(report.rule.as_str())),
                    Cell::Int(g.counted),
                    Cell::Int(g.ko),
                ];
                row.extend(rate(g.ko_rate));
                row
            })
            .collect(),
    }
}

fn placeholders(report: &Report) -> Table<'_> {
    let mut rows = Vec::new();
    for p in &report.placeholders {
        for v in &p.values {
            let mut row = vec![
                text(&p.placeholder),
                text(&v.value),
                Cell::Int(v.images),
                Cell::Int(v.judged),
                Cell::Int(v.judgements),
                float(v.raters_per_image),
                text(report.rule.as_str()),
                Cell::Int(v.counted),
                Cell::Int(v.ko),
            ];
            row.extend(rate(v.success_rate));
            row.push(v.common_category.as_deref().map_or(Cell::Empty, text));
            rows.push(row);
        }
    }
    Table {
        header: header(&[
            "placeholder",
            "value",
            "images",
            "judged",
            "judgements",
            "raters_per_image",
            "rule",
            "counted",
            "ko",
            "success_rate",
            "success_low",
            "success_high",
            "common_category",
        ]),
        rows,
    }
}

/// (placeholder, value) of a part; a model is `("model", name)`.
fn part(part: &PairPart) -> (&str, &str) {
    match part {
        PairPart::Value { placeholder, value } => (placeholder, value),
        PairPart::Model { model } => ("model", model),
    }
}

fn tested_pairs(report: &Report) -> Table<'_> {
    let listed = |pair: &FailingPair| {
        report
            .failing_pairs
            .pairs
            .iter()
            .any(|p| p.pattern == pair.pattern)
    };
    Table {
        header: header(&[
            "pattern",
            "first_placeholder",
            "first_value",
            "second_placeholder",
            "second_value",
            "judged",
            "raters_per_image",
            "rule",
            "n",
            "ko",
            "rate",
            "low",
            "high",
            "expected_rate",
            "shrunk_rate",
            "p",
            "q",
            "significant",
            "listed",
        ]),
        rows: report
            .failing_pairs
            .tested_pairs
            .iter()
            .map(|pair| {
                let (first_placeholder, first_value) = part(&pair.first);
                let (second_placeholder, second_value) = part(&pair.second);
                let mut row = vec![
                    text(&pair.pattern),
                    text(first_placeholder),
                    text(first_value),
                    text(second_placeholder),
                    text(second_value),
                    Cell::Int(pair.judged),
                    float(pair.raters_per_image),
                    text(report.rule.as_str()),
                    Cell::Int(pair.sample_count),
                    Cell::Int(pair.failures),
                ];
                row.extend(rate(pair.ko_rate));
                row.extend([
                    Cell::Float(pair.expected_rate),
                    float(pair.shrunk_rate),
                    Cell::Float(pair.p_value),
                    Cell::Float(pair.q_value),
                    Cell::Bool(pair.significant),
                    Cell::Bool(listed(pair)),
                ]);
                row
            })
            .collect(),
    }
}

fn pair_grid(report: &Report) -> Table<'_> {
    let grid = PairGrid::new(report);
    let mut names = vec!["placeholder".to_owned(), "value".to_owned()];
    for model in &grid.models {
        for field in ["n", "ko", "rate", "q"] {
            names.push(format!("{model} {field}"));
        }
    }
    let pairs = &report.failing_pairs.tested_pairs;
    Table {
        header: names,
        rows: grid
            .rows
            .into_iter()
            .map(|row| {
                let mut cells = vec![
                    Cell::Text(Cow::Owned(row.placeholder)),
                    Cell::Text(Cow::Owned(row.value)),
                ];
                for cell in row.cells {
                    match cell.and_then(|at| pairs.get(at)) {
                        Some(pair) => cells.extend([
                            Cell::Int(pair.sample_count),
                            Cell::Int(pair.failures),
                            Cell::Float(pair.failure_rate),
                            Cell::Float(pair.q_value),
                        ]),
                        None => cells.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]),
                    }
                }
                cells
            })
            .collect(),
    }
}

fn raters(report: &Report) -> Table<'_> {
    Table {
        header: header(&["name", "judgements", "days_active", "first_day", "last_day"]),
        rows: report
            .raters
            .people
            .iter()
            .map(|p| {
                vec![
                    text(&p.name),
                    Cell::Int(p.judgements),
                    Cell::Int(p.days_active),
                    Cell::Text(Cow::Owned(p.first_day.to_string())),
                    Cell::Text(Cow::Owned(p.last_day.to_string())),
                ]
            })
            .collect(),
    }
}

fn activity(report: &Report) -> Table<'_> {
    Table {
        header: header(&["name", "day", "judgements"]),
        rows: report
            .raters
            .activity
            .iter()
            .map(|d| {
                vec![
                    text(&d.name),
                    Cell::Text(Cow::Owned(d.day.to_string())),
                    Cell::Int(d.judgements),
                ]
            })
            .collect(),
    }
}

fn rater_pairs(report: &Report) -> Table<'_> {
    Table {
        header: header(&["first", "second", "shared", "disagreements", "cohen_kappa"]),
        rows: report
            .raters
            .agreement
            .pairs
            .iter()
            .map(|p| {
                vec![
                    text(&p.first),
                    text(&p.second),
                    Cell::Int(p.shared),
                    Cell::Int(p.disagreements),
                    float(p.cohen_kappa),
                ]
            })
            .collect(),
    }
}

/// The table as CSV (RFC 4180, a header line first). Text cells go through the exports' rule
/// against spreadsheet formulas (names and values come from PNGs and people); numbers are
/// written as numbers, so a negative kappa stays a number.
pub fn csv(table: &Table<'_>) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&table.header)?;
    for row in &table.rows {
        writer.write_record(row.iter().map(|cell| match cell {
            Cell::Text(text) => crate::export::spreadsheet::safe_text(text).into_owned(),
            Cell::Int(n) => n.to_string(),
            Cell::Float(x) => x.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Empty => String::new(),
        }))?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_written_as_text_and_a_negative_number_is_not() {
        let table = Table {
            header: header(&["name", "kappa"]),
            rows: vec![
                vec![text("=HYPERLINK(\"x\")"), Cell::Float(-0.25)],
                vec![text("plain, with a comma"), Cell::Empty],
            ],
        };
        let written = String::from_utf8(csv(&table).unwrap()).unwrap();
        assert_eq!(
            written,
            "name,kappa\n\"'=HYPERLINK(\"\"x\"\")\",-0.25\n\"plain, with a comma\",\n"
        );
    }
}
