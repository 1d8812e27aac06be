//! Turns one probed file (and its manifest entry, if any) into the importer's columns and the
//! image's metadata JSON. Nothing read is dropped: unknown manifest fields and every text chunk
//! are kept, and the A1111 text is stored verbatim whenever it cannot be rebuilt exactly from
//! the prompts and the parsed values (docs/database.md).

use chrono::NaiveDateTime;
use serde_json::{Map, Value, json};

use crate::db::ids::SessionId;
use crate::db::models::ImageScan;
use crate::domain::a1111::Parameters;
use crate::domain::parameters_diff::{diff, merge, rebuild_text};
use crate::library::manifest::ManifestImage;
use crate::library::probe::Probe;
use crate::library::scan::FileStat;

/// The most A1111 values stored parsed per image. A1111 writes a few dozen; a file with tens of
/// thousands (a hostile one) keeps them all in its verbatim text, and the parsed form, which
/// every page reads and patches, stays small.
pub const MAX_PARSED_VALUES: usize = 1_000;

/// The parsed values as stored: the first [`MAX_PARSED_VALUES`] pairs, as JSON.
pub fn stored_values(parsed: &Parameters) -> Map<String, Value> {
    if parsed.values.len() <= MAX_PARSED_VALUES {
        return parsed.values_json();
    }
    Parameters {
        prompt: String::new(),
        negative_prompt: None,
        values: parsed.values[..MAX_PARSED_VALUES].to_vec(),
    }
    .values_json()
}

pub struct ImageFacts {
    pub scan: ImageScan,
    pub prompt: Option<String>,
    pub negative_prompt: Option<String>,
    pub variations: Vec<(String, String)>,
    /// The parsed `parameters`, for sessions whose facts come from their images.
    pub parameters: Option<Parameters>,
    parameters_text: Option<String>,
    metadata: Map<String, Value>,
}

pub fn image_facts(
    file: &FileStat,
    probe: Probe,
    entry: Option<&ManifestImage>,
    now: NaiveDateTime,
) -> ImageFacts {
    let parameters_text = probe
        .texts
        .iter()
        .find(|(k, _)| k == "parameters")
        .map(|(_, t)| t.clone());
    let parameters = parameters_text.as_deref().map(Parameters::parse);
    let seed = entry
        .and_then(|e| e.seed)
        .or_else(|| parameters.as_ref().and_then(Parameters::seed));
    let prompt = entry
        .and_then(|e| e.prompt.clone())
        .or_else(|| parameters.as_ref().map(|p| p.prompt.clone()));
    let negative_prompt = entry
        .and_then(|e| e.negative_prompt.clone())
        .or_else(|| parameters.as_ref().and_then(|p| p.negative_prompt.clone()));
    let variations = entry.map(|e| e.variations.clone()).unwrap_or_default();

    let mut metadata = Map::new();
    metadata.insert("seed".into(), json!(seed));
    metadata.insert(
        "variations".into(),
        Value::Object(
            variations
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect(),
        ),
    );
    metadata.insert("file_size".into(), json!(file.size));
    let dimensions = probe.width.zip(probe.height).map(|(w, h)| json!([w, h]));
    metadata.insert("dimensions".into(), dimensions.unwrap_or(Value::Null));
    metadata.insert("format".into(), json!(probe.format.as_str()));
    let other_texts: Map<String, Value> = probe
        .texts
        .iter()
        .filter(|(k, _)| k != "parameters")
        .map(|(k, t)| (k.clone(), json!(t)))
        .collect();
    if !other_texts.is_empty() {
        metadata.insert("png_text".into(), Value::Object(other_texts));
    }
    if let Some(entry) = entry.filter(|e| !e.extra.is_empty()) {
        metadata.insert("manifest".into(), Value::Object(entry.extra.clone()));
    }
    if let Some(reason) = &probe.broken {
        metadata.insert("broken".into(), json!(reason));
    }
    if let Some(reason) = &probe.text_cut {
        metadata.insert("text_cut".into(), json!(reason));
    }

    ImageFacts {
        scan: ImageScan {
            session_id: SessionId(0),
            filename: file.name.clone(),
            metadata: String::new(),
            prompt_id: None,
            negative_prompt_id: None,
            format: probe.format.as_str().to_owned(),
            seed,
            width: probe.width.map(|w| w as i32),
            height: probe.height.map(|h| h as i32),
            file_size: file.size as i64,
            file_mtime_ns: file.mtime_ns,
            broken: probe.broken,
            listed: entry.is_some(),
            on_disk: true,
            updated_at: now,
        },
        prompt,
        negative_prompt,
        variations,
        parameters,
        parameters_text,
        metadata,
    }
}

impl ImageFacts {
    /// Writes the metadata JSON, with the parsed values (taken out of `self.parameters` by the
    /// caller, which keeps the session's first ones) stored as a patch on the session's
    /// shared values `common`.
    pub fn finish_with(
        &mut self,
        parsed: Option<&Parameters>,
        common: Option<&Map<String, Value>>,
    ) {
        if let (Some(text), Some(parsed)) = (self.parameters_text.take(), parsed) {
            let empty = Map::new();
            let common = common.unwrap_or(&empty);
            if parsed.values.len() > MAX_PARSED_VALUES {
                self.metadata.insert(
                    "parameters_cut".into(),
                    json!(format!(
                        "{} parameters: the first {MAX_PARSED_VALUES} are stored parsed, the \
                         text holds them all",
                        parsed.values.len()
                    )),
                );
            }
            // A cut parse rebuilds a shorter text, so the whole text is then kept verbatim.
            let patch = diff(common, &stored_values(parsed));
            let rebuilt = rebuild_text(
                self.prompt.as_deref().unwrap_or_default(),
                self.negative_prompt.as_deref(),
                &merge(common, &patch),
            );
            if rebuilt != text {
                self.metadata.insert("parameters".into(), json!(text));
            }
            self.metadata
                .insert("parameters_parsed".into(), Value::Object(patch));
        }
        self.scan.metadata = Value::Object(std::mem::take(&mut self.metadata)).to_string();
    }

    /// Roughly the bytes this image's rows hold in memory until they are written.
    pub fn weight(&self) -> usize {
        let text = |t: &Option<String>| t.as_ref().map_or(0, String::len);
        self.scan.metadata.len()
            + self.scan.filename.len()
            + text(&self.prompt)
            + text(&self.negative_prompt)
            + self
                .variations
                .iter()
                .map(|(k, v)| k.len() + v.len())
                .sum::<usize>()
            + 256
    }
}
