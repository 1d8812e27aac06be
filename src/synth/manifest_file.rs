//! The generator's own session records: `manifest.json` v2 and the older `session_config.txt`.

use chrono::NaiveDateTime;
use serde_json::{Map, Value, json};

use super::recipe::{ImageMeta, Recipe};

/// `manifest.json` v2 for a session: the snapshot of its recipe, then one entry per listed file
/// (`(filename, metadata)`). Unknown fields are included on purpose (`some_future_field` in the
/// snapshot, `an_unknown_field` on every image): an importer must keep them.
pub fn manifest_json(recipe: &Recipe, timestamp: &str, listed: &[(&str, &ImageMeta)]) -> Value {
    let checkpoint = match &recipe.model {
        Some((name, hash)) => format!("{name}.safetensors [{hash}]"),
        None => "unknown".to_string(),
    };
    let images: Vec<Value> = listed
        .iter()
        .map(|(filename, meta)| {
            json!({
                "filename": filename,
                "seed": meta.seed,
                "prompt": meta.prompt,
                "negative_prompt": recipe.negative,
                "applied_variations": applied_object(&meta.applied),
                "an_unknown_field": 1,
            })
        })
        .collect();
    json!({
        "snapshot": {
            "version": "2.0",
            "timestamp": timestamp,
            "runtime_info": { "sd_model_checkpoint": checkpoint, "webui_version": recipe.version },
            "resolved_template": { "prompt": recipe.template, "negative": recipe.negative },
            "generation_params": {
                "mode": recipe.mode,
                "seed_mode": recipe.seed_mode,
                "base_seed": recipe.base_seed,
                "num_images": recipe.requested,
                "total_combinations": recipe.total_combinations(),
            },
            "api_params": api_params(recipe),
            "variations": variations(recipe, listed),
            "some_future_field": { "upscaler": null, "tags": ["synthetic"], "depth": { "level": 2 } },
        },
        "images": images,
    })
}

fn api_params(recipe: &Recipe) -> Value {
    json!({
        "steps": recipe.steps,
        "cfg_scale": recipe.cfg_scale,
        "width": recipe.width,
        "height": recipe.height,
        "sampler_name": recipe.sampler,
        "scheduler": recipe.scheduler,
        "batch_size": 1,
        "n_iter": 1,
        "enable_hr": recipe.enable_hr,
        "hr_scale": 2,
        "denoising_strength": 0.5,
        "alwayson_scripts": {},
        "override_settings": {},
        "restore_faces": false,
    })
}

fn applied_object(applied: &[(String, String)]) -> Value {
    let map: Map<String, Value> = applied
        .iter()
        .map(|(name, value)| (name.clone(), Value::String(value.clone())))
        .collect();
    Value::Object(map)
}

fn variations(recipe: &Recipe, listed: &[(&str, &ImageMeta)]) -> Value {
    let mut out = Map::new();
    for placeholder in &recipe.placeholders {
        let mut used: Vec<&str> = Vec::new();
        for (_, meta) in listed {
            for (name, value) in &meta.applied {
                if *name == placeholder.name && !used.contains(&value.as_str()) {
                    used.push(value);
                }
            }
        }
        out.insert(
            placeholder.name.clone(),
            json!({ "available": placeholder.available, "used": used, "count": used.len() }),
        );
    }
    Value::Object(out)
}

/// An invalid manifest: the first half of a real one (a write cut short), or nothing at all.
pub fn broken_manifest_text(manifest: &Value, empty: bool) -> String {
    if empty {
        return String::new();
    }
    let text = manifest.to_string();
    let mut cut = text.len() / 2;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text[..cut].to_string()
}

/// The free-text `session_config.txt` of older generator versions, with French labels and one
/// label an importer does not know.
pub fn session_config_text(
    name: &str,
    when: NaiveDateTime,
    recipe: &Recipe,
    first: &ImageMeta,
) -> String {
    let model = recipe
        .model
        .as_ref()
        .map_or("inconnu", |(name, _)| name.as_str());
    format!(
        "=== Configuration de session ===\n\
         Date de génération: {}\n\
         Nom de session: {name}\n\
         Prompt de base: {}\n\
         Prompt négatif: {}\n\
         seed: {}\n\
         max_images: {}\n\
         Modèle utilisé: {model}\n\
         Remarque: généré avec l'ancien script\n",
        when.format("%Y-%m-%d %H:%M:%S"),
        first.prompt,
        recipe.negative,
        recipe.base_seed,
        recipe.requested,
    )
}
