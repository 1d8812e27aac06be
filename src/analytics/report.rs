//! What the statistics say, as data: the page, `GET /api/analytics/stats` and `sdreview stats`
//! all show this one structure, and the cache stores it as JSON.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::stats::shrinkage::BetaPrior;
use crate::domain::stats::wilson::Rate;
use crate::domain::stats_request::PairKnobs;

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = StatsReport)]
pub struct Report {
    /// The gallery filter and knobs the figures are for, as a query string ("" for the whole
    /// library with the default knobs).
    pub query: String,
    pub knobs: PairKnobs,
    /// RFC 3339 in UTC (a cached report written before times were UTC does not read, and is
    /// computed again).
    pub computed_at: DateTime<Utc>,
    pub totals: Totals,
    pub ko_by_category: Vec<CategoryCount>,
    pub by_model: Vec<Group>,
    pub by_sampler: Vec<Group>,
    pub by_scheduler: Vec<Group>,
    pub by_tag: Vec<Group>,
    /// Weeks of the sessions' creation, oldest first; `key` is the week's Monday.
    pub by_week: Vec<Group>,
    /// The sessions with the worst KO rates (by the interval's lower bound), at most
    /// `SESSION_ROWS`; `key` is the session id.
    pub by_session: Vec<Group>,
    /// Sessions with at least one judged image, of which `by_session` shows the worst.
    pub sessions_judged: u64,
    pub placeholders: Vec<Placeholder>,
    pub failing_pairs: FailingPairs,
    pub raters: Raters,
}

pub const SESSION_ROWS: usize = 100;

/// An image is *judged* when a rater gave it a status (OK or KO); it is *KO* when any rater
/// said KO. Rates are out of judged images.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Totals {
    pub sessions: u64,
    pub test_sessions: u64,
    pub failed_sessions: u64,
    pub archived_sessions: u64,
    pub sessions_in_trash: u64,
    pub images: u64,
    pub broken_images: u64,
    pub images_in_trash: u64,
    pub rated: u64,
    pub unrated: u64,
    pub liked: u64,
    pub perfect: u64,
    pub imperfect: u64,
    pub ok: u64,
    pub ko: u64,
    pub judged: u64,
    pub ko_rate: Option<Rate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CategoryCount {
    pub category: String,
    pub label: String,
    /// Judged images some rater put in this category.
    pub images: u64,
    /// `images` out of all judged images, with its interval.
    pub rate: Option<Rate>,
}

/// Images grouped by something of their session (model, sampler, week...).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Group {
    /// The gallery filter value for this group (`(none)` when the sessions do not say).
    pub key: String,
    pub name: String,
    pub sessions: u64,
    pub images: u64,
    pub rated: u64,
    pub liked: u64,
    pub judged: u64,
    pub ko: u64,
    pub ko_rate: Option<Rate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Placeholder {
    pub placeholder: String,
    /// Worst first: by the upper bound of the success rate's interval, so a value must fail
    /// often *and* on enough images to come first.
    pub values: Vec<PlaceholderValue>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlaceholderValue {
    pub value: String,
    pub images: u64,
    pub judged: u64,
    pub ko: u64,
    /// OK out of judged, with its 95 % Wilson interval.
    pub success_rate: Option<Rate>,
    pub common_category: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FailingPairs {
    /// Pairs with at least `min_occurrences` judged images: all tested, all corrected for.
    pub tested: u64,
    /// Of those, how many stand out (q <= `FDR`, above both single rates); `pairs` keeps those
    /// that also reach the failure threshold.
    pub significant: u64,
    pub fdr: f64,
    /// The beta prior fitted to the tested pairs' KO rates (None with too few pairs).
    pub prior: Option<BetaPrior>,
    /// Highest shrunk rate first.
    pub pairs: Vec<FailingPair>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PairPart {
    Value { placeholder: String, value: String },
    Model { model: String },
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FailingPair {
    /// "Subject=cat + Setting=beach", or "Subject=cat × sd_v15".
    pub pattern: String,
    pub first: PairPart,
    pub second: PairPart,
    /// KO out of judged images that carry both.
    pub failure_rate: f64,
    pub sample_count: u64,
    pub failures: u64,
    /// What either part alone predicts: the higher KO rate of the first without the second
    /// and the second without the first.
    pub expected_rate: f64,
    pub shrunk_rate: f64,
    /// Fisher's exact test (two-sided), the larger of the pair against either part alone.
    pub p_value: f64,
    /// Benjamini-Hochberg, across every tested pair.
    pub q_value: f64,
    pub common_category: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Raters {
    pub people: Vec<RaterSummary>,
    /// Judgements per person per day (by the day each judgement was first given).
    pub activity: Vec<RaterDay>,
    pub agreement: Agreement,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RaterSummary {
    pub name: String,
    pub judgements: u64,
    pub days_active: u64,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RaterDay {
    pub name: String,
    pub day: NaiveDate,
    pub judgements: u64,
}

/// Agreement on the status (OK or KO) of images that several people judged.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Agreement {
    /// Images with a status from two raters or more.
    pub images: u64,
    /// Krippendorff's alpha (nominal) over all of them, whoever rated them: the headline.
    pub alpha: Option<f64>,
    /// The same with KO split by failure category.
    pub alpha_with_category: Option<f64>,
    /// Fleiss' kappa, only when every such image has the same number of raters.
    pub fleiss_kappa: Option<f64>,
    pub fleiss_raters: Option<u64>,
    pub pairs: Vec<RaterPair>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RaterPair {
    pub first: String,
    pub second: String,
    /// Images both gave a status.
    pub shared: u64,
    pub disagreements: u64,
    pub cohen_kappa: Option<f64>,
}
