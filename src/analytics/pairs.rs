//! Failing pairs: two placeholder values (or a value and a model) whose KO rate together stands
//! out from what either alone predicts. Each pair with enough judged images is tested twice
//! with Fisher's exact test, against the first part without the second and against the second
//! without the first; its p-value is the larger of the two (it must beat both), the q-values
//! come from Benjamini-Hochberg across every tested pair, and pairs are ranked by a KO rate
//! shrunk towards all pairs' (empirical-Bayes beta-binomial, fitted by marginal likelihood),
//! so that small counts stay quiet; when the fit finds no spread beyond chance, the data cannot
//! tell the pairs apart, and they are ranked by q instead. Every tested pair is reported, not
//! only those that stand out.

use std::collections::{HashMap, HashSet};

use super::groups::raters_per_image;
use super::inputs::{Image, Inputs};
use super::report::{FailingPair, FailingPairs, MAX_TESTED_LISTED, PairPart, Spread};
use crate::domain::gallery_filter::NO_VALUE;
use crate::domain::stats::fdr::benjamini_hochberg;
use crate::domain::stats::fisher::{LogFactorials, two_sided};
use crate::domain::stats::shrinkage::PriorFit;
use crate::domain::stats::wilson::wilson;
use crate::domain::stats_request::PairKnobs;

/// The false discovery rate pairs are kept at.
pub const FDR: f64 = 0.05;
/// The report lists at most this many failing pairs (all are counted).
const MAX_PAIRS: usize = 200;
pub const CANNOT_TELL_APART: &str = "the data cannot tell these pairs apart";

/// Two values (variation ids, the smaller first), or a value and a model (by index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Values(i32, i32),
    ValueModel(i32, u32),
}

/// Judged images, the statuses given to them, and what the rule counts: `counted` (the
/// images, or the judgements under `each`) and KO among them.
#[derive(Debug, Clone, Copy, Default)]
struct Count {
    images: u64,
    judgements: u64,
    counted: u64,
    ko: u64,
}

impl Count {
    fn add(&mut self, inputs: &Inputs, image: &Image) {
        let counted = inputs.counted(image);
        self.images += 1;
        self.judgements += image.judgements();
        self.counted += counted.counted;
        self.ko += counted.ko;
    }

    fn without(self, part: Count) -> Count {
        Count {
            images: self.images - part.images,
            judgements: self.judgements - part.judgements,
            counted: self.counted - part.counted,
            ko: self.ko - part.ko,
        }
    }

    fn rate(self) -> f64 {
        if self.counted == 0 {
            0.0
        } else {
            self.ko as f64 / self.counted as f64
        }
    }
}

/// Calls `visit` with each image's index and its placeholder values.
fn each_image(inputs: &Inputs, mut visit: impl FnMut(u32, &[i32])) {
    let mut values = Vec::new();
    let rows = &inputs.image_variations;
    let mut at = 0;
    while at < rows.len() {
        let image = rows[at].0;
        values.clear();
        while at < rows.len() && rows[at].0 == image {
            values.push(rows[at].1);
            at += 1;
        }
        visit(image, &values);
    }
}

/// The keys of one image: its pairs of values of different placeholders, and each value with
/// the model (unless the knobs hold the model fixed).
fn keys_of(inputs: &Inputs, values: &[i32], model: Option<u32>, keys: &mut Vec<Key>) {
    keys.clear();
    for (x, &a) in values.iter().enumerate() {
        for &b in &values[x + 1..] {
            let placeholder = |v: i32| inputs.variations.get(&v).map(|(p, _)| p);
            if placeholder(a) != placeholder(b) {
                keys.push(Key::Values(a.min(b), a.max(b)));
            }
        }
        if let Some(model) = model {
            keys.push(Key::ValueModel(a, model));
        }
    }
}

struct Tested {
    key: Key,
    both: Count,
    expected_rate: f64,
    p_value: f64,
    /// The pair's KO rate is above both parts' alone.
    above: bool,
}

pub fn failing_pairs(inputs: &Inputs, knobs: &PairKnobs) -> FailingPairs {
    let mut models: Vec<String> = Vec::new();
    let mut model_of_session: Vec<u32> = Vec::with_capacity(inputs.sessions.len());
    for session in &inputs.sessions {
        let name = session.model.as_deref().unwrap_or(NO_VALUE);
        let at = models.iter().position(|m| m == name).unwrap_or_else(|| {
            models.push(name.to_owned());
            models.len() - 1
        });
        model_of_session.push(at as u32);
    }
    let (mut per_value, mut per_model) = (
        HashMap::<i32, Count>::new(),
        vec![Count::default(); models.len()],
    );
    let mut per_pair: HashMap<Key, Count> = HashMap::new();
    let mut counted_total = 0u64;
    for image in inputs.images.iter().filter(|i| i.judged()) {
        per_model[model_of_session[image.session as usize] as usize].add(inputs, image);
        counted_total += inputs.counted(image).counted;
    }
    let with_models = knobs.model.is_none();
    let mut keys = Vec::new();
    each_image(inputs, |image, values| {
        let facts = inputs.images[image as usize];
        if !facts.judged() {
            return;
        }
        for value in values {
            per_value.entry(*value).or_default().add(inputs, &facts);
        }
        let model = with_models.then(|| model_of_session[facts.session as usize]);
        keys_of(inputs, values, model, &mut keys);
        for key in &keys {
            per_pair.entry(*key).or_default().add(inputs, &facts);
        }
    });

    let ln_fact = LogFactorials::up_to(counted_total as usize);
    let value = |v: i32| per_value.get(&v).copied().unwrap_or_default();
    let part = |key: Key| -> (Count, Count) {
        match key {
            Key::Values(a, b) => (value(a), value(b)),
            Key::ValueModel(a, m) => (
                value(a),
                per_model.get(m as usize).copied().unwrap_or_default(),
            ),
        }
    };
    let mut tested: Vec<Tested> = per_pair
        .iter()
        .filter(|(_, both)| both.images >= knobs.min_occurrences)
        .map(|(&key, &both)| {
            let (first, second) = part(key);
            let (first_alone, second_alone) = (first.without(both), second.without(both));
            let p = |alone: Count| {
                two_sided(
                    both.ko,
                    both.counted - both.ko,
                    alone.ko,
                    alone.counted - alone.ko,
                    &ln_fact,
                )
            };
            Tested {
                key,
                both,
                expected_rate: first_alone.rate().max(second_alone.rate()),
                p_value: p(first_alone).max(p(second_alone)),
                above: both.rate() > first_alone.rate() && both.rate() > second_alone.rate(),
            }
        })
        .collect();
    tested.sort_by_key(|t| key_order(t.key));
    let q_values = benjamini_hochberg(&tested.iter().map(|t| t.p_value).collect::<Vec<_>>());
    let fit = PriorFit::fit(
        &tested
            .iter()
            .map(|t| (t.both.ko, t.both.counted))
            .collect::<Vec<_>>(),
    );
    let ranking_prior = fit.filter(|f| f.tells_apart).map(|f| f.prior);
    let shrunk = |c: Count| ranking_prior.map(|p| p.shrunk(c.ko, c.counted));
    let judged: Vec<(&Tested, f64, bool)> = tested
        .iter()
        .zip(q_values)
        .map(|(t, q)| (t, q, q <= FDR && t.above))
        .collect();
    let significant = judged.iter().filter(|(_, _, s)| *s).count();
    let mut kept: Vec<(&Tested, f64, bool)> = judged
        .iter()
        .filter(|(t, _, significant)| *significant && t.both.rate() >= knobs.failure_threshold)
        .copied()
        .collect();
    match ranking_prior {
        Some(_) => kept.sort_by(|(a, _, _), (b, _, _)| {
            shrunk(b.both)
                .unwrap_or_default()
                .total_cmp(&shrunk(a.both).unwrap_or_default())
        }),
        None => kept.sort_by(|(a, qa, _), (b, qb, _)| {
            qa.total_cmp(qb)
                .then(b.both.rate().total_cmp(&a.both.rate()))
        }),
    }
    kept.truncate(MAX_PAIRS);
    let categories = common_categories(inputs, &kept, &model_of_session, with_models);
    let part_of = |key: Key| match key {
        Key::Values(a, b) => (value_part(inputs, a), value_part(inputs, b)),
        Key::ValueModel(a, m) => (
            value_part(inputs, a),
            PairPart::Model {
                model: models[m as usize].clone(),
            },
        ),
    };
    let pair = |&(t, q_value, significant): &(&Tested, f64, bool)| {
        let (first, second) = part_of(t.key);
        FailingPair {
            pattern: pattern(&first, &second),
            first,
            second,
            failure_rate: t.both.rate(),
            sample_count: t.both.counted,
            failures: t.both.ko,
            ko_rate: wilson(t.both.ko, t.both.counted),
            judged: t.both.images,
            raters_per_image: raters_per_image(t.both.judgements, t.both.images),
            expected_rate: t.expected_rate,
            shrunk_rate: shrunk(t.both),
            p_value: t.p_value,
            q_value,
            significant,
            common_category: categories.get(&t.key).cloned().flatten(),
        }
    };
    let mut listed = judged;
    listed.sort_by(|(a, qa, _), (b, qb, _)| {
        qa.total_cmp(qb)
            .then(a.p_value.total_cmp(&b.p_value))
            .then(key_order(a.key).cmp(&key_order(b.key)))
    });
    listed.truncate(MAX_TESTED_LISTED);
    FailingPairs {
        tested: tested.len() as u64,
        significant: significant as u64,
        fdr: FDR,
        prior: fit.map(|f| f.prior),
        spread: spread(fit, tested.len()),
        ranked_by: if ranking_prior.is_some() {
            "shrunk_rate"
        } else {
            "q_value"
        }
        .to_owned(),
        pairs: kept.iter().map(pair).collect(),
        tested_pairs: listed.iter().map(pair).collect(),
    }
}

/// The fit, and what it says in words.
fn spread(fit: Option<PriorFit>, tested: usize) -> Spread {
    let Some(fit) = fit else {
        return Spread {
            note: if tested < 2 {
                "fewer than two pairs were tested: there is nothing to compare".to_owned()
            } else {
                format!("{CANNOT_TELL_APART}: none of them ever fails, or all always do")
            },
            ..Spread::default()
        };
    };
    let note = if fit.tells_apart {
        format!(
            "the pairs differ beyond chance: each is shrunk towards the mean by a prior worth \
             {:.1} images",
            fit.strength
        )
    } else {
        format!(
            "{CANNOT_TELL_APART}: their KO rates differ no more than chance alone makes them, \
             so ranking them by a shrunk rate would mean nothing"
        )
    };
    Spread {
        tells_apart: fit.tells_apart,
        strength: Some(fit.strength),
        strength_floor: Some(fit.floor),
        strength_ceiling: Some(fit.ceiling),
        likelihood_ratio: Some(fit.likelihood_ratio),
        note,
    }
}

/// A stable order for the tests (HashMap order is random; q-values do not depend on it, but a
/// report computed twice should read the same).
fn key_order(key: Key) -> (u8, i32, i64) {
    match key {
        Key::Values(a, b) => (0, a, i64::from(b)),
        Key::ValueModel(a, m) => (1, a, i64::from(m)),
    }
}

fn value_part(inputs: &Inputs, variation: i32) -> PairPart {
    let (placeholder, value) = inputs
        .variations
        .get(&variation)
        .cloned()
        .unwrap_or_default();
    PairPart::Value { placeholder, value }
}

fn pattern(first: &PairPart, second: &PairPart) -> String {
    let text = |part: &PairPart| match part {
        PairPart::Value { placeholder, value } => format!("{placeholder}={value}"),
        PairPart::Model { model } => model.clone(),
    };
    match second {
        PairPart::Model { .. } => format!("{} × {}", text(first), text(second)),
        PairPart::Value { .. } => format!("{} + {}", text(first), text(second)),
    }
}

/// The most common failure category of each kept pair's KO images (a second pass over the few
/// pairs that are shown).
fn common_categories(
    inputs: &Inputs,
    kept: &[(&Tested, f64, bool)],
    model_of_session: &[u32],
    with_models: bool,
) -> HashMap<Key, Option<String>> {
    let wanted: HashSet<Key> = kept.iter().map(|(t, _, _)| t.key).collect();
    let mut counts: HashMap<Key, Vec<u64>> = HashMap::new();
    let mut keys = Vec::new();
    each_image(inputs, |image, values| {
        let facts = inputs.images[image as usize];
        if inputs.counted(&facts).ko == 0 {
            return;
        }
        let model = with_models.then(|| model_of_session[facts.session as usize]);
        keys_of(inputs, values, model, &mut keys);
        for key in keys.iter().filter(|k| wanted.contains(k)) {
            let tally = counts
                .entry(*key)
                .or_insert_with(|| vec![0; inputs.categories.len()]);
            inputs.tally_categories(image, tally);
        }
    });
    counts
        .into_iter()
        .map(|(key, tally)| (key, inputs.common_category(&tally)))
        .collect()
}
