//! What the statistics are asked for: the gallery's filter (the figures of just those images)
//! and the owner's knobs for failing pairs. `model` is both: a gallery filter on the sessions'
//! model, which also restricts the pairs to that model, as in his draft
//! `analyze_failure_patterns(model_name=..., min_occurrences=..., failure_threshold=...)`.

use serde::{Deserialize, Serialize};

use crate::domain::gallery_filter::GalleryFilter;
use crate::domain::query_params::{self, QueryParam, Values};
use crate::domain::stats::rule::KoRule;

pub const DEFAULT_MIN_OCCURRENCES: u64 = 10;
pub const DEFAULT_FAILURE_THRESHOLD: f64 = 0.5;
const MAX_MIN_OCCURRENCES: u64 = 1_000_000;

/// The parameters the statistics take besides the gallery's filters (`gallery_filter::PARAMS`,
/// whose `sort` and `page` are taken and ignored).
pub const KNOBS: &[QueryParam] = &[
    QueryParam::new(
        "min_occurrences",
        Values::Integer,
        "failing pairs: the judged images a pair needs before it is tested (default 10)",
        "10",
    ),
    QueryParam::new(
        "failure_threshold",
        Values::Number,
        "failing pairs: the lowest KO rate shown, 0 to 1 (default 0.5)",
        "0.5",
    ),
    QueryParam::new(
        "rule",
        Values::OneOf(&["any", "majority", "each"]),
        "what makes an image KO: any (default; anyone said KO), majority (more than half of its \
         raters; a tie is not), each (every judgement counts once)",
        "majority",
    ),
    QueryParam::new(
        "pairs_sort",
        Values::OneOf(&["q", "p", "rate", "shrunk", "n", "pattern"]),
        "the order of the table of tested pairs (default q); not a figure",
        "rate",
    ),
];

/// The statistics as a download instead of the page (or the API's JSON): taken out of the
/// query before the figures' own parameters are read (`routes::shared::stats_request`).
pub const DOWNLOAD: &[QueryParam] = &[
    QueryParam::new(
        "format",
        Values::OneOf(&["json", "csv"]),
        "json: the whole report; csv: one table, named by `table`",
        "json",
    ),
    QueryParam::new(
        "table",
        Values::Text,
        "with format=csv, the table: totals, ko_by_category, by_model, by_sampler, \
         by_scheduler, by_template, by_tag, by_week, by_session, placeholders, tested_pairs, pair_grid, \
         raters, rater_activity or rater_pairs",
        "by_model",
    ),
];

/// How failing pairs are picked: at least `min_occurrences` judged images carry the pair, and
/// at least `failure_threshold` of them are KO (besides standing out significantly).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PairKnobs {
    pub model: Option<String>,
    pub min_occurrences: u64,
    pub failure_threshold: f64,
}

impl Default for PairKnobs {
    fn default() -> PairKnobs {
        PairKnobs {
            model: None,
            min_occurrences: DEFAULT_MIN_OCCURRENCES,
            failure_threshold: DEFAULT_FAILURE_THRESHOLD,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatsRequest {
    pub filter: GalleryFilter,
    pub knobs: PairKnobs,
    /// What makes an image KO (`rule`): part of every figure, and of the cache key.
    pub rule: KoRule,
    /// The order of the page's table of tested pairs (`pairs_sort`): not a figure.
    pub pairs_sort: PairsSort,
}

/// The columns the table of tested pairs sorts by, each in its telling direction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PairsSort {
    /// Lowest q-value first.
    #[default]
    Q,
    /// Lowest p-value first.
    P,
    /// Highest KO rate first.
    Rate,
    /// Highest shrunk rate first (only meaningful when the pairs can be told apart).
    Shrunk,
    /// Most images first.
    N,
    /// A to Z.
    Pattern,
}

impl PairsSort {
    pub const ALL: [PairsSort; 6] = [
        PairsSort::Q,
        PairsSort::P,
        PairsSort::Rate,
        PairsSort::Shrunk,
        PairsSort::N,
        PairsSort::Pattern,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PairsSort::Q => "q",
            PairsSort::P => "p",
            PairsSort::Rate => "rate",
            PairsSort::Shrunk => "shrunk",
            PairsSort::N => "n",
            PairsSort::Pattern => "pattern",
        }
    }

    fn parse(value: &str) -> Result<PairsSort, FieldError> {
        PairsSort::ALL
            .into_iter()
            .find(|sort| sort.as_str() == value)
            .ok_or_else(|| FieldError {
                valid: PairsSort::ALL
                    .iter()
                    .map(|s| s.as_str().to_owned())
                    .collect(),
                ..FieldError::new(
                    "pairs_sort",
                    format!(
                        "`pairs_sort` is one of q, p, rate, shrunk, n or pattern, not `{value}`"
                    ),
                )
            })
    }
}

/// A parameter that was refused, named so that an API client can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    /// For a value outside a known set (a model, a failure category): the known ones.
    pub valid: Vec<String>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
            valid: Vec::new(),
        }
    }
}

fn min_occurrences(value: &str) -> Result<u64, FieldError> {
    value
        .parse::<u64>()
        .ok()
        .filter(|n| (1..=MAX_MIN_OCCURRENCES).contains(n))
        .ok_or_else(|| {
            FieldError::new(
                "min_occurrences",
                format!(
                    "`min_occurrences` is a whole number from 1 to {MAX_MIN_OCCURRENCES}, not `{value}`"
                ),
            )
        })
}

fn failure_threshold(value: &str) -> Result<f64, FieldError> {
    value
        .parse::<f64>()
        .ok()
        .filter(|x| (0.0..=1.0).contains(x))
        .ok_or_else(|| {
            FieldError::new(
                "failure_threshold",
                format!("`failure_threshold` is a share from 0 to 1 (0.7 for 70 %), not `{value}`"),
            )
        })
}

impl StatsRequest {
    /// Query pairs: the knobs, and anything the gallery takes (its sort and page are accepted
    /// and ignored, so a gallery's address works here as it is).
    pub fn parse(pairs: &[(String, String)]) -> Result<StatsRequest, FieldError> {
        let mut knobs = PairKnobs::default();
        let (mut rule, mut pairs_sort) = (KoRule::default(), PairsSort::default());
        let mut gallery = Vec::with_capacity(pairs.len());
        for (key, value) in pairs {
            let value = value.trim();
            if !query_params::takes(KNOBS, key) {
                // The gallery's parser refuses what neither takes, naming what it takes.
                gallery.push((key.clone(), value.to_owned()));
                continue;
            }
            match key.as_str() {
                "min_occurrences" if !value.is_empty() => {
                    knobs.min_occurrences = min_occurrences(value)?
                }
                "failure_threshold" if !value.is_empty() => {
                    knobs.failure_threshold = failure_threshold(value)?
                }
                "rule" if !value.is_empty() => {
                    rule = KoRule::parse(value).map_err(|message| FieldError {
                        valid: KoRule::ALL.iter().map(|r| r.as_str().to_owned()).collect(),
                        ..FieldError::new("rule", message)
                    })?
                }
                "pairs_sort" if !value.is_empty() => pairs_sort = PairsSort::parse(value)?,
                "min_occurrences" | "failure_threshold" | "rule" | "pairs_sort" => {}
                _ => gallery.push((key.clone(), value.to_owned())),
            }
        }
        let filter = GalleryFilter::parse(&gallery).map_err(|message| {
            // The gallery's parser says what is wrong; find which parameter it was.
            let field = gallery
                .iter()
                .find(|pair| GalleryFilter::parse(std::slice::from_ref(pair)).is_err())
                .map_or_else(|| "from".to_owned(), |(key, _)| key.clone());
            FieldError::new(field, message)
        })?;
        knobs.model = filter.sessions.model.clone();
        Ok(StatsRequest {
            filter,
            knobs,
            rule,
            pairs_sort,
        })
    }

    /// The parameters that decide the figures, in a fixed order: the cache key, and the
    /// address of the same statistics. Sort and page do not change a figure and are left out.
    pub fn query_string(&self) -> String {
        let mut filter = self.filter.clone();
        filter.sort = Default::default();
        let mut pairs = filter.pairs();
        let defaults = PairKnobs::default();
        if self.knobs.min_occurrences != defaults.min_occurrences {
            pairs.push(("min_occurrences", self.knobs.min_occurrences.to_string()));
        }
        if self.knobs.failure_threshold != defaults.failure_threshold {
            pairs.push((
                "failure_threshold",
                self.knobs.failure_threshold.to_string(),
            ));
        }
        if self.rule != KoRule::default() {
            pairs.push(("rule", self.rule.as_str().to_owned()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// True when the figures depend on who asks ("my" verdicts, "not rated by me").
    pub fn is_personal(&self) -> bool {
        self.filter.whose == crate::domain::gallery_filter::Whose::Mine || self.filter.unrated_by_me
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<StatsRequest, FieldError> {
        StatsRequest::parse(&serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap())
    }

    #[test]
    fn knobs_and_gallery_filters_are_read_together() {
        let request =
            parse("model=sd_v15&min_occurrences=25&failure_threshold=0.7&status=ko&page=3")
                .unwrap();
        assert_eq!(request.knobs.model.as_deref(), Some("sd_v15"));
        assert_eq!(request.knobs.min_occurrences, 25);
        assert_eq!(request.knobs.failure_threshold, 0.7);
        assert_eq!(
            request.query_string(),
            "status=ko&model=sd_v15&min_occurrences=25&failure_threshold=0.7"
        );
        let defaults = parse("").unwrap();
        assert_eq!(defaults.knobs, PairKnobs::default());
        assert_eq!(defaults.query_string(), "");
    }

    #[test]
    fn the_rule_is_part_of_the_figures_address_and_the_pairs_order_is_not() {
        let request = parse("rule=majority&pairs_sort=n").unwrap();
        assert_eq!(request.rule, KoRule::Majority);
        assert_eq!(request.pairs_sort, PairsSort::N);
        assert_eq!(request.query_string(), "rule=majority");
        assert_eq!(parse("rule=any").unwrap().query_string(), "");
        let err = parse("rule=most").unwrap_err();
        assert_eq!(err.field, "rule");
        assert_eq!(err.valid, vec!["any", "majority", "each"]);
        assert_eq!(parse("pairs_sort=colour").unwrap_err().field, "pairs_sort");
    }

    #[test]
    fn a_bad_parameter_is_named_with_what_is_allowed() {
        let err = parse("failure_threshold=70").unwrap_err();
        assert_eq!(err.field, "failure_threshold");
        assert!(err.message.contains("from 0 to 1"), "{}", err.message);
        assert_eq!(
            parse("min_occurrences=0").unwrap_err().field,
            "min_occurrences"
        );
        let err = parse("status=ko&from=someday").unwrap_err();
        assert_eq!(err.field, "from");
        assert!(err.message.contains("YYYY-MM-DD"));
        assert_eq!(parse("colour=red").unwrap_err().field, "colour");
    }

    #[test]
    fn only_my_verdicts_make_the_figures_personal() {
        assert!(parse("whose=mine&status=ko").unwrap().is_personal());
        assert!(parse("unrated=1").unwrap().is_personal());
        assert!(!parse("status=ko&rater=ann").unwrap().is_personal());
    }
}
