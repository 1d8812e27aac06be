//! The parts of the statistics page about pairs: failing pairs of values, and pairs of raters
//! (activity, agreement, and their disagreements one click away).

use super::bars::pct;
use super::charts::{self, RaterActivity};
use super::links::Links;
use crate::analytics::report::{PairPart, Report};
use crate::domain::gallery_filter::{GalleryFilter, GallerySort};

pub struct PairRow {
    pub pattern: String,
    pub href: String,
    pub failure_rate: String,
    pub sample_count: u64,
    pub failures: u64,
    pub expected_rate: String,
    pub shrunk_rate: String,
    pub q_value: String,
    pub common_category: String,
}

pub struct PairsView {
    pub tested: u64,
    pub significant: u64,
    pub fdr: String,
    pub rows: Vec<PairRow>,
    /// The knobs' model, if any ("within sd_v15").
    pub model: Option<String>,
    pub min_occurrences: u64,
    pub failure_threshold: String,
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

pub fn pairs(report: &Report, links: &Links<'_>) -> PairsView {
    let p = &report.failing_pairs;
    PairsView {
        tested: p.tested,
        significant: p.significant,
        fdr: pct(p.fdr),
        rows: p
            .pairs
            .iter()
            .map(|pair| PairRow {
                pattern: pair.pattern.clone(),
                href: links.ko(|f| {
                    put(&pair.first, f);
                    put(&pair.second, f);
                }),
                failure_rate: pct(pair.failure_rate),
                sample_count: pair.sample_count,
                failures: pair.failures,
                expected_rate: pct(pair.expected_rate),
                shrunk_rate: pct(pair.shrunk_rate),
                q_value: scientific(pair.q_value),
                common_category: pair.common_category.clone().unwrap_or_default(),
            })
            .collect(),
        model: report.knobs.model.clone(),
        min_occurrences: report.knobs.min_occurrences,
        failure_threshold: pct(report.knobs.failure_threshold),
    }
}

pub fn activity(report: &Report, links: &Links<'_>) -> Vec<RaterActivity> {
    let people: Vec<(String, u64, u64)> = report
        .raters
        .people
        .iter()
        .map(|p| (p.name.clone(), p.judgements, p.days_active))
        .collect();
    charts::activity(&report.raters.activity, &people, |name| {
        links.to(|f| f.rater = Some(name.to_owned()))
    })
}

pub struct RaterPairRow {
    pub first: String,
    pub second: String,
    pub shared: u64,
    pub disagreements: u64,
    pub kappa: String,
    pub href: String,
}

pub struct AgreementView {
    pub images: u64,
    pub alpha: String,
    pub alpha_with_category: String,
    pub fleiss: Option<String>,
    pub fleiss_raters: u64,
    pub pairs: Vec<RaterPairRow>,
}

fn three(x: Option<f64>) -> String {
    x.map_or("–".to_owned(), |v| format!("{v:.2}"))
}

pub fn agreement(report: &Report, links: &Links<'_>) -> AgreementView {
    let a = &report.raters.agreement;
    AgreementView {
        images: a.images,
        alpha: three(a.alpha),
        alpha_with_category: three(a.alpha_with_category),
        fleiss: a.fleiss_kappa.map(|k| format!("{k:.2}")),
        fleiss_raters: a.fleiss_raters.unwrap_or(0),
        pairs: a
            .pairs
            .iter()
            .map(|p| RaterPairRow {
                first: p.first.clone(),
                second: p.second.clone(),
                shared: p.shared,
                disagreements: p.disagreements,
                kappa: three(p.cohen_kappa),
                href: links.to(|f| {
                    f.disagree = Some((p.first.clone(), p.second.clone()));
                    f.sort = GallerySort::Rating;
                }),
            })
            .collect(),
    }
}
