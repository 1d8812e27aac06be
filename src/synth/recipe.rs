//! What one generator run was asked to do, and the metadata of each image it made.

use rand::Rng;
use rand::rngs::StdRng;

use super::a1111_text::parameters_text;
use super::vocab;

/// A `{Placeholder}` of the prompt template and the values it may take.
#[derive(Debug, Clone, PartialEq)]
pub struct Placeholder {
    pub name: String,
    pub available: Vec<String>,
}

/// A session's settings: template, model and WebUI API parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipe {
    pub template: String,
    pub negative: String,
    pub placeholders: Vec<Placeholder>,
    /// Checkpoint (name, short hash); `None` when the generator recorded "unknown".
    pub model: Option<(String, String)>,
    pub sampler: String,
    pub scheduler: String,
    pub steps: u32,
    pub cfg_scale: f64,
    pub width: u32,
    pub height: u32,
    /// "combinatorial" or "random".
    pub mode: String,
    /// "fixed", "progressive", "random" or "sweep".
    pub seed_mode: String,
    pub base_seed: u64,
    /// `num_images`: how many images were asked for.
    pub requested: usize,
    pub enable_hr: bool,
    /// Write `Hashes: {...}` (a JSON object) in the infotext.
    pub hashes_dict: bool,
    /// Write a quoted `Lora hashes: "..."` in the infotext.
    pub lora: bool,
    pub version: String,
}

/// One image's metadata, as the manifest lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageMeta {
    pub seed: u64,
    pub prompt: String,
    /// (placeholder, value) in template order.
    pub applied: Vec<(String, String)>,
}

impl Recipe {
    pub fn total_combinations(&self) -> usize {
        self.placeholders
            .iter()
            .map(|p| p.available.len().max(1))
            .product()
    }

    /// The metadata of image `index` (0-based): its seed and variations follow the modes.
    pub fn image(&self, index: usize, rng: &mut StdRng) -> ImageMeta {
        let step = index as u64;
        let seed = match self.seed_mode.as_str() {
            "fixed" => self.base_seed,
            "progressive" => self.base_seed + step,
            "sweep" => self.base_seed + step * 1000,
            _ => rng.random_range(0..u64::from(u32::MAX)),
        };
        let mut combination = index;
        let mut applied = Vec::with_capacity(self.placeholders.len());
        for placeholder in &self.placeholders {
            let n = placeholder.available.len().max(1);
            let pick = if self.mode == "combinatorial" {
                let pick = combination % n;
                combination /= n;
                pick
            } else {
                rng.random_range(0..n)
            };
            let value = placeholder.available.get(pick).cloned().unwrap_or_default();
            applied.push((placeholder.name.clone(), value));
        }
        let mut prompt = self.template.clone();
        for (name, value) in &applied {
            prompt = prompt.replace(&format!("{{{name}}}"), value);
        }
        ImageMeta {
            seed,
            prompt,
            applied,
        }
    }

    /// The A1111 `parameters` text the WebUI stored in this image.
    pub fn infotext(&self, meta: &ImageMeta) -> String {
        let mut values: Vec<(&str, String)> = vec![
            ("Steps", self.steps.to_string()),
            ("Sampler", self.sampler.clone()),
            ("Schedule type", capitalized(&self.scheduler)),
            ("CFG scale", self.cfg_scale.to_string()),
            ("Seed", meta.seed.to_string()),
            ("Size", format!("{}x{}", self.width, self.height)),
        ];
        if let Some((name, hash)) = &self.model {
            values.push(("Model hash", hash.clone()));
            values.push(("Model", name.clone()));
        }
        if self.enable_hr {
            values.push(("Denoising strength", "0.5".to_string()));
            values.push(("Hires upscale", "2".to_string()));
            values.push(("Hires upscaler", "Latent".to_string()));
        }
        if self.lora {
            let loras: Vec<String> = vocab::LORAS
                .iter()
                .map(|(name, hash)| format!("{name}: {hash}"))
                .collect();
            values.push(("Lora hashes", loras.join(", ")));
        }
        if let (true, Some((_, hash))) = (self.hashes_dict, &self.model) {
            values.push(("Hashes", format!("{{\"model\": \"{hash}\"}}")));
        }
        values.push(("Version", self.version.clone()));
        parameters_text(&meta.prompt, Some(&self.negative), &values)
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
