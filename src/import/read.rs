//! Reads one session's changed files (in parallel) and its manifest or legacy config, and
//! turns them into rows for the writer.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use chrono::NaiveDateTime;
use indicatif::ProgressBar;
use rayon::prelude::*;
use serde_json::Value;

use super::image_facts::{ImageFacts, image_facts};
use super::plan::SessionWork;
use super::session_facts::{SessionSources, session_scan};
use crate::db::ids::{ImageId, SessionId};
use crate::db::models::SessionScan;
use crate::library::legacy_config::LegacyConfig;
use crate::library::manifest::Manifest;
use crate::library::probe::{Format, Probe, probe_file};
use crate::library::scan::{LEGACY_CONFIG, MANIFEST, Problem};

pub struct SessionRecord {
    pub existing: Option<SessionId>,
    pub scan: SessionScan,
    pub images: Vec<(Option<ImageId>, ImageFacts)>,
    /// Files that disappeared between the listing and the read (temporary files), with their
    /// row when the database knew them.
    pub vanished: Vec<(Problem, Option<ImageId>)>,
}

pub fn read_session(
    work: &SessionWork<'_>,
    now: NaiveDateTime,
    progress: &ProgressBar,
) -> SessionRecord {
    let dir = work.dir;
    let (manifest, manifest_error) = match dir.manifest.as_ref().map(|_| read_manifest(&dir.path)) {
        Some(Ok(Some(m))) => (Some(m), None),
        Some(Err(error)) => (None, Some(error)),
        Some(Ok(None)) | None => (None, None),
    };
    let config = dir.config.as_ref().and_then(|_| read_config(&dir.path));
    let entries: HashMap<&str, _> = manifest
        .iter()
        .flat_map(|m| m.images.iter())
        .map(|e| (e.filename.as_str(), e))
        .collect();

    let probed: Vec<_> = work
        .files
        .par_iter()
        .map(|(file, existing)| {
            let probe = probe_file(&dir.path.join(&file.name));
            progress.inc(1);
            (file, existing, probe)
        })
        .collect();

    let mut vanished = Vec::new();
    let mut images = Vec::with_capacity(probed.len());
    for (file, existing, probe) in probed {
        let probe = match probe {
            Ok(probe) => probe,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let problem = Problem {
                    path: format!("{}/{}", dir.folder_name, file.name),
                    reason: "vanished while the import ran".to_owned(),
                };
                vanished.push((problem, *existing));
                continue;
            }
            Err(e) => Probe::broken(Format::Unknown, format!("unreadable: {e}")),
        };
        let entry = entries.get(file.name.as_str()).copied();
        images.push((*existing, image_facts(file, probe, entry, now)));
    }

    let on_disk: HashSet<&str> = dir.images.iter().map(|f| f.name.as_str()).collect();
    let missing_listed: Vec<Value> = manifest
        .iter()
        .flat_map(|m| m.images.iter())
        .filter(|e| !on_disk.contains(e.filename.as_str()))
        .map(|e| e.raw.clone())
        .collect();
    // The session's shared parameters are fixed once, so that the patches stored with its
    // images stay valid when later runs read only some of them.
    let common = work.common.clone().or_else(|| {
        images
            .iter()
            .find_map(|(_, facts)| facts.parameters.as_ref().map(|p| p.values_json()))
    });
    for (_, facts) in &mut images {
        facts.finish(common.as_ref());
    }
    let first_parameters = images.iter().find_map(|(_, facts)| {
        facts
            .parameters
            .as_ref()
            .map(|p| (facts.scan.filename.as_str(), p))
    });
    let scan = session_scan(
        &SessionSources {
            dir,
            manifest: manifest.as_ref(),
            manifest_error,
            config: config.as_ref(),
            first_parameters,
            parameters_common: common.as_ref(),
            missing_listed,
        },
        now,
    );
    SessionRecord {
        existing: work.existing,
        scan,
        images,
        vanished,
    }
}

/// A generator's manifest for even 100,000 images is a few tens of megabytes; anything larger is
/// not one, and is refused rather than read into memory.
const MAX_SIDE_FILE: u64 = 256 << 20;

/// The bytes of a manifest or legacy config: Ok(None) when it vanished since the listing.
fn read_side_file(path: &Path) -> Result<Option<Vec<u8>>, String> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("unreadable: {e}")),
    };
    let mut bytes = Vec::new();
    file.take(MAX_SIDE_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("unreadable: {e}"))?;
    if bytes.len() as u64 > MAX_SIDE_FILE {
        return Err(format!(
            "larger than {} MB: not a manifest",
            MAX_SIDE_FILE >> 20
        ));
    }
    Ok(Some(bytes))
}

/// Ok(None) when the manifest vanished since the listing; Err with the reason when invalid.
fn read_manifest(dir: &Path) -> Result<Option<Manifest>, String> {
    match read_side_file(&dir.join(MANIFEST))? {
        Some(bytes) => Manifest::parse(&bytes).map(Some),
        None => Ok(None),
    }
}

fn read_config(dir: &Path) -> Option<LegacyConfig> {
    let bytes = read_side_file(&dir.join(LEGACY_CONFIG)).ok()??;
    Some(LegacyConfig::parse(&String::from_utf8_lossy(&bytes)))
}
