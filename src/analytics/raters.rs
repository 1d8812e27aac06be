//! Who rated what and when, and how far raters agree on the images several of them judged.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::inputs::{Inputs, Judged};
use super::report::{Agreement, RaterDay, RaterPair, RaterSummary, Raters};
use crate::domain::stats::agreement::{cohen_kappa, fleiss_kappa};
use crate::domain::stats::krippendorff::alpha_nominal;

/// 1970-01-01 as days from the common era, to turn stored day numbers into dates.
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

fn date(day: i64) -> NaiveDate {
    i32::try_from(day + UNIX_EPOCH_DAYS_FROM_CE)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .unwrap_or_default()
}

pub fn raters(inputs: &Inputs) -> Raters {
    let mut days: BTreeMap<(u32, i64), u64> = BTreeMap::new();
    for judged in &inputs.judgements {
        *days.entry((judged.user, judged.day)).or_default() += 1;
    }
    let mut people: BTreeMap<u32, RaterSummary> = BTreeMap::new();
    let mut activity = Vec::with_capacity(days.len());
    for (&(user, day), &judgements) in &days {
        let name = inputs.users[user as usize].clone();
        let summary = people.entry(user).or_insert_with(|| RaterSummary {
            name: name.clone(),
            judgements: 0,
            days_active: 0,
            first_day: date(day),
            last_day: date(day),
        });
        summary.judgements += judgements;
        summary.days_active += 1;
        summary.last_day = date(day);
        activity.push(RaterDay {
            name,
            day: date(day),
            judgements,
        });
    }
    activity.sort_by(|a, b| a.day.cmp(&b.day).then(a.name.cmp(&b.name)));
    let mut people: Vec<RaterSummary> = people.into_values().collect();
    people.sort_by(|a, b| b.judgements.cmp(&a.judgements).then(a.name.cmp(&b.name)));
    Raters {
        people,
        activity,
        agreement: agreement(inputs),
    }
}

/// The statuses given to each image by two raters or more: (user, label) with label 0 for OK
/// and 1 + category for KO (1 + number of categories when a KO has none).
fn units(inputs: &Inputs) -> Vec<Vec<(u32, usize)>> {
    let mut statuses: Vec<&Judged> = inputs.judgements.iter().filter(|j| j.status != 0).collect();
    statuses.sort_by_key(|j| (j.image, j.user));
    let unspecified = 1 + inputs.categories.len();
    let mut units: Vec<Vec<(u32, usize)>> = Vec::new();
    for chunk in statuses.chunk_by(|a, b| a.image == b.image) {
        if chunk.len() < 2 {
            continue;
        }
        units.push(
            chunk
                .iter()
                .map(|j| {
                    let label = match (j.status, j.category) {
                        (1, _) => 0,
                        (_, Some(c)) => 1 + usize::from(c),
                        _ => unspecified,
                    };
                    (j.user, label)
                })
                .collect(),
        );
    }
    units
}

fn agreement(inputs: &Inputs) -> Agreement {
    let units = units(inputs);
    let labels_with_category = 2 + inputs.categories.len();
    let status = |label: usize| usize::from(label != 0);
    let alpha = alpha_nominal(
        &units
            .iter()
            .map(|u| u.iter().map(|&(_, l)| status(l)).collect())
            .collect::<Vec<Vec<usize>>>(),
        2,
    );
    let alpha_with_category = alpha_nominal(
        &units
            .iter()
            .map(|u| u.iter().map(|&(_, l)| l).collect())
            .collect::<Vec<Vec<usize>>>(),
        labels_with_category,
    );
    let raters_per_image = units.first().map(|u| u.len() as u64);
    let same_raters = units
        .iter()
        .all(|u| Some(u.len() as u64) == raters_per_image);
    let fleiss = same_raters
        .then(|| {
            let table: Vec<Vec<u64>> = units
                .iter()
                .map(|u| {
                    let ko = u.iter().filter(|&&(_, l)| l != 0).count() as u64;
                    vec![u.len() as u64 - ko, ko]
                })
                .collect();
            fleiss_kappa(&table)
        })
        .flatten();
    let mut pairs: HashMap<(u32, u32), Vec<(usize, usize)>> = HashMap::new();
    for unit in &units {
        for (x, &(a, la)) in unit.iter().enumerate() {
            for &(b, lb) in &unit[x + 1..] {
                pairs
                    .entry((a, b))
                    .or_default()
                    .push((status(la), status(lb)));
            }
        }
    }
    let mut pairs: Vec<RaterPair> = pairs
        .into_iter()
        .map(|((a, b), labels)| RaterPair {
            first: inputs.users[a as usize].clone(),
            second: inputs.users[b as usize].clone(),
            shared: labels.len() as u64,
            disagreements: labels.iter().filter(|(x, y)| x != y).count() as u64,
            cohen_kappa: cohen_kappa(&labels, 2),
        })
        .collect();
    pairs.sort_by(|a, b| b.shared.cmp(&a.shared).then(a.first.cmp(&b.first)));
    Agreement {
        images: units.len() as u64,
        alpha,
        alpha_with_category,
        fleiss_kappa: fleiss,
        fleiss_raters: fleiss.and(raters_per_image),
        pairs,
    }
}
