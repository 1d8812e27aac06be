//! `manifest.json` v2, as the generator writes it. Only the shape sdreview relies on is
//! checked; every other field is kept as it came.

use chrono::NaiveDateTime;
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    pub snapshot: Map<String, Value>,
    pub images: Vec<ManifestImage>,
    /// Top-level keys other than `snapshot` and `images`.
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ManifestImage {
    pub filename: String,
    pub seed: Option<i64>,
    pub prompt: Option<String>,
    pub negative_prompt: Option<String>,
    pub variations: Vec<(String, String)>,
    /// The entry's other fields, kept whole.
    pub extra: Map<String, Value>,
    /// The entry exactly as written, for the record of listed files that are missing.
    pub raw: Value,
}

impl Manifest {
    /// Parses a manifest; the error says what is wrong in words for the import report.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        let root: Value =
            serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON: {e}"))?;
        let Value::Object(mut root) = root else {
            return Err("the manifest is not a JSON object".to_owned());
        };
        let snapshot = match root.remove("snapshot") {
            Some(Value::Object(snapshot)) => snapshot,
            Some(_) => return Err("`snapshot` is not an object".to_owned()),
            None => return Err("no `snapshot` object".to_owned()),
        };
        let images = match root.remove("images") {
            Some(Value::Array(entries)) => entries
                .into_iter()
                .enumerate()
                .map(|(i, entry)| {
                    ManifestImage::parse(entry).map_err(|why| format!("images[{i}] {why}"))
                })
                .collect::<Result<Vec<_>, _>>()?,
            Some(_) => return Err("`images` is not a list".to_owned()),
            None => Vec::new(),
        };
        Ok(Manifest {
            snapshot,
            images,
            extra: root,
        })
    }

    fn path(&self, path: &[&str]) -> Option<&Value> {
        let (first, rest) = path.split_first()?;
        rest.iter()
            .try_fold(self.snapshot.get(*first)?, |value, key| value.get(key))
    }

    pub fn str_at(&self, path: &[&str]) -> Option<&str> {
        self.path(path)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    pub fn i64_at(&self, path: &[&str]) -> Option<i64> {
        self.path(path).and_then(as_i64)
    }

    pub fn f64_at(&self, path: &[&str]) -> Option<f64> {
        let value = self.path(path)?;
        value
            .as_f64()
            .or_else(|| value.as_str()?.trim().parse().ok())
    }

    /// Model name and hash from `"<model>.safetensors [<hash>]"`; nothing for `"unknown"`.
    pub fn checkpoint(&self) -> (Option<String>, Option<String>) {
        match self.str_at(&["runtime_info", "sd_model_checkpoint"]) {
            Some(text) => parse_checkpoint(text),
            None => (None, None),
        }
    }

    pub fn timestamp(&self) -> Option<NaiveDateTime> {
        self.str_at(&["timestamp"]).and_then(parse_timestamp)
    }
}

impl ManifestImage {
    fn parse(entry: Value) -> Result<ManifestImage, String> {
        let raw = entry.clone();
        let Value::Object(mut fields) = entry else {
            return Err("is not an object".to_owned());
        };
        let filename = match fields.remove("filename") {
            Some(Value::String(name)) if !name.is_empty() => name,
            _ => return Err("has no `filename`".to_owned()),
        };
        let seed = fields.remove("seed").as_ref().and_then(as_i64);
        let prompt = take_string(&mut fields, "prompt");
        let negative_prompt = take_string(&mut fields, "negative_prompt");
        let variations = match fields.remove("applied_variations") {
            Some(Value::Object(map)) => map.into_iter().map(|(k, v)| (k, value_text(&v))).collect(),
            Some(other) => {
                fields.insert("applied_variations".to_owned(), other);
                Vec::new()
            }
            None => Vec::new(),
        };
        Ok(ManifestImage {
            filename,
            seed,
            prompt,
            negative_prompt,
            variations,
            extra: fields,
            raw,
        })
    }
}

fn take_string(fields: &mut Map<String, Value>, key: &str) -> Option<String> {
    match fields.remove(key)? {
        Value::String(text) => Some(text),
        other => {
            // Not the type expected: keep it where it was rather than lose it.
            fields.insert(key.to_owned(), other);
            None
        }
    }
}

fn as_i64(value: &Value) -> Option<i64> {
    value
        .as_i64()
        .or_else(|| value.as_u64().and_then(|v| i64::try_from(v).ok()))
        .or_else(|| value.as_str()?.trim().parse().ok())
}

/// A variation value as text: strings as they are, anything else as JSON.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

pub fn parse_checkpoint(text: &str) -> (Option<String>, Option<String>) {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("unknown") {
        return (None, None);
    }
    let (file, hash) = match text.rsplit_once(" [") {
        Some((file, rest)) => (file.trim(), rest.strip_suffix(']').map(str::to_owned)),
        None => (text, None),
    };
    let name = [".safetensors", ".ckpt", ".pt", ".bin"]
        .iter()
        .find_map(|ext| file.strip_suffix(ext))
        .unwrap_or(file);
    (Some(name.to_owned()), hash.filter(|h| !h.is_empty()))
}

/// ISO 8601 with or without a zone; the wall-clock time as written is kept.
pub fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    if let Ok(with_zone) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(with_zone.naive_local());
    }
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_kept() {
        let text = br#"{"snapshot": {"version": "2.0", "future": {"x": 1}},
            "images": [{"filename": "a.png", "seed": "42", "prompt": "p", "applied_variations": {"S": "cat", "N": 3}, "score": 0.5}],
            "extra_root": true}"#;
        let manifest = Manifest::parse(text).unwrap();
        assert_eq!(manifest.snapshot["future"]["x"], 1);
        assert_eq!(manifest.extra["extra_root"], true);
        let image = &manifest.images[0];
        assert_eq!(image.seed, Some(42));
        assert_eq!(
            image.variations,
            vec![("S".into(), "cat".into()), ("N".into(), "3".into())]
        );
        assert_eq!(image.extra["score"], 0.5);
    }

    #[test]
    fn malformed_manifests_say_what_is_wrong() {
        assert!(
            Manifest::parse(b"{\"snapshot\": {")
                .unwrap_err()
                .starts_with("invalid JSON")
        );
        assert_eq!(
            Manifest::parse(b"[]").unwrap_err(),
            "the manifest is not a JSON object"
        );
        assert_eq!(Manifest::parse(b"{}").unwrap_err(), "no `snapshot` object");
        assert_eq!(
            Manifest::parse(br#"{"snapshot": {}, "images": [{"seed": 1}]}"#).unwrap_err(),
            "images[0] has no `filename`"
        );
    }

    #[test]
    fn checkpoints_and_timestamps_parse() {
        assert_eq!(
            parse_checkpoint("sd_v15.safetensors [6ce0161689]"),
            (Some("sd_v15".into()), Some("6ce0161689".into()))
        );
        assert_eq!(parse_checkpoint("unknown"), (None, None));
        assert_eq!(parse_checkpoint("model.ckpt"), (Some("model".into()), None));
        let plain = parse_timestamp("2025-03-12T10:15:00").unwrap();
        assert_eq!(parse_timestamp("2025-03-12T10:15:00+01:00"), Some(plain));
        assert_eq!(
            parse_timestamp("2025-03-12T10:15:00.123456").map(|t| t.date()),
            Some(plain.date())
        );
        assert_eq!(parse_timestamp("yesterday"), None);
    }
}

#[cfg(test)]
#[path = "manifest_props.rs"]
mod props;
