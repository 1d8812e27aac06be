//! Writes a planned session folder to disk.

use std::fs;
use std::io::{Error, Result};
use std::path::Path;

use super::content::file_bytes;
use super::manifest_file::{broken_manifest_text, manifest_json, session_config_text};
use super::plan::{Kind, SessionPlan};
use super::recipe::ImageMeta;

pub(crate) fn write_session(root: &Path, session: &SessionPlan) -> Result<()> {
    let dir = root.join(&session.folder);
    fs::create_dir_all(&dir)?;
    for file in session.files.iter().filter(|f| f.on_disk) {
        let meta = meta_of(session, file.meta)?;
        fs::write(dir.join(&file.name), file_bytes(session, file, meta)?)?;
    }
    match session.kind {
        Kind::Regular | Kind::InvalidManifest(_) => {
            let listed = session
                .files
                .iter()
                .filter(|f| f.listed)
                .map(|f| Ok((f.name.as_str(), meta_of(session, f.meta)?)))
                .collect::<Result<Vec<_>>>()?;
            let manifest = manifest_json(&session.recipe, &session.timestamp, &listed);
            let text = match session.kind {
                Kind::InvalidManifest(empty) => broken_manifest_text(&manifest, empty),
                _ => serde_json::to_string_pretty(&manifest).map_err(Error::other)?,
            };
            fs::write(dir.join("manifest.json"), text)?;
        }
        Kind::Legacy => {
            let first = meta_of(session, 0)?;
            let config = session_config_text(&session.name, session.when, &session.recipe, first);
            fs::write(dir.join("session_config.txt"), config)?;
        }
        Kind::StillWriting | Kind::ImagesOnly | Kind::Comfy => {}
    }
    if session.log_file {
        fs::write(dir.join("log.txt"), log_text(session))?;
    }
    Ok(())
}

fn meta_of(session: &SessionPlan, index: usize) -> Result<&ImageMeta> {
    session
        .images
        .get(index)
        .ok_or_else(|| Error::other(format!("no image {index} planned in {}", session.folder)))
}

fn log_text(session: &SessionPlan) -> String {
    let when = session.when.format("%Y-%m-%d %H:%M:%S");
    let mut log = format!("[{when}] INFO starting session {}\n", session.name);
    for file in &session.files {
        log.push_str(&format!("[{when}] INFO saved {}\n", file.name));
    }
    log.push_str(&format!("[{when}] INFO done\n"));
    log
}
