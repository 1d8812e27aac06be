//! Recommendations for the next run: for a model (and a prompt template), the placeholder
//! values to drop or keep and the pairs of values to drop, each with its evidence in words.
//! Nothing is counted again here: the figures are the statistics' `Report` for the images of
//! that model and template (its placeholder values, its overall KO rate, its failing pairs),
//! read from the statistics' cache; the KO predictor adds its weight for each value.
//! See docs/insights.md#recommendations for the rule and its limits.

use std::collections::BTreeMap;

use diesel::SqliteConnection;
use serde::{Deserialize, Serialize};

use super::cache::StatsCache;
use super::check::unknown_value;
use super::report::{FailingPair, PairPart, Report};
use crate::db::caller::Caller;
use crate::domain::stats::wilson::{Rate, wilson};
use crate::domain::stats_request::{FieldError, StatsRequest};
use crate::error::AppResult;
use crate::predict::Predictor;

/// The parameters the recommendations take (page, API and command line alike).
pub const PARAMETERS: [&str; 2] = ["model", "template"];

/// For whom the recommendations are: a model and a template, either of which may be left open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub model: Option<String>,
    pub template: Option<String>,
}

impl Scope {
    /// Query pairs; anything but `model` and `template` is refused, naming those two.
    pub fn parse(pairs: &[(String, String)]) -> Result<Scope, FieldError> {
        let mut scope = Scope::default();
        for (key, value) in pairs {
            let value = Some(value.trim().to_owned()).filter(|v| !v.is_empty());
            match key.as_str() {
                "model" => scope.model = value,
                "template" => scope.template = value,
                other => {
                    return Err(FieldError {
                        valid: PARAMETERS.iter().map(|p| p.to_string()).collect(),
                        ..FieldError::new(
                            other,
                            format!(
                                "unknown parameter `{other}`: the recommendations take `model` \
                                 and `template` only"
                            ),
                        )
                    });
                }
            }
        }
        Ok(scope)
    }

    /// The statistics' query for the same images: the gallery's `model` and `template`.
    pub fn pairs(&self) -> Vec<(String, String)> {
        [("model", &self.model), ("template", &self.template)]
            .into_iter()
            .filter_map(|(key, value)| value.clone().map(|v| (key.to_owned(), v)))
            .collect()
    }

    /// "with sd_v15 and the template portrait", "with every model".
    pub fn words(&self) -> String {
        match (&self.model, &self.template) {
            (Some(model), Some(template)) => format!("with {model} and the template {template}"),
            (Some(model), None) => format!("with {model}"),
            (None, Some(template)) => format!("with the template {template}"),
            (None, None) => "with every model".to_owned(),
        }
    }
}

/// True when `refused` is a model or template that no session used (a 422), rather than a
/// parameter this does not take (a 400).
pub fn names_nothing(refused: &FieldError) -> bool {
    !refused.valid.is_empty() && PARAMETERS.contains(&refused.field.as_str())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Advice {
    Drop,
    Keep,
}

/// One placeholder value to drop or keep, and why.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ValueAdvice {
    pub advice: Advice,
    pub placeholder: String,
    pub value: String,
    pub images: u64,
    pub judged: u64,
    pub ko: u64,
    /// KO out of judged, with its 95 % Wilson interval.
    pub ko_rate: Rate,
    /// The KO predictor's weight for this value (`Expression=angry`): log-odds it adds with
    /// everything else the predictor knows held fixed; None before training or for a value
    /// on too few images to be a feature.
    pub weight: Option<f64>,
    /// What the predictor says of an image with this value that is otherwise typical of the
    /// scope: the logistic of (the scope's KO log-odds + `weight`).
    pub predicted_ko: Option<f64>,
    /// The evidence in words: "drop Expression=angry with sd_v15: 34 of 40 KO (72–93 %),
    /// predicted 0.81".
    pub evidence: String,
}

/// A pair of values that fails together more than either alone: the statistics' failing pair.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PairAdvice {
    pub pattern: String,
    pub first: PairPart,
    pub second: PairPart,
    pub judged: u64,
    pub ko: u64,
    pub ko_rate: Rate,
    /// The higher KO rate of either value without the other.
    pub expected_rate: f64,
    /// Benjamini-Hochberg q-value of the pair's Fisher test.
    pub q_value: f64,
    pub evidence: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Recommendations {
    pub model: Option<String>,
    pub template: Option<String>,
    pub judged: u64,
    pub ko: u64,
    /// The scope's KO rate (KO out of judged): what each value is compared with.
    pub baseline: Option<Rate>,
    /// A value needs at least this many judged images before it is recommended either way
    /// (the failing pairs' `min_occurrences`).
    pub min_judged: u64,
    /// Worst first (by the low end of the KO interval).
    pub drop: Vec<ValueAdvice>,
    /// Safest first (by the high end of the KO interval).
    pub keep: Vec<ValueAdvice>,
    /// Highest shrunk KO rate first, as the statistics rank them.
    pub drop_pairs: Vec<PairAdvice>,
    /// Values judged often enough whose interval holds the baseline: no call either way.
    pub undecided: u64,
    /// Values on fewer than `min_judged` judged images.
    pub too_few: u64,
    /// The predictor training whose weights are quoted; None before the first.
    pub predictor_run: Option<i32>,
}

/// "72–93 %".
fn interval(rate: &Rate) -> String {
    format!(
        "{:.0}–{:.0} %",
        (rate.low * 100.0).floor(),
        (rate.high * 100.0).ceil()
    )
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(0.001, 0.999);
    (p / (1.0 - p)).ln()
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// The recommendations for `scope`, or why its model or template names nothing in the library.
pub fn load(
    conn: &mut SqliteConnection,
    cache: &StatsCache,
    scope: &Scope,
    caller: Caller,
) -> AppResult<Result<Recommendations, FieldError>> {
    let request = match StatsRequest::parse(&scope.pairs()) {
        Ok(request) => request,
        Err(refused) => return Ok(Err(refused)),
    };
    if let Some(refused) = unknown_value(conn, &request)? {
        return Ok(Err(refused));
    }
    let report = cache.report(conn, &request, caller)?;
    let predictor = crate::predict::run::latest(conn)?;
    Ok(Ok(advise(
        &report,
        scope,
        predictor
            .as_ref()
            .map(|(run, predictor, _, _)| (*run, predictor)),
    )))
}

/// The rule: a value judged on at least `min_judged` images is dropped when the low end of
/// its KO interval is above the scope's KO rate, kept when the high end is below it.
pub fn advise(
    report: &Report,
    scope: &Scope,
    predictor: Option<(i32, &Predictor)>,
) -> Recommendations {
    let baseline = report.totals.ko_rate;
    let min_judged = report.knobs.min_occurrences;
    let words = scope.words();
    let (mut drop, mut keep) = (Vec::new(), Vec::new());
    let (mut undecided, mut too_few) = (0, 0);
    for placeholder in &report.placeholders {
        for value in &placeholder.values {
            let Some(ko_rate) = wilson(value.ko, value.counted) else {
                too_few += 1;
                continue;
            };
            if value.judged < min_judged {
                too_few += 1;
                continue;
            }
            let Some(base) = baseline else { continue };
            let advice = if ko_rate.low > base.rate {
                Advice::Drop
            } else if ko_rate.high < base.rate {
                Advice::Keep
            } else {
                undecided += 1;
                continue;
            };
            let feature = format!("{}={}", placeholder.placeholder, value.value);
            let weight = predictor.and_then(|(_, p)| p.weight_of(&feature));
            let predicted_ko = weight.map(|w| round(logistic(logit(base.rate) + w)));
            let verb = match advice {
                Advice::Drop => "drop",
                Advice::Keep => "keep",
            };
            let mut evidence = format!(
                "{verb} {feature} {words}: {} of {} KO ({})",
                value.ko,
                value.counted,
                interval(&ko_rate)
            );
            if let Some(p) = predicted_ko {
                evidence.push_str(&format!(", predicted {p:.2}"));
            }
            let item = ValueAdvice {
                advice,
                placeholder: placeholder.placeholder.clone(),
                value: value.value.clone(),
                images: value.images,
                judged: value.judged,
                ko: value.ko,
                ko_rate,
                weight: weight.map(round),
                predicted_ko,
                evidence,
            };
            match advice {
                Advice::Drop => drop.push(item),
                Advice::Keep => keep.push(item),
            }
        }
    }
    drop.sort_by(|a, b| b.ko_rate.low.total_cmp(&a.ko_rate.low));
    keep.sort_by(|a, b| a.ko_rate.high.total_cmp(&b.ko_rate.high));
    Recommendations {
        model: scope.model.clone(),
        template: scope.template.clone(),
        judged: report.totals.judged,
        ko: report.totals.ko,
        baseline,
        min_judged,
        drop,
        keep,
        drop_pairs: report
            .failing_pairs
            .pairs
            .iter()
            .filter_map(|pair| pair_advice(pair, &words))
            .collect(),
        undecided,
        too_few,
        predictor_run: predictor.map(|(run, _)| run),
    }
}

fn pair_advice(pair: &FailingPair, words: &str) -> Option<PairAdvice> {
    let ko_rate = wilson(pair.failures, pair.sample_count)?;
    Some(PairAdvice {
        evidence: format!(
            "drop {} together {words}: {} of {} KO ({}), either alone at most {:.0} %",
            pair.pattern,
            pair.failures,
            pair.sample_count,
            interval(&ko_rate),
            pair.expected_rate * 100.0
        ),
        pattern: pair.pattern.clone(),
        first: pair.first.clone(),
        second: pair.second.clone(),
        judged: pair.sample_count,
        ko: pair.failures,
        ko_rate,
        expected_rate: pair.expected_rate,
        q_value: pair.q_value,
    })
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// What a generator reads: the values to keep and to drop per placeholder, and the pairs not
/// to combine (`{"Expression": "angry", "Setting": "beach"}`; a pair with a model names it
/// under `model`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ValuesFile {
    pub model: Option<String>,
    pub template: Option<String>,
    pub keep: BTreeMap<String, Vec<String>>,
    pub drop: BTreeMap<String, Vec<String>>,
    pub drop_pairs: Vec<BTreeMap<String, String>>,
}

impl ValuesFile {
    pub fn new(recommendations: &Recommendations) -> ValuesFile {
        let by_placeholder = |items: &[ValueAdvice]| {
            let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for item in items {
                map.entry(item.placeholder.clone())
                    .or_default()
                    .push(item.value.clone());
            }
            map
        };
        let part = |part: &PairPart| match part {
            PairPart::Value { placeholder, value } => (placeholder.clone(), value.clone()),
            PairPart::Model { model } => ("model".to_owned(), model.clone()),
        };
        ValuesFile {
            model: recommendations.model.clone(),
            template: recommendations.template.clone(),
            keep: by_placeholder(&recommendations.keep),
            drop: by_placeholder(&recommendations.drop),
            drop_pairs: recommendations
                .drop_pairs
                .iter()
                .map(|pair| {
                    [part(&pair.first), part(&pair.second)]
                        .into_iter()
                        .collect()
                })
                .collect(),
        }
    }

    /// Whether an image with these values is one the file recommends making again: none of
    /// its values is dropped and no dropped pair is among them.
    pub fn allows(&self, values: &[(String, String)]) -> bool {
        let has = |placeholder: &str, value: &str| {
            values
                .iter()
                .any(|(p, v)| p.as_str() == placeholder && v.as_str() == value)
        };
        let dropped = values.iter().any(|(placeholder, value)| {
            self.drop
                .get(placeholder)
                .is_some_and(|dropped| dropped.contains(value))
        });
        let in_dropped_pair = self.drop_pairs.iter().any(|pair| {
            pair.iter()
                .filter(|(placeholder, _)| placeholder.as_str() != "model")
                .all(|(placeholder, value)| has(placeholder, value))
        });
        !dropped && !in_dropped_pair
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(query).unwrap()
    }

    #[test]
    fn the_scope_takes_a_model_and_a_template_and_names_them_when_refusing() {
        let scope = Scope::parse(&pairs("model=sd_v15&template=portrait")).unwrap();
        assert_eq!(scope.words(), "with sd_v15 and the template portrait");
        let err = Scope::parse(&pairs("model=sd_v15&colour=red")).unwrap_err();
        assert_eq!(err.field, "colour");
        assert_eq!(err.valid, vec!["model", "template"]);
        assert_eq!(Scope::parse(&pairs("model=")).unwrap(), Scope::default());
    }

    #[test]
    fn an_interval_is_written_outwards_in_whole_percents() {
        let rate = wilson(34, 40).unwrap();
        assert_eq!(interval(&rate), "70–93 %");
    }

    #[test]
    fn the_values_file_refuses_a_dropped_value_and_a_dropped_pair_only() {
        let file = ValuesFile {
            model: None,
            template: None,
            keep: BTreeMap::new(),
            drop: [("Expression".to_owned(), vec!["angry".to_owned()])].into(),
            drop_pairs: vec![
                [
                    ("Subject".to_owned(), "cat".to_owned()),
                    ("Setting".to_owned(), "beach".to_owned()),
                ]
                .into(),
            ],
        };
        let values = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(p, v)| (p.to_string(), v.to_string()))
                .collect()
        };
        assert!(!file.allows(&values(&[("Expression", "angry")])));
        assert!(!file.allows(&values(&[("Subject", "cat"), ("Setting", "beach")])));
        assert!(file.allows(&values(&[("Subject", "cat"), ("Setting", "forest")])));
        assert!(file.allows(&values(&[("Expression", "calm")])));
    }
}
