//! `session_config.txt`, the free-text description that the old generator wrote (in French)
//! into sessions that have no `manifest.json`:
//!
//! ```text
//! === Configuration de la session ===
//! Date de génération: 2024-05-01 10:00:00
//! Nom de session: portraits
//! Prompt de base: a portrait of {Person},
//! highly detailed
//! Prompt négatif: blurry
//! seed: 42
//! max_images: 100
//! ```
//!
//! Rules:
//! - a line `Label: value` is a field; a label is short (at most 4 words, 40 characters) and
//!   made of letters, digits, spaces, `_`, `-` and apostrophes, so prompt text such as
//!   `(masterpiece:1.2), best quality` is not mistaken for one. A leading bullet (`-`, `*`, `•`)
//!   is not part of the label;
//! - labels are matched ignoring case, accents, and `_`/`-`/space differences
//!   (`Prompt negatif`, `PROMPT NÉGATIF`, `max-images`);
//! - a line that is no field and follows a prompt label (`Prompt de base`, `Prompt négatif`)
//!   continues that value; blank lines inside such a value are kept, blank lines after it are
//!   not;
//! - separators (`===...`, `---`, `=== Title ===`) end a value and are skipped; other lines
//!   that are neither a field nor a continuation are skipped;
//! - every field, known or not, is kept in `fields` in order, with its label as written and its
//!   value trimmed (a multi-line value as one value); the known ones also fill the typed
//!   fields (last one wins; an empty or unreadable value leaves the typed field `None`).

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::Serializer;

const MAX_LABEL_CHARS: usize = 40;
const MAX_LABEL_WORDS: usize = 4;

/// Date formats, tried in order, after ` à ` has been replaced with a space.
const DATE_TIME_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
];
const DATE_FORMATS: &[&str] = &["%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d"];

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct LegacyConfig {
    /// `Date de génération`, local wall-clock time; serialized as `2024-05-01T10:00:00`.
    #[serde(serialize_with = "serialize_datetime")]
    pub generated_at: Option<NaiveDateTime>,
    pub session_name: Option<String>,
    pub prompt: Option<String>,
    pub negative_prompt: Option<String>,
    pub seed: Option<i64>,
    pub max_images: Option<i32>,
    /// Every `Label: value` in order, known and unknown.
    pub fields: Vec<(String, String)>,
}

/// The fields this module knows, by normalized label.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Known {
    GeneratedAt,
    SessionName,
    Prompt,
    NegativePrompt,
    Seed,
    MaxImages,
}

impl Known {
    fn from_label(label: &str) -> Option<Known> {
        match normalize(label).as_str() {
            "date de generation" | "date generation" | "date" | "generation date"
            | "generated at" => Some(Known::GeneratedAt),
            "nom de session" | "nom session" | "nom de la session" | "session" | "session name" => {
                Some(Known::SessionName)
            }
            "prompt de base" | "prompt base" | "prompt" | "base prompt" => Some(Known::Prompt),
            "prompt negatif" | "negatif" | "negative prompt" | "prompt negative" => {
                Some(Known::NegativePrompt)
            }
            "seed" | "graine" => Some(Known::Seed),
            "max images" | "maximages" => Some(Known::MaxImages),
            _ => None,
        }
    }

    fn is_multi_line(self) -> bool {
        matches!(self, Known::Prompt | Known::NegativePrompt)
    }
}

impl LegacyConfig {
    /// Reads the file's text. Never fails: what cannot be read is skipped.
    pub fn parse(text: &str) -> LegacyConfig {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut fields: Vec<(String, String)> = Vec::new();
        // The field a continuation line would extend, and the blank lines seen since.
        let mut open: Option<usize> = None;
        let mut blanks = 0usize;
        for line in text.split('\n') {
            let line = line.trim();
            if line.is_empty() {
                blanks += 1;
            } else if is_separator(line) {
                open = None;
            } else if let Some((label, value)) = split_field(line) {
                let multi_line = Known::from_label(label).is_some_and(Known::is_multi_line);
                fields.push((label.to_string(), value.to_string()));
                open = multi_line.then(|| fields.len() - 1);
                blanks = 0;
            } else if let Some((_, value)) = open.and_then(|i| fields.get_mut(i)) {
                if !value.is_empty() {
                    value.push_str(&"\n".repeat(blanks + 1));
                }
                value.push_str(line);
                blanks = 0;
            }
        }
        let mut config = LegacyConfig::default();
        for (label, value) in &fields {
            config.apply(label, value);
        }
        config.fields = fields;
        config
    }

    fn apply(&mut self, label: &str, value: &str) {
        let Some(known) = Known::from_label(label) else {
            return;
        };
        let text = (!value.is_empty()).then(|| value.to_string());
        match known {
            Known::GeneratedAt => self.generated_at = parse_datetime(value),
            Known::SessionName => self.session_name = text,
            Known::Prompt => self.prompt = text,
            Known::NegativePrompt => self.negative_prompt = text,
            Known::Seed => self.seed = value.parse().ok(),
            Known::MaxImages => self.max_images = value.parse().ok(),
        }
    }
}

/// `===`, `---`, `***`, `###`, `~~~` (three or more) or `=== Title ===`.
fn is_separator(line: &str) -> bool {
    let rule = |c: char| matches!(c, '=' | '-' | '*' | '#' | '~' | '_');
    line.starts_with("===") || (line.chars().count() >= 3 && line.chars().all(rule))
}

/// `(label, value)` when the line starts with a label and a colon; both trimmed.
fn split_field(line: &str) -> Option<(&str, &str)> {
    let (label, value) = line.split_once(':')?;
    let label = label.trim_start_matches(['-', '*', '•', ' ']).trim();
    let allowed = |c: char| {
        c.is_alphanumeric()
            || c.is_whitespace()
            || matches!(c, '_' | '-' | '\'' | '’' | '\u{0300}'..='\u{036f}')
    };
    let is_label = label.chars().any(char::is_alphabetic)
        && label.chars().count() <= MAX_LABEL_CHARS
        && label.split_whitespace().count() <= MAX_LABEL_WORDS
        && label.chars().all(allowed);
    is_label.then(|| (label, value.trim()))
}

/// Lower case, accents removed, runs of spaces, `_` and `-` turned into one space.
fn normalize(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut gap = false;
    for c in label.chars().flat_map(char::to_lowercase) {
        if ('\u{0300}'..='\u{036f}').contains(&c) {
            continue; // combining accent (decomposed text)
        }
        if c.is_whitespace() || c == '_' || c == '-' {
            gap = !out.is_empty();
            continue;
        }
        if gap {
            out.push(' ');
            gap = false;
        }
        out.push(fold_accent(c));
    }
    out
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' | 'í' | 'ì' => 'i',
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => 'o',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'ç' => 'c',
        'ÿ' => 'y',
        'ñ' => 'n',
        other => other,
    }
}

fn parse_datetime(value: &str) -> Option<NaiveDateTime> {
    let value = value.replace(" à ", " ");
    let value = value.trim();
    DATE_TIME_FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value, format).ok())
        .or_else(|| {
            DateTime::parse_from_rfc3339(value)
                .ok()
                .map(|at| at.naive_local())
        })
        .or_else(|| {
            DATE_FORMATS
                .iter()
                .find_map(|format| NaiveDate::parse_from_str(value, format).ok())
                .and_then(|date| date.and_hms_opt(0, 0, 0))
        })
}

fn serialize_datetime<S: Serializer>(
    at: &Option<NaiveDateTime>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => serializer.collect_str(&at.format("%Y-%m-%dT%H:%M:%S%.f")),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod props;
