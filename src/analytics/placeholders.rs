//! Every placeholder value: how many images carry it, how many were judged, the success rate
//! with its interval, the most common failure; worst first.

use std::collections::{BTreeMap, HashMap};

use super::groups::raters_per_image;
use super::inputs::Inputs;
use super::report::{Placeholder, PlaceholderValue};
use crate::domain::stats::wilson::wilson;

#[derive(Default)]
struct Counts {
    images: u64,
    judged: u64,
    judgements: u64,
    counted: u64,
    ko: u64,
    categories: Vec<u64>,
}

pub fn placeholders(inputs: &Inputs) -> Vec<Placeholder> {
    let mut counts: HashMap<i32, Counts> = HashMap::new();
    for &(image, variation) in &inputs.image_variations {
        let entry = counts.entry(variation).or_insert_with(|| Counts {
            categories: vec![0; inputs.categories.len()],
            ..Counts::default()
        });
        let facts = inputs.images[image as usize];
        entry.images += 1;
        entry.judged += u64::from(facts.judged());
        entry.judgements += facts.judgements();
        let counted = inputs.counted(&facts);
        entry.counted += counted.counted;
        entry.ko += counted.ko;
        if counted.ko > 0 {
            inputs.tally_categories(image, &mut entry.categories);
        }
    }
    let mut by_placeholder: BTreeMap<&str, Vec<PlaceholderValue>> = BTreeMap::new();
    for (variation, counts) in counts {
        let Some((placeholder, value)) = inputs.variations.get(&variation) else {
            continue;
        };
        by_placeholder
            .entry(placeholder)
            .or_default()
            .push(PlaceholderValue {
                value: value.clone(),
                images: counts.images,
                judged: counts.judged,
                judgements: counts.judgements,
                raters_per_image: raters_per_image(counts.judgements, counts.judged),
                counted: counts.counted,
                ko: counts.ko,
                success_rate: wilson(counts.counted - counts.ko, counts.counted),
                common_category: inputs.common_category(&counts.categories),
            });
    }
    by_placeholder
        .into_iter()
        .map(|(placeholder, mut values)| {
            values.sort_by(|a, b| {
                let high = |v: &PlaceholderValue| v.success_rate.map_or(2.0, |r| r.high);
                high(a)
                    .total_cmp(&high(b))
                    .then(b.images.cmp(&a.images))
                    .then(a.value.cmp(&b.value))
            });
            Placeholder {
                placeholder: placeholder.to_owned(),
                values,
            }
        })
        .collect()
}
