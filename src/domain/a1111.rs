//! The A1111 (SD WebUI) `parameters` infotext that PNGs carry.
//!
//! The text is the prompt, optionally a line starting with `Negative prompt:` (the negative
//! prompt runs from there to the key/value line), and a last line of `Key: value` pairs separated
//! by `, `:
//!
//! ```text
//! a cat, watercolor
//! Negative prompt: blurry
//! Steps: 30, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 42, Size: 512x768
//! ```
//!
//! Parsing follows A1111's `parse_generation_parameters`:
//! - a key is `\w[\w \-/]+` followed by `:` (two characters at least; Unicode letters count);
//! - a value is JSON-quoted (`"a: 1, b: 2"`, unquoted with serde_json), or an unquoted JSON
//!   object/array (`Hashes: {"vae": "c6a5"}`, kept as written), or runs to the next comma;
//! - text between pairs that is not a pair is skipped, as A1111's `findall` does;
//! - the last line is the key/value line only if it holds at least 3 pairs; otherwise it is part
//!   of the prompt (or of the negative prompt).
//!
//! Deliberate differences from A1111: CRLF line endings are accepted; only the whole prompt and
//! the whole negative prompt are trimmed (A1111 also trims each line of a multi-line prompt,
//! which loses the user's text); keys lose trailing spaces and unquoted values lose trailing
//! whitespace; `Size` is kept as one value (see [`Parameters::size`]) rather than split in two.

use serde_json::{Map, Value};

mod pairs;
use pairs::parse_pairs;

const NEGATIVE_PREFIX: &str = "Negative prompt:";
/// A last line holding fewer pairs than this is prompt text, as in A1111.
const MIN_PAIRS: usize = 3;

/// The parsed `parameters` text of one image.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Parameters {
    /// The positive prompt, surrounding whitespace trimmed, inner newlines kept.
    pub prompt: String,
    /// `None` when the text has no `Negative prompt:` line; `Some("")` when the line is empty.
    pub negative_prompt: Option<String>,
    /// The pairs of the key/value line, in order, quoted values unquoted.
    pub values: Vec<(String, String)>,
}

impl Parameters {
    /// Parses an infotext. Never fails: a text without a key/value line is all prompt.
    pub fn parse(text: &str) -> Parameters {
        let mut lines: Vec<&str> = text
            .trim()
            .split('\n')
            .map(|line| line.strip_suffix('\r').unwrap_or(line))
            .collect();
        let mut values = Vec::new();
        if let Some(last) = lines.last() {
            let pairs = parse_pairs(last);
            if pairs.len() >= MIN_PAIRS {
                values = pairs;
                lines.pop();
            }
        }
        let (prompt, negative_prompt) = split_prompts(&lines);
        Parameters {
            prompt,
            negative_prompt,
            values,
        }
    }

    /// The value of `key` (exact, case-sensitive). When a key repeats, the last one wins, as in
    /// A1111's dictionary.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn seed(&self) -> Option<i64> {
        self.get("Seed")?.trim().parse().ok()
    }

    pub fn steps(&self) -> Option<i32> {
        self.get("Steps")?.trim().parse().ok()
    }

    pub fn cfg_scale(&self) -> Option<f64> {
        let cfg: f64 = self.get("CFG scale")?.trim().parse().ok()?;
        cfg.is_finite().then_some(cfg)
    }

    /// `Size: 512x768` as `(width, height)`; both must be positive.
    pub fn size(&self) -> Option<(i32, i32)> {
        let (width, height) = self.get("Size")?.trim().split_once('x')?;
        let width: i32 = width.trim().parse().ok()?;
        let height: i32 = height.trim().parse().ok()?;
        (width > 0 && height > 0).then_some((width, height))
    }

    pub fn sampler(&self) -> Option<&str> {
        self.get("Sampler")
    }

    /// The `Schedule type` value (A1111 1.9+).
    pub fn scheduler(&self) -> Option<&str> {
        self.get("Schedule type")
    }

    pub fn model(&self) -> Option<&str> {
        self.get("Model")
    }

    pub fn model_hash(&self) -> Option<&str> {
        self.get("Model hash")
    }

    /// The pairs as a JSON object, order kept (a repeated key keeps its first position and its
    /// last value). Values are strings, except a value that is itself a JSON object or array
    /// (`Hashes: {"vae": "c6a5"}`), which becomes that JSON value. A quoted value whose content
    /// is a JSON object or array cannot be told apart once unquoted and becomes JSON as well.
    pub fn values_json(&self) -> Map<String, Value> {
        let mut map = Map::new();
        for (key, value) in &self.values {
            let json = json_container(value).unwrap_or_else(|| Value::String(value.clone()));
            map.insert(key.clone(), json);
        }
        map
    }

    /// Writes the text back as A1111 does: the prompt, `Negative prompt: ...` when there is one,
    /// then the pairs joined by `, `, a value holding `,`, `:` or a line break (or with
    /// surrounding whitespace, or starting with `"`) being JSON-quoted, and a one-line JSON
    /// object/array value written as is.
    ///
    /// `Parameters::parse(t).to_text() == t` holds for text in this canonical form: trimmed
    /// prompt and negative prompt, keys matching `\w[\w \-/]+`, at least 3 pairs, pairs joined
    /// by exactly `, `, values quoted exactly when the rule above says so, `\n` line endings.
    pub fn to_text(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !self.prompt.is_empty() {
            parts.push(self.prompt.clone());
        }
        if let Some(negative) = &self.negative_prompt {
            if negative.is_empty() {
                parts.push(NEGATIVE_PREFIX.to_string());
            } else {
                parts.push(format!("{NEGATIVE_PREFIX} {negative}"));
            }
        }
        if !self.values.is_empty() {
            let pairs: Vec<String> = self
                .values
                .iter()
                .map(|(key, value)| format!("{}: {}", format_key(key), format_value(value)))
                .collect();
            parts.push(pairs.join(", "));
        }
        parts.join("\n")
    }
}

/// Splits the lines before the key/value line into prompt and negative prompt.
fn split_prompts(lines: &[&str]) -> (String, Option<String>) {
    let mut prompt: Vec<&str> = Vec::new();
    let mut negative: Option<Vec<&str>> = None;
    for line in lines {
        if let Some(rest) = line.trim_start().strip_prefix(NEGATIVE_PREFIX) {
            negative
                .get_or_insert_with(Vec::new)
                .push(rest.trim_start());
        } else if let Some(negative) = negative.as_mut() {
            negative.push(line);
        } else {
            prompt.push(line);
        }
    }
    let prompt = prompt.join("\n").trim().to_string();
    let negative = negative.map(|lines| lines.join("\n").trim().to_string());
    (prompt, negative)
}

/// A key written back into the key/value line. A key has two characters at least; a one-letter
/// key was read from `k :` (the space trimmed), so it is written that way to read back.
fn format_key(key: &str) -> String {
    if key.chars().nth(1).is_none() {
        format!("{key} ")
    } else {
        key.to_string()
    }
}

/// A value written back into the key/value line.
fn format_value(value: &str) -> String {
    if !value.contains(['\n', '\r']) && json_container(value).is_some() {
        return value.to_string();
    }
    let needs_quotes =
        value.contains([',', ':', '\n', '\r']) || value.starts_with('"') || value.trim() != value;
    if needs_quotes {
        serde_json::to_string(value).unwrap_or_else(|_| value.to_string())
    } else {
        value.to_string()
    }
}

/// `value` parsed as JSON when it is a JSON object or array.
pub(crate) fn json_container(value: &str) -> Option<Value> {
    if !(value.starts_with('{') || value.starts_with('[')) {
        return None;
    }
    match serde_json::from_str::<Value>(value) {
        Ok(json @ (Value::Object(_) | Value::Array(_))) => Some(json),
        _ => None,
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod props;
