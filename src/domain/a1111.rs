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

const NEGATIVE_PREFIX: &str = "Negative prompt:";
/// A last line holding fewer pairs than this is prompt text, as in A1111.
const MIN_PAIRS: usize = 3;
/// Characters that scanning unquoted JSON values may visit per byte of the line (plus a fixed
/// allowance), so that pathological input such as `k: {k: {k: {...` stays linear.
const JSON_SCAN_FACTOR: usize = 4;
const JSON_SCAN_ALLOWANCE: usize = 65_536;

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
                .map(|(key, value)| format!("{key}: {}", format_value(value)))
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
fn json_container(value: &str) -> Option<Value> {
    if !(value.starts_with('{') || value.starts_with('[')) {
        return None;
    }
    match serde_json::from_str::<Value>(value) {
        Ok(json @ (Value::Object(_) | Value::Array(_))) => Some(json),
        _ => None,
    }
}

/// What an attempt to read a pair at one position of the line gave.
enum Attempt {
    Pair {
        key: String,
        value: String,
        end: usize,
    },
    NoPair {
        next: usize,
    },
}

/// All pairs of a line, as A1111's `re_param.findall(line)` finds them.
fn parse_pairs(line: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut budget = line
        .len()
        .saturating_mul(JSON_SCAN_FACTOR)
        .saturating_add(JSON_SCAN_ALLOWANCE);
    let mut pos = 0;
    while pos < line.len() {
        match pair_at(line, pos, &mut budget) {
            Attempt::Pair { key, value, end } => {
                pairs.push((key, value));
                pos = end;
            }
            Attempt::NoPair { next } => pos = next,
        }
    }
    pairs
}

/// The text of `s` from byte `i`; empty when `i` is past the end or not a char boundary.
fn tail(s: &str, i: usize) -> &str {
    s.get(i..).unwrap_or("")
}

/// The first index at or after `i` that is not whitespace.
fn skip_whitespace(s: &str, i: usize) -> usize {
    let rest = tail(s, i);
    i + (rest.len() - rest.trim_start().len())
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_key_char(c: char) -> bool {
    is_word(c) || matches!(c, ' ' | '-' | '/')
}

/// Tries to read `\s*key:\s*value(,|$)` at `pos`. On failure, says where the next attempt may
/// start: every position skipped would fail the same way, which keeps the scan linear.
fn pair_at(line: &str, pos: usize, budget: &mut usize) -> Attempt {
    let key_start = skip_whitespace(line, pos);
    let after_ws = tail(line, key_start);
    let Some(first) = after_ws.chars().next() else {
        return Attempt::NoPair { next: line.len() };
    };
    if !is_word(first) {
        return Attempt::NoPair {
            next: key_start + first.len_utf8(),
        };
    }
    let key_len = after_ws
        .find(|c: char| !is_key_char(c))
        .unwrap_or(after_ws.len());
    let key_end = key_start + key_len;
    let key = after_ws.get(..key_len).unwrap_or("");
    if key.chars().nth(1).is_none() || !tail(line, key_end).starts_with(':') {
        return Attempt::NoPair { next: key_end };
    }
    let key = key.trim_end().to_string();
    let value_start = skip_whitespace(line, key_end + 1);
    let (value, end) = read_value(line, value_start, budget);
    Attempt::Pair { key, value, end }
}

/// Reads the value starting at `start`; returns it and the index after its separator.
fn read_value(line: &str, start: usize, budget: &mut usize) -> (String, usize) {
    let rest = tail(line, start);
    if rest.starts_with('"')
        && let Some(len) = quoted_len(rest)
        && let Some(end) = after_separator(line, start + len)
    {
        return (unquote(rest.get(..len).unwrap_or("")), end);
    }
    if (rest.starts_with('{') || rest.starts_with('['))
        && let Some(len) = bracketed_len(rest, budget)
        && let Some(raw) = rest.get(..len)
        && json_container(raw).is_some()
        && let Some(end) = after_separator(line, start + len)
    {
        return (raw.to_string(), end);
    }
    let (len, end) = match rest.find(',') {
        Some(comma) => (comma, start + comma + 1),
        None => (rest.len(), line.len()),
    };
    let raw = rest.get(..len).unwrap_or("").trim_end();
    let value = if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') {
        unquote(raw)
    } else {
        raw.to_string()
    };
    (value, end)
}

/// After a quoted or JSON value: optional whitespace, then a comma or the end of the line.
fn after_separator(line: &str, i: usize) -> Option<usize> {
    let i = skip_whitespace(line, i);
    let rest = tail(line, i);
    if rest.is_empty() {
        Some(line.len())
    } else if rest.starts_with(',') {
        Some(i + 1)
    } else {
        None
    }
}

/// The length of `"(?:\\.|[^\\"])+"` at the start of `s`.
fn quoted_len(s: &str) -> Option<usize> {
    let mut chars = s.char_indices().skip(1);
    let mut inner = 0usize;
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next()?;
                inner += 1;
            }
            '"' => return (inner > 0).then_some(i + 1),
            _ => inner += 1,
        }
    }
    None
}

/// The length of the bracketed text at the start of `s`, up to the bracket that closes the
/// first one, skipping over JSON strings. Spends `budget`; gives up when it runs out.
fn bracketed_len(s: &str, budget: &mut usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        *budget = budget.checked_sub(1)?;
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// A1111's `unquote`: the JSON string's content, or the text unchanged if it is not one.
fn unquote(raw: &str) -> String {
    serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANONICAL: &str = "a cat, watercolor\nNegative prompt: blurry, lowres\nSteps: 30, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 42, Size: 512x768, Model hash: 6ce0161689, Model: sd_v15, Version: v1.10.1";

    fn pairs(p: &Parameters) -> Vec<(&str, &str)> {
        p.values
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    #[test]
    fn a_typical_infotext_parses_into_prompt_negative_and_values() {
        let p = Parameters::parse(CANONICAL);
        assert_eq!(p.prompt, "a cat, watercolor");
        assert_eq!(p.negative_prompt.as_deref(), Some("blurry, lowres"));
        assert_eq!(p.values.len(), 9);
        assert_eq!(p.steps(), Some(30));
        assert_eq!(p.sampler(), Some("DPM++ 2M"));
        assert_eq!(p.scheduler(), Some("Karras"));
        assert_eq!(p.cfg_scale(), Some(7.0));
        assert_eq!(p.seed(), Some(42));
        assert_eq!(p.size(), Some((512, 768)));
        assert_eq!(p.model_hash(), Some("6ce0161689"));
        assert_eq!(p.model(), Some("sd_v15"));
        assert_eq!(p.get("Version"), Some("v1.10.1"));
        assert_eq!(p.get("version"), None);
    }

    const REAL_WORLD: &str = "masterpiece, best quality, 1girl, <lora:add_detail:0.5>\nNegative prompt: (worst quality, low quality:1.4), EasyNegative\nSteps: 25, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7.5, Seed: 1234567890, Size: 512x768, Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Denoising strength: 0.45, Clip skip: 2, ADetailer model: face_yolov8n.pt, ADetailer prompt: \"smile, blue eyes\", ADetailer version: 24.1.2, Hires upscale: 2, Hires upscaler: R-ESRGAN 4x+, Lora hashes: \"add_detail: 7c6bad76eb54\", TI hashes: \"EasyNegative: c74b4e810b03\", Hashes: {\"vae\": \"c6a580b13a\", \"lora:add_detail\": \"7c6bad76eb\"}, Version: v1.10.1";

    #[test]
    fn a_real_world_infotext_with_extensions_parses_and_round_trips() {
        let p = Parameters::parse(REAL_WORLD);
        assert_eq!(
            p.prompt,
            "masterpiece, best quality, 1girl, <lora:add_detail:0.5>"
        );
        assert_eq!(
            p.negative_prompt.as_deref(),
            Some("(worst quality, low quality:1.4), EasyNegative")
        );
        assert_eq!(p.values.len(), 19);
        assert_eq!(p.cfg_scale(), Some(7.5));
        assert_eq!(p.seed(), Some(1_234_567_890));
        assert_eq!(p.model(), Some("v1-5-pruned-emaonly"));
        assert_eq!(p.get("ADetailer prompt"), Some("smile, blue eyes"));
        assert_eq!(p.get("Hires upscaler"), Some("R-ESRGAN 4x+"));
        assert_eq!(p.get("Lora hashes"), Some("add_detail: 7c6bad76eb54"));
        assert_eq!(
            p.values_json()["Hashes"]["lora:add_detail"],
            Value::String("7c6bad76eb".into())
        );
        assert_eq!(p.to_text(), REAL_WORLD);
    }

    #[test]
    fn quoted_values_may_hold_commas_and_colons() {
        let p = Parameters::parse(
            "x\nSteps: 20, Lora hashes: \"a: 1, b: 2\", ADetailer prompt: \"face, \\\"smile\\\"\\nline2\", Seed: 1",
        );
        assert_eq!(p.get("Lora hashes"), Some("a: 1, b: 2"));
        assert_eq!(p.get("ADetailer prompt"), Some("face, \"smile\"\nline2"));
        assert_eq!(p.seed(), Some(1));
        assert_eq!(p.values.len(), 4);
    }

    #[test]
    fn an_unquoted_json_object_is_one_value_and_becomes_json() {
        let p = Parameters::parse(
            "x\nSteps: 20, Hashes: {\"vae\": \"c6a5\", \"model\": \"e6bb\", \"s\": \"}, {\"}, Seed: 5, TI: [1, 2]",
        );
        assert_eq!(
            p.get("Hashes"),
            Some("{\"vae\": \"c6a5\", \"model\": \"e6bb\", \"s\": \"}, {\"}")
        );
        assert_eq!(p.seed(), Some(5));
        assert_eq!(p.get("TI"), Some("[1, 2]"));
        let json = p.values_json();
        let keys: Vec<&str> = json.keys().map(String::as_str).collect();
        assert_eq!(keys, ["Steps", "Hashes", "Seed", "TI"]);
        assert_eq!(json["Steps"], Value::String("20".into()));
        assert_eq!(json["Hashes"]["model"], Value::String("e6bb".into()));
        assert_eq!(json["TI"], serde_json::json!([1, 2]));
    }

    #[test]
    fn brackets_that_are_not_json_end_at_the_comma() {
        let p = Parameters::parse("x\nSteps: 20, Wildcard: [a, b], Seed: 5, Other: {oops");
        assert_eq!(p.get("Wildcard"), Some("[a"));
        assert_eq!(p.seed(), Some(5));
        assert_eq!(p.get("Other"), Some("{oops"));
        assert_eq!(p.values_json()["Wildcard"], Value::String("[a".into()));
    }

    #[test]
    fn unicode_prompts_keys_and_values_are_kept() {
        let text = "café au lait, 日本語の猫 🐱\nNegative prompt: flou, 醜い 😡\nSteps: 20, Modèle: été, Seed: 3, Note: \"ß, ü\"";
        let p = Parameters::parse(text);
        assert_eq!(p.prompt, "café au lait, 日本語の猫 🐱");
        assert_eq!(p.negative_prompt.as_deref(), Some("flou, 醜い 😡"));
        assert_eq!(p.get("Modèle"), Some("été"));
        assert_eq!(p.get("Note"), Some("ß, ü"));
        assert_eq!(p.to_text(), text);
    }

    #[test]
    fn without_a_negative_prompt_line_the_negative_is_none() {
        let p = Parameters::parse("a dog\nSteps: 20, Seed: 1, Size: 64x64");
        assert_eq!(p.prompt, "a dog");
        assert_eq!(p.negative_prompt, None);
        assert_eq!(p.size(), Some((64, 64)));
    }

    #[test]
    fn an_empty_negative_prompt_is_some_empty() {
        let p = Parameters::parse("a dog\nNegative prompt: \nSteps: 20, Seed: 1, Size: 64x64");
        assert_eq!(p.negative_prompt.as_deref(), Some(""));
        assert_eq!(
            p.to_text(),
            "a dog\nNegative prompt:\nSteps: 20, Seed: 1, Size: 64x64"
        );
    }

    #[test]
    fn multi_line_prompt_and_negative_keep_their_newlines() {
        let text = "line one,\n  indented two\n\nfour\nNegative prompt: bad,\nworse\n\nworst\nSteps: 20, Seed: 1, Size: 64x64";
        let p = Parameters::parse(text);
        assert_eq!(p.prompt, "line one,\n  indented two\n\nfour");
        assert_eq!(p.negative_prompt.as_deref(), Some("bad,\nworse\n\nworst"));
        assert_eq!(p.to_text(), text);
    }

    #[test]
    fn a_last_line_with_fewer_than_three_pairs_stays_in_the_prompt() {
        let p = Parameters::parse("a portrait\nstyle: oil, mood: calm");
        assert_eq!(p.prompt, "a portrait\nstyle: oil, mood: calm");
        assert!(p.values.is_empty());
        let p = Parameters::parse("a portrait\nNegative prompt: x\nstyle: oil, mood: calm");
        assert_eq!(
            p.negative_prompt.as_deref(),
            Some("x\nstyle: oil, mood: calm")
        );
        assert!(p.values.is_empty());
    }

    #[test]
    fn crlf_line_endings_are_accepted() {
        let p = Parameters::parse(
            "a\r\nb\r\nNegative prompt: c\r\nd\r\nSteps: 20, Seed: 1, Size: 64x64\r\n",
        );
        assert_eq!(p.prompt, "a\nb");
        assert_eq!(p.negative_prompt.as_deref(), Some("c\nd"));
        assert_eq!(p.get("Size"), Some("64x64"));
    }

    #[test]
    fn empty_and_blank_text_give_an_empty_prompt() {
        for text in ["", "   ", "\n\r\n"] {
            let p = Parameters::parse(text);
            assert_eq!(p.prompt, "");
            assert_eq!(p.negative_prompt, None);
            assert!(p.values.is_empty());
            assert_eq!(p.to_text(), "");
        }
    }

    #[test]
    fn text_with_only_key_values_has_an_empty_prompt() {
        let text = "Steps: 20, Seed: 1, Size: 64x64";
        let p = Parameters::parse(text);
        assert_eq!(p.prompt, "");
        assert_eq!(p.values.len(), 3);
        assert_eq!(p.to_text(), text);
    }

    #[test]
    fn trailing_commas_and_extra_spaces_are_tolerated() {
        let p = Parameters::parse("x\n  Steps:20 ,  Seed :  7  ,Size: 8x9,  CFG scale: 4.5 , ");
        assert_eq!(
            pairs(&p),
            [
                ("Steps", "20"),
                ("Seed", "7"),
                ("Size", "8x9"),
                ("CFG scale", "4.5")
            ]
        );
        assert_eq!(p.seed(), Some(7));
        assert_eq!(p.cfg_scale(), Some(4.5));
    }

    #[test]
    fn text_between_pairs_that_is_no_pair_is_skipped_as_a1111_does() {
        let p = Parameters::parse("x\nSteps: 20, junk, Seed: 1, a: b, Size: 1x2");
        assert_eq!(pairs(&p), [("Steps", "20"), ("Seed", "1"), ("Size", "1x2")]);
    }

    #[test]
    fn a_quote_not_followed_by_a_comma_falls_back_to_the_comma() {
        let p = Parameters::parse("x\nSteps: 20, Odd: \"a\" b, Empty: \"\", Seed: 1");
        assert_eq!(p.get("Odd"), Some("\"a\" b"));
        assert_eq!(p.get("Empty"), Some(""));
        assert_eq!(p.seed(), Some(1));
    }

    #[test]
    fn typed_accessors_reject_bad_numbers() {
        let p = Parameters::parse("x\nSteps: many, Seed: 1.5, CFG scale: NaN, Size: 0x5");
        assert_eq!(p.steps(), None);
        assert_eq!(p.seed(), None);
        assert_eq!(p.cfg_scale(), None);
        assert_eq!(p.size(), None);
        let p = Parameters::parse("x\nSteps: 1, Seed: -1, Size: 512 x 768");
        assert_eq!(p.seed(), Some(-1));
        assert_eq!(p.size(), Some((512, 768)));
    }

    #[test]
    fn a_repeated_key_reads_its_last_value() {
        let p = Parameters::parse("x\nSeed: 1, Steps: 2, Seed: 3");
        assert_eq!(p.seed(), Some(3));
        assert_eq!(p.values_json()["Seed"], Value::String("3".into()));
        assert_eq!(p.values_json().len(), 2);
    }

    #[test]
    fn canonical_texts_round_trip() {
        let texts = [
            CANONICAL,
            "a\nb\nNegative prompt: c\nd\nSteps: 20, Seed: 1, Size: 64x64",
            "p\nSteps: 20, Lora hashes: \"a: 1, b: 2\", Hashes: {\"vae\": \"c6a5\", \"model\": \"e6bb\"}, Seed: 9",
            "p\nNegative prompt: n\nSteps: 20, Prompt: \"line\\nbreak\", Quote: \"\\\"q\\\"\", Pad: \" x \", Seed: 9",
            "日本語 ✨\nNegative prompt: 👎\nÉtapes: 20, ADetailer model 2nd: face_yolov8n.pt, Hires upscale: 2, Seed: 1",
        ];
        for text in texts {
            let p = Parameters::parse(text);
            assert_eq!(p.to_text(), text);
            assert_eq!(Parameters::parse(&p.to_text()), p);
        }
    }

    #[test]
    fn to_text_quotes_values_that_need_it() {
        let p = Parameters {
            prompt: "p".into(),
            negative_prompt: None,
            values: vec![
                ("Aa".into(), "x, y".into()),
                ("Bb".into(), "k: v".into()),
                ("Cc".into(), "two\nlines".into()),
                ("Dd".into(), "{\"a\": 1}".into()),
                ("Ee".into(), "{\n\"a\": 1}".into()),
                ("Ff".into(), "plain".into()),
            ],
        };
        let text = p.to_text();
        assert_eq!(
            text,
            "p\nAa: \"x, y\", Bb: \"k: v\", Cc: \"two\\nlines\", Dd: {\"a\": 1}, Ee: \"{\\n\\\"a\\\": 1}\", Ff: plain"
        );
        assert_eq!(Parameters::parse(&text), p);
    }

    /// A small deterministic generator, so the garbage test needs no extra crate.
    struct XorShift(u64);
    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            usize::try_from(self.next() % n as u64).unwrap_or(0)
        }
    }

    fn exercise(text: &str) {
        let p = Parameters::parse(text);
        let _ = (p.seed(), p.steps(), p.cfg_scale(), p.size(), p.sampler());
        let _ = (p.scheduler(), p.model(), p.model_hash(), p.values_json());
        let again = Parameters::parse(&p.to_text());
        let _ = again.to_text();
    }

    #[test]
    fn garbage_never_panics() {
        const ALPHABET: &[char] = &[
            'a', 'K', 'z', '0', '9', ' ', ' ', ',', ',', ':', ':', '"', '"', '\\', '{', '}', '[',
            ']', '\n', '\r', '\t', '-', '/', '_', 'é', '日', '😀', '\u{feff}', '\u{0301}', 'x',
        ];
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..3000 {
            let len = rng.below(120);
            let text: String = (0..len)
                .map(|_| ALPHABET[rng.below(ALPHABET.len())])
                .collect();
            exercise(&text);
            exercise(&format!("prompt\nSteps: 1, Seed: 2, {text}"));
        }
    }

    #[test]
    fn every_split_of_multibyte_text_parses() {
        let text = "日本語 é 🐱\nNegative prompt: ü 😡\nSteps: 20, Modèle: été, Hashes: {\"ü\": \"日\"}, Note: \"ß, 🐱\"";
        for (i, _) in text.char_indices() {
            exercise(&text[..i]);
            exercise(&text[i..]);
        }
        let bytes = text.as_bytes();
        for i in 0..=bytes.len() {
            exercise(&String::from_utf8_lossy(&bytes[..i]));
            exercise(&String::from_utf8_lossy(&bytes[i..]));
        }
    }

    #[test]
    fn pathological_lines_stay_fast() {
        let nested = "kk: {, ".repeat(50_000);
        let p = Parameters::parse(&nested);
        assert!(p.values.len() > 3);
        let words = "word ".repeat(50_000);
        assert!(Parameters::parse(&words).values.is_empty());
        let spaces = format!("{}x", " \t".repeat(50_000));
        assert!(Parameters::parse(&spaces).values.is_empty());
        let quotes = "kk: \"x\\\", ".repeat(20_000);
        let _ = Parameters::parse(&quotes);
    }
}
