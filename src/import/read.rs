//! Reads one session's changed files (in parallel) and its manifest or legacy config, and
//! turns them into rows for the writer, in parts of bounded size.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use chrono::NaiveDateTime;
use indicatif::ProgressBar;
use rayon::prelude::*;
use serde_json::{Map, Value};

use super::image_facts::{ImageFacts, image_facts, stored_values};
use super::plan::SessionWork;
use super::session_facts::{SessionSources, session_scan};
use crate::db::ids::{ImageId, SessionId};
use crate::db::models::SessionScan;
use crate::domain::a1111::Parameters;
use crate::library::legacy_config::LegacyConfig;
use crate::library::manifest::Manifest;
use crate::library::probe::{Format, Probe, probe_file};
use crate::library::scan::{LEGACY_CONFIG, MANIFEST, Problem};

/// Part of one session's rows. A session is sent whole when it is small (nearly always) and in
/// parts when its images hold a lot of text, so that memory stays bounded whatever the library
/// holds.
pub struct SessionPart {
    /// The session's place in the plan: parts of one session share it.
    pub work: usize,
    pub existing: Option<SessionId>,
    /// The session's row: on the first part, and again on the last when reading its later
    /// images changed what the first part said.
    pub scan: Option<SessionScan>,
    pub images: Vec<(Option<ImageId>, ImageFacts)>,
    /// Files that disappeared between the listing and the read (temporary files), with their
    /// row when the database knew them.
    pub vanished: Vec<(Problem, Option<ImageId>)>,
    /// Files whose text was over the caps and was kept cut.
    pub text_cuts: Vec<Problem>,
    /// Roughly how many bytes of memory the part holds.
    pub bytes: usize,
}

/// Files probed in parallel at a time within a session: with up to 2 MiB of text each, a few.
const CHUNK_FILES: usize = 8;
/// A part is sent once it holds this much text or this many images.
const PART_BYTES: usize = 4 << 20;
const PART_IMAGES: usize = 500;

/// How files are read: the progress bar to move, and an artificial delay (see
/// `ImportOptions::read_delay`).
pub struct Reading<'a> {
    pub progress: &'a ProgressBar,
    pub delay: std::time::Duration,
}

/// Reads one session and hands its rows to `send` in one or more parts, in file order.
/// A manifest this large is parsed while no other large one is: see `import_library`.
pub const LARGE_MANIFEST: u64 = 2 << 20;

pub fn read_session(
    index: usize,
    work: &SessionWork<'_>,
    now: NaiveDateTime,
    reading: &Reading<'_>,
    send: &mut dyn FnMut(SessionPart),
) {
    let dir = work.dir;
    // The admin page says which folder a rescan is reading.
    reading.progress.set_message(dir.folder_name.clone());
    let (mut manifest, manifest_error) =
        match dir.manifest.as_ref().map(|_| read_manifest(&dir.path)) {
            Some(Ok(Some(m))) => (Some(m), None),
            Some(Err(error)) => (None, Some(error)),
            Some(Ok(None)) | None => (None, None),
        };
    let config = dir.config.as_ref().and_then(|_| read_config(&dir.path));
    // An entry's raw form is only kept for a listed file that is missing; moved, not copied,
    // since a manifest can be tens of megabytes.
    let on_disk: HashSet<&str> = dir.images.iter().map(|f| f.name.as_str()).collect();
    let mut missing_listed: Vec<Value> = Vec::new();
    for entry in manifest.iter_mut().flat_map(|m| m.images.iter_mut()) {
        let raw = std::mem::take(&mut entry.raw);
        if !on_disk.contains(entry.filename.as_str()) {
            missing_listed.push(raw);
        }
    }
    let entries: HashMap<&str, _> = manifest
        .iter()
        .flat_map(|m| m.images.iter())
        .map(|e| (e.filename.as_str(), e))
        .collect();

    // The session's shared parameters are fixed once, from the first image that has any, so
    // that the patches stored with its images stay valid when later runs read only some.
    let mut common = work.common.clone();
    let mut first_parameters: Option<(String, Parameters)> = None;
    let scan_now = |first: &Option<(String, Parameters)>, common: &Option<Map<String, Value>>| {
        session_scan(
            &SessionSources {
                dir,
                manifest: manifest.as_ref(),
                manifest_error: manifest_error.clone(),
                config: config.as_ref(),
                first_parameters: first.as_ref().map(|(name, p)| (name.as_str(), p)),
                parameters_common: common.as_ref(),
                missing_listed: &missing_listed,
            },
            now,
        )
    };
    let mut part = SessionPart::empty(index, work.existing);
    let mut sent_any = false;
    let mut scan_sent_with: Option<String> = None;
    for chunk in work.files.chunks(CHUNK_FILES) {
        let probed: Vec<_> = chunk
            .par_iter()
            .map(|(file, existing)| {
                let probe = probe_file(&dir.path.join(&file.name));
                if !reading.delay.is_zero() {
                    std::thread::sleep(reading.delay);
                }
                reading.progress.inc(1);
                (file, existing, probe)
            })
            .collect();
        for (file, existing, probe) in probed {
            let probe = match probe {
                Ok(probe) => probe,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    let problem = Problem {
                        path: format!("{}/{}", dir.folder_name, file.name),
                        reason: "vanished while the import ran".to_owned(),
                    };
                    part.vanished.push((problem, *existing));
                    continue;
                }
                Err(e) => Probe::broken(Format::Unknown, format!("unreadable: {e}")),
            };
            if let Some(reason) = &probe.text_cut {
                part.text_cuts.push(Problem {
                    path: format!("{}/{}", dir.folder_name, file.name),
                    reason: reason.clone(),
                });
            }
            let entry = entries.get(file.name.as_str()).copied();
            let mut facts = image_facts(file, probe, entry, now);
            if let Some(parameters) = facts.parameters.take() {
                if common.is_none() {
                    common = Some(stored_values(&parameters));
                }
                facts.finish_with(Some(&parameters), common.as_ref());
                if first_parameters.is_none() {
                    first_parameters = Some((facts.scan.filename.clone(), parameters));
                }
            } else {
                facts.finish_with(None, common.as_ref());
            }
            part.bytes += facts.weight();
            part.images.push((*existing, facts));
            if part.bytes >= PART_BYTES || part.images.len() >= PART_IMAGES {
                if !sent_any {
                    scan_sent_with = first_parameters.as_ref().map(|(name, _)| name.clone());
                    part.scan = Some(scan_now(&first_parameters, &common));
                }
                sent_any = true;
                send(std::mem::replace(
                    &mut part,
                    SessionPart::empty(index, work.existing),
                ));
            }
        }
    }
    let first_name = first_parameters.as_ref().map(|(name, _)| name.clone());
    if !sent_any || scan_sent_with != first_name {
        part.scan = Some(scan_now(&first_parameters, &common));
    }
    if part.scan.is_some() || !part.images.is_empty() || !part.vanished.is_empty() {
        send(part);
    }
}

impl SessionPart {
    fn empty(work: usize, existing: Option<SessionId>) -> SessionPart {
        SessionPart {
            work,
            existing,
            scan: None,
            images: Vec::new(),
            vanished: Vec::new(),
            text_cuts: Vec::new(),
            bytes: 0,
        }
    }
}

/// A generator's manifest takes about a kilobyte per image, so 16 MiB is a session of some
/// 15,000 images; anything larger is refused (the images are still read from their own text)
/// rather than parsed, which takes several times its size in memory.
const MAX_SIDE_FILE: u64 = 16 << 20;

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
