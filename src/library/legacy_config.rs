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
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<NaiveDateTime> {
        NaiveDate::from_ymd_opt(y, mo, d).and_then(|date| date.and_hms_opt(h, mi, s))
    }

    const FULL: &str = "\
=== Configuration de la session ===
Date de génération: 2024-05-01 10:00:00
Nom de session: portraits d'été

Prompt de base: a portrait of {Person}, (masterpiece:1.2),
in the style of {Style}

highly detailed
Prompt négatif: blurry, lowres,
bad hands
seed: 42
max_images: 100
Modèle: sd_v15.safetensors
=====================

Variations:
- Person: cat, dog
";

    #[test]
    fn a_realistic_file_is_read_whole() {
        let c = LegacyConfig::parse(FULL);
        assert_eq!(c.generated_at, at(2024, 5, 1, 10, 0, 0));
        assert_eq!(c.session_name.as_deref(), Some("portraits d'été"));
        assert_eq!(
            c.prompt.as_deref(),
            Some(
                "a portrait of {Person}, (masterpiece:1.2),\nin the style of {Style}\n\nhighly detailed"
            )
        );
        assert_eq!(
            c.negative_prompt.as_deref(),
            Some("blurry, lowres,\nbad hands")
        );
        assert_eq!(c.seed, Some(42));
        assert_eq!(c.max_images, Some(100));
        let labels: Vec<&str> = c.fields.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Date de génération",
                "Nom de session",
                "Prompt de base",
                "Prompt négatif",
                "seed",
                "max_images",
                "Modèle",
                "Variations",
                "Person"
            ]
        );
        assert_eq!(c.fields[6].1, "sd_v15.safetensors");
        assert_eq!(c.fields[8].1, "cat, dog");
    }

    #[test]
    fn missing_fields_stay_none() {
        let c = LegacyConfig::parse("Nom de session: test\n");
        assert_eq!(c.session_name.as_deref(), Some("test"));
        assert_eq!(
            (
                c.generated_at,
                c.prompt,
                c.negative_prompt,
                c.seed,
                c.max_images
            ),
            (None, None, None, None, None)
        );
        assert_eq!(LegacyConfig::parse(""), LegacyConfig::default());
    }

    #[test]
    fn windows_line_endings_and_a_bom() {
        let text = "\u{feff}Date de génération: 2024-05-01 10:00:00\r\nPrompt de base: a\r\nb\r\n\r\nseed: 7\r\n";
        let c = LegacyConfig::parse(text);
        assert_eq!(c.generated_at, at(2024, 5, 1, 10, 0, 0));
        assert_eq!(c.prompt.as_deref(), Some("a\nb"));
        assert_eq!(c.seed, Some(7));
        assert_eq!(c.fields[0].0, "Date de génération");
    }

    #[test]
    fn labels_match_ignoring_case_accents_and_separators() {
        let text = "DATE DE GENERATION : 2024-05-01T10:00:00\nnom_de_session: x\nPROMPT DE BASE: p\nPrompt negatif: n\nSEED: -3\nmax-images: 5";
        let c = LegacyConfig::parse(text);
        assert_eq!(c.generated_at, at(2024, 5, 1, 10, 0, 0));
        assert_eq!(c.session_name.as_deref(), Some("x"));
        assert_eq!(c.prompt.as_deref(), Some("p"));
        assert_eq!(c.negative_prompt.as_deref(), Some("n"));
        assert_eq!(c.seed, Some(-3));
        assert_eq!(c.max_images, Some(5));
        // Decomposed accents (e + U+0301).
        let c = LegacyConfig::parse("Prompt ne\u{301}gatif: n");
        assert_eq!(c.negative_prompt.as_deref(), Some("n"));
    }

    #[test]
    fn the_accepted_date_formats() {
        for (text, expected) in [
            ("2024-05-01 10:00:00", at(2024, 5, 1, 10, 0, 0)),
            ("2024-05-01T10:00:00", at(2024, 5, 1, 10, 0, 0)),
            ("01/05/2024 10:00", at(2024, 5, 1, 10, 0, 0)),
            ("01/05/2024 à 10:00", at(2024, 5, 1, 10, 0, 0)),
            ("2024-05-01 10:00", at(2024, 5, 1, 10, 0, 0)),
            ("2024-05-01", at(2024, 5, 1, 0, 0, 0)),
            ("2024-05-01T10:00:00+02:00", at(2024, 5, 1, 10, 0, 0)),
            ("13/13/2024 10:00", None),
            ("hier", None),
        ] {
            let c = LegacyConfig::parse(&format!("Date de génération: {text}"));
            assert_eq!(c.generated_at, expected, "{text}");
        }
        let c = LegacyConfig::parse("Date de génération: 2024-05-01 10:00:00.250000");
        let expected =
            NaiveDate::from_ymd_opt(2024, 5, 1).and_then(|d| d.and_hms_milli_opt(10, 0, 0, 250));
        assert_eq!(c.generated_at, expected);
    }

    #[test]
    fn prompt_text_with_colons_continues_the_prompt() {
        let text = "Prompt de base:\na cat, style: watercolor\n(best quality:1.3)\nhttps://example.org/x\nseed: 1";
        let c = LegacyConfig::parse(text);
        assert_eq!(
            c.prompt.as_deref(),
            Some("a cat, style: watercolor\n(best quality:1.3)")
        );
        // A label-shaped line ends the prompt, and is kept as a field.
        assert_eq!(
            c.fields[1],
            ("https".to_string(), "//example.org/x".to_string())
        );
        assert_eq!(c.seed, Some(1));
    }

    #[test]
    fn lines_that_continue_nothing_are_skipped() {
        let c = LegacyConfig::parse("stray text\nNom de session: s\nmore stray text\n---\nafter");
        assert_eq!(c.fields, [("Nom de session".to_string(), "s".to_string())]);
        assert_eq!(c.session_name.as_deref(), Some("s"));
    }

    #[test]
    fn unreadable_numbers_and_empty_values_are_none_but_kept_as_fields() {
        let c = LegacyConfig::parse("seed: abc\nmax_images: 1e9\nNom de session:\nPrompt négatif:");
        assert_eq!((c.seed, c.max_images), (None, None));
        assert_eq!(c.session_name, None);
        assert_eq!(c.negative_prompt, None);
        assert_eq!(c.fields.len(), 4);
    }

    #[test]
    fn the_last_of_repeated_labels_wins() {
        let c = LegacyConfig::parse("seed: 1\nseed: 2");
        assert_eq!(c.seed, Some(2));
        assert_eq!(c.fields.len(), 2);
    }

    #[test]
    fn serializes_the_date_as_iso_8601() {
        let c = LegacyConfig::parse("Date de génération: 2024-05-01 10:00:00\nseed: 4");
        let json = serde_json::to_value(&c).unwrap_or_default();
        assert_eq!(json["generated_at"], "2024-05-01T10:00:00");
        assert_eq!(json["seed"], 4);
        assert_eq!(json["fields"][1], serde_json::json!(["seed", "4"]));
        let json = serde_json::to_value(LegacyConfig::default()).unwrap_or_default();
        assert!(json.is_object());
        assert_eq!(json["generated_at"], serde_json::Value::Null);
    }

    #[test]
    fn garbage_and_every_split_never_panic() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let alphabet = [
            'a', 'é', '日', '😀', ':', ':', '\n', '\r', ' ', '=', '-', '\u{feff}', '\u{301}', '/',
            '0', '9', 'P',
        ];
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(state % 80) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let i = usize::try_from(state % alphabet.len() as u64).unwrap_or(0);
                text.push(alphabet[i]);
            }
            let _ = LegacyConfig::parse(&text);
            let _ = LegacyConfig::parse(&format!("Prompt de base: {text}"));
            let _ = LegacyConfig::parse(&format!("Date de génération: {text}"));
        }
        for (i, _) in FULL.char_indices() {
            let _ = LegacyConfig::parse(&FULL[..i]);
            let _ = LegacyConfig::parse(&FULL[i..]);
        }
        let bytes = FULL.as_bytes();
        for i in 0..=bytes.len() {
            let _ = LegacyConfig::parse(&String::from_utf8_lossy(&bytes[..i]));
        }
    }
}
