//! The statistics page's filter form: what it shows of the request, and the choices its
//! fields offer (the models, samplers, tags and raters of the report).

use crate::analytics::report::{Group, Report};
use crate::domain::stats_request::StatsRequest;

/// The values the filter form shows.
pub struct Form {
    pub q: String,
    pub model: String,
    pub sampler: String,
    pub tag: String,
    pub from: String,
    pub to: String,
    pub rater: String,
    pub min_occurrences: u64,
    pub failure_threshold: String,
    /// Each group of near-duplicates counted once (`group=near`).
    pub group_near: bool,
    /// The other filters of the address, kept as hidden fields.
    pub kept: Vec<(&'static str, String)>,
    pub models: Vec<String>,
    pub samplers: Vec<String>,
    pub tags: Vec<String>,
    pub raters: Vec<String>,
}

const FORM_FIELDS: [&str; 8] = [
    "q", "model", "sampler", "tag", "from", "to", "rater", "group",
];

fn names(groups: &[Group]) -> Vec<String> {
    let mut names: Vec<String> = groups.iter().map(|g| g.key.clone()).collect();
    names.sort();
    names
}

pub(super) fn form(request: &StatsRequest, report: &Report) -> Form {
    let f = &request.filter;
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    Form {
        q: f.search
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default(),
        model: text(&f.sessions.model),
        sampler: text(&f.sessions.sampler),
        tag: f
            .sessions
            .tag
            .as_ref()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
        from: f.sessions.from.map(|d| d.to_string()).unwrap_or_default(),
        to: f.sessions.to.map(|d| d.to_string()).unwrap_or_default(),
        rater: text(&f.rater),
        min_occurrences: request.knobs.min_occurrences,
        failure_threshold: request.knobs.failure_threshold.to_string(),
        group_near: f.group_near,
        kept: f
            .pairs()
            .into_iter()
            .filter(|(key, _)| !FORM_FIELDS.contains(key) && *key != "sort")
            .collect(),
        models: names(&report.by_model),
        samplers: names(&report.by_sampler),
        tags: names(&report.by_tag),
        raters: report
            .raters
            .people
            .iter()
            .map(|p| p.name.clone())
            .collect(),
    }
}
