//! What the statistics say, as data: the page, `GET /api/analytics/stats` and `sdreview stats`
//! all show this one structure, and the cache stores it as JSON.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::stats::rule::KoRule;
use crate::domain::stats::shrinkage::BetaPrior;
use crate::domain::stats::wilson::Rate;
use crate::domain::stats_request::PairKnobs;

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = StatsReport)]
pub struct Report {
    /// The gallery filter and knobs the figures are for, as a query string ("" for the whole
    /// library with the default knobs).
    pub query: String,
    /// What makes an image KO in every figure (`any`, `majority` or `each`).
    pub rule: KoRule,
    pub knobs: PairKnobs,
    /// RFC 3339 in UTC (a cached report written before times were UTC does not read, and is
    /// computed again).
    pub computed_at: DateTime<Utc>,
    pub totals: Totals,
    pub ko_by_category: Vec<CategoryCount>,
    pub by_model: Vec<Group>,
    pub by_sampler: Vec<Group>,
    pub by_scheduler: Vec<Group>,
    /// Prompt templates, worst first; `key` is the template's text (the gallery's `template`
    /// filter), `(none)` for the sessions whose manifest held none, named "no template
    /// recorded".
    pub by_template: Vec<Group>,
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

/// An image is *judged* when a rater gave it a status (OK or KO); what counts as KO is the
/// report's `rule`. Every KO rate is `ko` out of `counted`: judged images under `any` and
/// `majority`, judgements under `each`.
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
    /// Images some rater called OK.
    pub ok: u64,
    /// KO under the rule: images, or KO judgements under `each`.
    pub ko: u64,
    pub judged: u64,
    /// Statuses given to the judged images (one per rater each).
    pub judgements: u64,
    /// Coverage: `judgements` per judged image.
    pub raters_per_image: Option<f64>,
    /// What `ko_rate` is out of: `judged`, or `judgements` under `each`.
    pub counted: u64,
    pub ko_rate: Option<Rate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CategoryCount {
    pub category: String,
    pub label: String,
    /// KO in this category under the rule: images some rater put here (`any`), images more
    /// than half of their raters put here (`majority`), or judgements (`each`).
    pub images: u64,
    /// `images` out of the totals' `counted`, with its interval.
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
    pub judgements: u64,
    /// Coverage: `judgements` per judged image.
    pub raters_per_image: Option<f64>,
    /// What `ko_rate` is out of: `judged`, or `judgements` under `each`.
    pub counted: u64,
    /// KO under the rule, out of `counted`.
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
    pub judgements: u64,
    /// Coverage: `judgements` per judged image.
    pub raters_per_image: Option<f64>,
    /// What the rate is out of: `judged`, or `judgements` under `each`.
    pub counted: u64,
    /// KO under the rule, out of `counted`.
    pub ko: u64,
    /// Not KO out of `counted`, with its 95 % Wilson interval.
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
    /// The beta prior fitted to the tested pairs' KO counts (None when there is nothing to
    /// fit: fewer than two pairs, or none that ever fails).
    pub prior: Option<BetaPrior>,
    /// Whether the tested pairs' KO rates differ beyond chance, and the fit that says so.
    pub spread: Spread,
    /// `shrunk_rate` when the pairs can be told apart, else `q_value`: how `pairs` is ranked.
    pub ranked_by: String,
    /// The pairs that stand out and reach the threshold, best ranked first.
    pub pairs: Vec<FailingPair>,
    /// Every tested pair, significant or not, lowest q first (at most `MAX_TESTED_LISTED`;
    /// `tested` counts them all).
    pub tested_pairs: Vec<FailingPair>,
}

pub const MAX_TESTED_LISTED: usize = 2_000;

/// Can the data tell the tested pairs apart? (`domain::stats::shrinkage`)
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Spread {
    pub tells_apart: bool,
    /// alpha + beta of the prior: how many images it weighs.
    pub strength: Option<f64>,
    /// The bounds the strength was searched between: one image, and all the tested pairs'.
    pub strength_floor: Option<f64>,
    pub strength_ceiling: Option<f64>,
    /// 2·(log-likelihood with a spread − without); above 2.706 the spread is real (5 %).
    pub likelihood_ratio: Option<f64>,
    /// The finding in words.
    pub note: String,
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
    /// KO out of `sample_count`: the judged images that carry both (their judgements under
    /// `each`).
    pub failure_rate: f64,
    pub sample_count: u64,
    pub failures: u64,
    /// `failure_rate` with its 95 % Wilson interval.
    pub ko_rate: Option<Rate>,
    /// Judged images carrying both, and the statuses given to them.
    pub judged: u64,
    pub raters_per_image: Option<f64>,
    /// What either part alone predicts: the higher KO rate of the first without the second
    /// and the second without the first.
    pub expected_rate: f64,
    /// The rate shrunk towards all tested pairs'; None when the data cannot tell the pairs
    /// apart (the shrunk rates would all be the mean, and rank nothing).
    pub shrunk_rate: Option<f64>,
    /// Fisher's exact test (two-sided), the larger of the pair against either part alone.
    pub p_value: f64,
    /// Benjamini-Hochberg, across every tested pair.
    pub q_value: f64,
    /// q <= `fdr` and above both parts alone.
    pub significant: bool,
    /// Among the KO images of the pairs in `pairs` (None in `tested_pairs` otherwise).
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
