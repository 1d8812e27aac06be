//! Draws a realistic session recipe: a 150-350 character template with 2-3 placeholders, a
//! negative prompt, a model and WebUI settings.

use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};

use super::recipe::{Placeholder, Recipe};
use super::vocab;

/// How unusual a drawn recipe should be.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Flavour {
    /// Subjects outside Latin-1 (so PNG parameters go to iTXt).
    pub unicode: bool,
    /// A prompt over several lines.
    pub multiline: bool,
    /// Write `Hashes` and `Lora hashes` in the infotext.
    pub hashes: bool,
}

pub(crate) fn draw_recipe(rng: &mut StdRng, flavour: Flavour, requested: usize) -> Recipe {
    let placeholders = draw_placeholders(rng, flavour.unicode);
    let template = draw_template(rng, &placeholders, flavour.multiline);
    let model = (!rng.random_bool(0.05)).then(|| {
        let (name, hash) = vocab::MODELS
            .choose(rng)
            .copied()
            .unwrap_or(("sd_v15", "6ce0161689"));
        (name.to_string(), hash.to_string())
    });
    let (width, height) = *[(512, 768), (512, 768), (768, 512), (512, 512)]
        .choose(rng)
        .unwrap_or(&(512, 768));
    let negative_length = rng.random_range(80..150);
    let negative = draw_tags(rng, vocab::NEGATIVE, negative_length);
    Recipe {
        template,
        negative,
        placeholders,
        model,
        sampler: pick(rng, vocab::SAMPLERS).to_string(),
        scheduler: pick(rng, vocab::SCHEDULERS).to_string(),
        steps: *[20, 25, 28, 30, 40].choose(rng).unwrap_or(&30),
        cfg_scale: *[5.0, 6.5, 7.0, 7.5, 9.0].choose(rng).unwrap_or(&7.0),
        width,
        height,
        mode: pick(rng, &["combinatorial", "combinatorial", "random"]).to_string(),
        seed_mode: pick(
            rng,
            &["fixed", "progressive", "progressive", "random", "sweep"],
        )
        .to_string(),
        base_seed: rng.random_range(0..u64::from(u32::MAX)),
        requested,
        enable_hr: rng.random_bool(0.1),
        hashes_dict: flavour.hashes || rng.random_bool(0.3),
        lora: flavour.hashes || rng.random_bool(0.1),
        version: pick(rng, vocab::VERSIONS).to_string(),
    }
}

fn draw_placeholders(rng: &mut StdRng, unicode: bool) -> Vec<Placeholder> {
    let (first, others) = vocab::PLACEHOLDERS.split_at(1);
    let extra = rng.random_range(1..=2);
    let mut chosen: Vec<&(&str, &[&str])> = others.choose_multiple(rng, extra).collect();
    chosen.insert(0, &first[0]);
    chosen
        .into_iter()
        .map(|(name, values)| {
            let pool: &[&str] = if unicode && *name == "Subject" {
                vocab::UNICODE_SUBJECTS
            } else {
                values
            };
            let mut available: Vec<String> = pool.iter().map(|v| v.to_string()).collect();
            available.shuffle(rng);
            available.truncate(rng.random_range(3..=pool.len().clamp(3, 6)));
            Placeholder {
                name: name.to_string(),
                available,
            }
        })
        .collect()
}

fn draw_template(rng: &mut StdRng, placeholders: &[Placeholder], multiline: bool) -> String {
    let mut head = format!("{}, a portrait of a {{Subject}}", pick(rng, vocab::QUALITY));
    for placeholder in placeholders.iter().skip(1) {
        let joiner = match placeholder.name.as_str() {
            "Setting" => " in ",
            "Style" => ", in the style of ",
            _ => ", ",
        };
        head.push_str(joiner);
        head.push('{');
        head.push_str(&placeholder.name);
        head.push('}');
    }
    let target = rng.random_range(170..300usize);
    let tail = draw_tags(
        rng,
        vocab::FILLER,
        target.saturating_sub(head.len()).max(40),
    );
    let separator = if multiline { ",\nBREAK\n" } else { ", " };
    format!("{head}{separator}{tail}")
}

/// Comma-separated tags from `pool`, drawn without repeats until about `length` characters.
fn draw_tags(rng: &mut StdRng, pool: &[&str], length: usize) -> String {
    let mut tags: Vec<&str> = pool.to_vec();
    tags.shuffle(rng);
    let mut out = String::new();
    for tag in tags {
        if out.len() >= length {
            break;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(tag);
    }
    out
}

pub(crate) fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or_default()
}
