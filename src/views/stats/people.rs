//! The parts of the statistics page about raters: activity, agreement (in figures and in
//! words), and each pair of raters' disagreements one click away.

use super::charts::{self, RaterActivity};
use super::links::Links;
use crate::analytics::report::Report;
use crate::domain::gallery_filter::GallerySort;

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
    /// What alpha says, in a plain sentence ("" without one).
    pub alpha_words: String,
    /// What Cohen's kappa says, for the pair of raters who share the most images.
    pub kappa_words: String,
    pub csv_href: String,
    pub alpha_with_category: String,
    pub fleiss: Option<String>,
    pub fleiss_raters: u64,
    pub pairs: Vec<RaterPairRow>,
}

fn three(x: Option<f64>) -> String {
    x.map_or("–".to_owned(), |v| format!("{v:.2}"))
}

/// Alpha is 1 − observed disagreement / the disagreement chance gives: "the raters disagree
/// 58 % as often as chance alone would make them" for 0.42.
pub fn alpha_words(alpha: f64) -> String {
    format!(
        "Alpha {alpha:.2} means the raters disagree {:.0} % as often as chance alone would make \
         them (1: they never disagree; 0: as often as chance; below 0: more often).",
        (1.0 - alpha) * 100.0
    )
}

/// Kappa is (observed agreement − chance's) / (1 − chance's): how far two raters get from
/// what chance alone gives towards always agreeing.
pub fn kappa_words(first: &str, second: &str, kappa: f64) -> String {
    if kappa < 0.0 {
        format!(
            "Cohen's kappa {kappa:.2} means {first} and {second} agree less often than chance \
             alone would make them."
        )
    } else {
        format!(
            "Cohen's kappa {kappa:.2} means {first} and {second} agree {:.0} % of the way from \
             what chance alone gives (0) to always (1).",
            kappa * 100.0
        )
    }
}

pub fn agreement(report: &Report, links: &Links<'_>, query: &str) -> AgreementView {
    let a = &report.raters.agreement;
    let first = a.pairs.first();
    AgreementView {
        images: a.images,
        alpha_words: a.alpha.map_or(String::new(), alpha_words),
        kappa_words: first
            .and_then(|p| Some(kappa_words(&p.first, &p.second, p.cohen_kappa?)))
            .unwrap_or_default(),
        csv_href: super::csv_href(query, "rater_pairs"),
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
