//! A session's columns and metadata JSON: from its manifest when it has a valid one, else from
//! the legacy `session_config.txt` and the first image that carries parameters.

use chrono::NaiveDateTime;
use serde_json::{Map, Value, json};

use crate::db::models::SessionScan;
use crate::domain::a1111::Parameters;
use crate::domain::folder_name::FolderName;
use crate::domain::manifest_facts::template_prompt;
use crate::library::legacy_config::LegacyConfig;
use crate::library::manifest::Manifest;
use crate::library::scan::SessionDir;

pub struct SessionSources<'a> {
    pub dir: &'a SessionDir,
    pub manifest: Option<&'a Manifest>,
    pub manifest_error: Option<String>,
    pub config: Option<&'a LegacyConfig>,
    /// The first image (by file name) with readable parameters, and its file name.
    pub first_parameters: Option<(&'a str, &'a Parameters)>,
    /// The parsed parameters the session's images share; each image stores its difference.
    pub parameters_common: Option<&'a Map<String, Value>>,
    /// Manifest entries whose file is not on disk, as written.
    pub missing_listed: &'a [Value],
}

/// The facts every page filters and sorts on; the same names appear in the metadata JSON.
#[derive(Default)]
struct Facts {
    model_name: Option<String>,
    model_hash: Option<String>,
    sampler: Option<String>,
    scheduler: Option<String>,
    steps: Option<i32>,
    cfg_scale: Option<f64>,
    width: Option<i32>,
    height: Option<i32>,
    images_requested: Option<i32>,
}

impl Facts {
    fn from_manifest(m: &Manifest) -> Facts {
        let (model_name, model_hash) = m.checkpoint();
        let int = |path: &[&str]| m.i64_at(path).and_then(|v| i32::try_from(v).ok());
        Facts {
            model_name,
            model_hash,
            sampler: m.str_at(&["api_params", "sampler_name"]).map(str::to_owned),
            scheduler: m.str_at(&["api_params", "scheduler"]).map(str::to_owned),
            steps: int(&["api_params", "steps"]),
            cfg_scale: m.f64_at(&["api_params", "cfg_scale"]),
            width: int(&["api_params", "width"]),
            height: int(&["api_params", "height"]),
            images_requested: int(&["generation_params", "num_images"]),
        }
    }

    fn from_parameters(p: &Parameters) -> Facts {
        let size = p.size();
        Facts {
            model_name: p.model().map(str::to_owned),
            model_hash: p.model_hash().map(str::to_owned),
            sampler: p.sampler().map(str::to_owned),
            scheduler: p.scheduler().map(str::to_owned),
            steps: p.steps(),
            cfg_scale: p.cfg_scale(),
            width: size.map(|s| s.0),
            height: size.map(|s| s.1),
            images_requested: None,
        }
    }

    /// Fills what `self` lacks from `other` (a manifest saying "unknown" model, say).
    fn or(self, other: Facts) -> Facts {
        Facts {
            model_name: self.model_name.or(other.model_name),
            model_hash: self.model_hash.or(other.model_hash),
            sampler: self.sampler.or(other.sampler),
            scheduler: self.scheduler.or(other.scheduler),
            steps: self.steps.or(other.steps),
            cfg_scale: self.cfg_scale.or(other.cfg_scale),
            width: self.width.or(other.width),
            height: self.height.or(other.height),
            images_requested: self.images_requested.or(other.images_requested),
        }
    }

    fn write_into(&self, metadata: &mut Map<String, Value>) {
        metadata.insert("model_name".into(), json!(self.model_name));
        metadata.insert("model_hash".into(), json!(self.model_hash));
        metadata.insert("sampler".into(), json!(self.sampler));
        metadata.insert("scheduler".into(), json!(self.scheduler));
        metadata.insert("cfg_scale".into(), json!(self.cfg_scale));
        metadata.insert("steps".into(), json!(self.steps));
    }
}

pub fn session_scan(sources: &SessionSources<'_>, now: NaiveDateTime) -> SessionScan {
    let dir = sources.dir;
    let folder = FolderName::parse(&dir.folder_name);
    let from_images = sources
        .first_parameters
        .map(|(_, p)| Facts::from_parameters(p))
        .unwrap_or_default();
    let mut metadata = Map::new();
    let (facts, source) = match sources.manifest {
        Some(manifest) => {
            metadata.insert("snapshot".into(), Value::Object(manifest.snapshot.clone()));
            if !manifest.extra.is_empty() {
                metadata.insert(
                    "manifest_extra".into(),
                    Value::Object(manifest.extra.clone()),
                );
            }
            (Facts::from_manifest(manifest).or(from_images), "manifest")
        }
        None => {
            let mut facts = from_images;
            if let Some(config) = sources.config {
                metadata.insert("legacy_config".into(), json!(config));
                facts.images_requested = config.max_images;
            }
            let source = if sources.config.is_some() {
                "legacy_config"
            } else {
                "images_only"
            };
            (facts, source)
        }
    };
    facts.write_into(&mut metadata);
    if let Some((file, _)) = sources
        .first_parameters
        .filter(|_| sources.manifest.is_none())
    {
        metadata.insert("inferred_from_image".into(), json!(file));
    }
    if let Some(common) = sources.parameters_common {
        metadata.insert("parameters_common".into(), Value::Object(common.clone()));
    }
    if let Some(error) = &sources.manifest_error {
        metadata.insert("manifest_error".into(), json!(error));
    }

    let snapshot_text = |key: &str| {
        sources
            .manifest
            .and_then(|m| m.str_at(&[key]))
            .map(str::to_owned)
    };
    let created_at = folder
        .created_at
        .or_else(|| sources.manifest.and_then(Manifest::timestamp))
        .or_else(|| sources.config.and_then(|c| c.generated_at))
        .unwrap_or_else(|| local_time(dir.mtime_ns));

    let metadata = Value::Object(metadata);
    // A name the snapshot gives, else the template text itself, which is what tells one
    // session's template from another's.
    let template_name = snapshot_text("template_name")
        .or_else(|| snapshot_text("template"))
        .or_else(|| template_prompt(&metadata).map(str::to_owned));
    SessionScan {
        folder_name: dir.folder_name.clone(),
        name: folder.name,
        created_at,
        metadata: metadata.to_string(),
        source: source.to_owned(),
        manifest_error: sources.manifest_error.clone(),
        missing_listed: serde_json::to_string(sources.missing_listed)
            .unwrap_or_else(|_| "[]".to_owned()),
        template_name,
        theme: folder.theme.or_else(|| snapshot_text("theme")),
        style: folder.style.or_else(|| snapshot_text("style")),
        model_name: facts.model_name,
        model_hash: facts.model_hash,
        sampler: facts.sampler,
        scheduler: facts.scheduler,
        steps: facts.steps,
        cfg_scale: facts.cfg_scale,
        width: facts.width,
        height: facts.height,
        images_requested: facts.images_requested,
        source_signature: dir.source_signature(),
        on_disk: true,
        scanned_at: now,
        updated_at: now,
    }
}

fn local_time(mtime_ns: i64) -> NaiveDateTime {
    chrono::DateTime::from_timestamp_nanos(mtime_ns)
        .with_timezone(&chrono::Local)
        .naive_local()
}
