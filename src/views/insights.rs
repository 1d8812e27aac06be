//! The recommendations page (`/insights`): what to drop and keep for the next run, each line
//! linking to the images behind it, and the files a generator reads.

use crate::analytics::recommend::{PairAdvice, Recommendations, Scope, ValueAdvice};
use crate::analytics::report::PairPart;
use crate::domain::gallery_filter::{GalleryFilter, StatusFilter};
use crate::views::plural;
use crate::views::stats::links::gallery;
use crate::web::href::with_query;

pub struct AdviceRow {
    pub title: String,
    pub evidence: String,
    /// The gallery of the images behind the line, and of their KO images.
    pub images_href: String,
    pub ko_href: String,
}

pub struct InsightsView {
    pub models: Vec<String>,
    pub templates: Vec<String>,
    pub model: String,
    pub template: String,
    /// "412 judged images with sd_v15, 96 KO (23 %)"; None when nothing is judged.
    pub summary: Option<String>,
    pub baseline: String,
    pub drop: Vec<AdviceRow>,
    pub pairs: Vec<AdviceRow>,
    pub keep: Vec<AdviceRow>,
    /// "No call on 3 values whose interval holds 23 %, nor on 1 judged on fewer than 10 images."
    pub no_call: String,
    /// "10 judged images".
    pub min_judged: String,
    pub predictor_trained: bool,
    pub values_href: String,
    pub prompts_href: String,
    pub api_href: String,
}

fn scope_filter(scope: &Scope) -> GalleryFilter {
    let mut filter = GalleryFilter::default();
    filter.sessions.model = scope.model.clone();
    filter.sessions.template = scope.template.clone();
    filter
}

fn links(base: &GalleryFilter, edit: impl Fn(&mut GalleryFilter)) -> (String, String) {
    let mut filter = base.clone();
    edit(&mut filter);
    let images = gallery(&filter);
    filter.status = Some(StatusFilter::Ko);
    (images, gallery(&filter))
}

fn value_row(base: &GalleryFilter, advice: &ValueAdvice) -> AdviceRow {
    let (images_href, ko_href) = links(base, |f| {
        f.variations
            .push((advice.placeholder.clone(), advice.value.clone()))
    });
    AdviceRow {
        title: format!("{} = {}", advice.placeholder, advice.value),
        evidence: advice.evidence.clone(),
        images_href,
        ko_href,
    }
}

fn pair_row(base: &GalleryFilter, advice: &PairAdvice) -> AdviceRow {
    let (images_href, ko_href) = links(base, |f| {
        for part in [&advice.first, &advice.second] {
            match part {
                PairPart::Value { placeholder, value } => {
                    f.variations.push((placeholder.clone(), value.clone()))
                }
                PairPart::Model { model } => f.sessions.model = Some(model.clone()),
            }
        }
    });
    AdviceRow {
        title: advice.pattern.clone(),
        evidence: advice.evidence.clone(),
        images_href,
        ko_href,
    }
}

/// The values left without a call, in words that agree with their counts.
pub fn no_call(undecided: u64, too_few: u64, min_judged: u64, baseline: &str) -> String {
    format!(
        "No call on {} whose interval holds {baseline}, nor on {} judged on fewer than {}.",
        plural::count(undecided, "value", "values"),
        too_few,
        plural::count(min_judged, "image", "images")
    )
}

impl InsightsView {
    pub fn new(
        scope: &Scope,
        recommendations: &Recommendations,
        models: Vec<String>,
        templates: Vec<String>,
    ) -> InsightsView {
        let base = scope_filter(scope);
        let query = serde_urlencoded::to_string(scope.pairs()).unwrap_or_default();
        let r = recommendations;
        InsightsView {
            models,
            templates,
            model: scope.model.clone().unwrap_or_default(),
            template: scope.template.clone().unwrap_or_default(),
            summary: r.baseline.map(|base| {
                format!(
                    "{} {}, {} KO ({:.0} %).",
                    plural::count(r.judged, "judged image", "judged images"),
                    scope.words(),
                    r.ko,
                    base.rate * 100.0
                )
            }),
            baseline: r
                .baseline
                .map_or(String::new(), |b| format!("{:.0} %", b.rate * 100.0)),
            drop: r.drop.iter().map(|a| value_row(&base, a)).collect(),
            pairs: r.drop_pairs.iter().map(|a| pair_row(&base, a)).collect(),
            keep: r.keep.iter().map(|a| value_row(&base, a)).collect(),
            min_judged: plural::count(r.min_judged, "judged image", "judged images"),
            no_call: no_call(
                r.undecided,
                r.too_few,
                r.min_judged,
                &r.baseline
                    .map_or(String::new(), |b| format!("{:.0} %", b.rate * 100.0)),
            ),
            predictor_trained: r.predictor_run.is_some(),
            values_href: with_query("/insights/values.json", &query),
            prompts_href: with_query("/insights/prompts.txt", &query),
            api_href: with_query("/api/insights/recommendations", &query),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_values_without_a_call_are_counted_in_the_singular_for_one() {
        assert_eq!(
            no_call(1, 3, 10, "23 %"),
            "No call on 1 value whose interval holds 23 %, nor on 3 judged on fewer than 10 images."
        );
        let words = no_call(2, 0, 1, "5 %");
        assert!(
            words.contains("2 values") && words.contains("1 image."),
            "{words}"
        );
    }
}
