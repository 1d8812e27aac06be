//! The `prompt` and `workflow` JSON chunks ComfyUI writes instead of A1111 parameters.

use serde_json::{Value, json};

use super::recipe::{ImageMeta, Recipe};

/// ComfyUI's API-format graph (the `prompt` chunk).
pub fn comfy_prompt(recipe: &Recipe, meta: &ImageMeta) -> Value {
    let checkpoint = recipe
        .model
        .as_ref()
        .map_or("model.safetensors".to_string(), |(name, _)| {
            format!("{name}.safetensors")
        });
    json!({
        "3": { "class_type": "KSampler", "inputs": {
            "seed": meta.seed, "steps": recipe.steps, "cfg": recipe.cfg_scale,
            "sampler_name": "euler", "scheduler": "normal", "denoise": 1.0,
            "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0] } },
        "4": { "class_type": "CheckpointLoaderSimple", "inputs": { "ckpt_name": checkpoint } },
        "5": { "class_type": "EmptyLatentImage",
               "inputs": { "width": recipe.width, "height": recipe.height, "batch_size": 1 } },
        "6": { "class_type": "CLIPTextEncode", "inputs": { "text": meta.prompt, "clip": ["4", 1] } },
        "7": { "class_type": "CLIPTextEncode", "inputs": { "text": recipe.negative, "clip": ["4", 1] } },
        "8": { "class_type": "VAEDecode", "inputs": { "samples": ["3", 0], "vae": ["4", 2] } },
        "9": { "class_type": "SaveImage", "inputs": { "filename_prefix": "ComfyUI", "images": ["8", 0] } },
    })
}

/// ComfyUI's UI graph (the `workflow` chunk), trimmed to a few nodes and links.
pub fn comfy_workflow(meta: &ImageMeta) -> Value {
    json!({
        "last_node_id": 9,
        "last_link_id": 9,
        "nodes": [
            { "id": 3, "type": "KSampler", "pos": [863, 186], "size": [315, 262],
              "widgets_values": [meta.seed, "fixed", 20, 8, "euler", "normal", 1] },
            { "id": 6, "type": "CLIPTextEncode", "pos": [415, 186], "widgets_values": [meta.prompt] },
            { "id": 9, "type": "SaveImage", "pos": [1451, 189], "widgets_values": ["ComfyUI"] },
        ],
        "links": [[1, 4, 0, 3, 0, "MODEL"], [9, 8, 0, 9, 0, "IMAGE"]],
        "groups": [],
        "config": {},
        "extra": { "ds": { "scale": 1.0, "offset": [0, 0] } },
        "version": 0.4,
    })
}
