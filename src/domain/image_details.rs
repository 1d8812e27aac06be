//! An image's metadata JSON (`db::image_metadata::full_metadata`) sorted into what the image
//! page shows: prompts, seed, variations, generation parameters, and whatever else is there.

use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImageDetails {
    pub prompt: Option<String>,
    pub negative_prompt: Option<String>,
    pub seed: Option<String>,
    /// (placeholder, value), in the template's order.
    pub variations: Vec<(String, String)>,
    /// The generation parameters (steps, sampler, CFG, size, model...), as the tool wrote them.
    pub parameters: Vec<(String, String)>,
    /// The whole A1111 parameters text, as it would be pasted back into the tool.
    pub parameters_text: Option<String>,
    /// Every other key, pretty-printed, so no metadata is hidden from the page.
    pub other: Option<String>,
}

/// Keys shown elsewhere on the page (file facts come from the image's own columns).
const SHOWN: [&str; 10] = [
    "prompt",
    "negative_prompt",
    "seed",
    "variations",
    "parameters_parsed",
    "parameters",
    "file_size",
    "dimensions",
    "format",
    "broken",
];

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn pairs(value: Option<&Value>) -> Vec<(String, String)> {
    value
        .and_then(Value::as_object)
        .map(|object| {
            object
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), text_of(v)?)))
                .collect()
        })
        .unwrap_or_default()
}

impl ImageDetails {
    pub fn from_metadata(metadata: &Value) -> ImageDetails {
        let field = |key: &str| metadata.get(key).and_then(text_of);
        let rest: Map<String, Value> = metadata
            .as_object()
            .map(|object| {
                object
                    .iter()
                    .filter(|(k, v)| !SHOWN.contains(&k.as_str()) && !v.is_null())
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        ImageDetails {
            prompt: field("prompt").filter(|p| !p.is_empty()),
            negative_prompt: field("negative_prompt").filter(|p| !p.is_empty()),
            seed: field("seed"),
            variations: pairs(metadata.get("variations")),
            parameters: pairs(metadata.get("parameters_parsed")),
            parameters_text: field("parameters").filter(|p| !p.is_empty()),
            other: (!rest.is_empty())
                .then(|| serde_json::to_string_pretty(&Value::Object(rest)).ok())
                .flatten(),
        }
    }
}

/// `1.4 MB`, `812 kB`, `96 B`: file sizes as people read them.
pub fn human_size(bytes: i64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    let digits = if value < 10.0 { 1 } else { 0 };
    format!("{value:.digits$} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_is_sorted_into_sections_and_nothing_is_lost() {
        let metadata = serde_json::json!({
            "seed": 42,
            "variations": {"Subject": "cat", "Style": "oil"},
            "prompt": "a cat",
            "negative_prompt": "",
            "parameters_parsed": {"Steps": "20", "Hashes": {"model": "abc"}},
            "parameters": "a cat\nSteps: 20",
            "file_size": 10,
            "manifest": {"an_unknown_field": 1},
        });
        let details = ImageDetails::from_metadata(&metadata);
        assert_eq!(details.seed.as_deref(), Some("42"));
        assert_eq!(details.negative_prompt, None);
        assert_eq!(details.variations[0], ("Subject".into(), "cat".into()));
        assert_eq!(details.parameters[1].1, r#"{"model":"abc"}"#);
        assert!(details.other.unwrap().contains("an_unknown_field"));
    }

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(human_size(96), "96 B");
        assert_eq!(human_size(4_231), "4.2 kB");
        assert_eq!(human_size(812_000), "812 kB");
        assert_eq!(human_size(1_400_000), "1.4 MB");
    }
}
