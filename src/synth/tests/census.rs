//! Counts a library on disk without the generator's plan: what an importer would find.

use std::collections::HashSet;
use std::fs;
use std::io::Cursor;
use std::path::Path;

use crate::synth::Expected;

/// Facts read back from one image file.
#[derive(Debug, Default, PartialEq)]
pub struct FileFacts {
    pub broken: bool,
    pub parameters: Option<String>,
    pub after_idat: bool,
    pub comfy: bool,
}

pub fn census(root: &Path) -> Expected {
    let mut found = Expected::default();
    for entry in fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            count_session(&path, &mut found);
        }
    }
    found
}

fn count_session(dir: &Path, found: &mut Expected) {
    found.sessions_found += 1;
    let manifest = dir.join("manifest.json");
    let listed: Option<HashSet<String>> = if manifest.exists() {
        let bytes = fs::read(&manifest).unwrap();
        match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(value) => Some(
                value["images"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|image| image["filename"].as_str().unwrap().to_string())
                    .collect(),
            ),
            Err(_) => {
                found.manifest_errors += 1;
                None
            }
        }
    } else {
        found.legacy_sessions += 1;
        None
    };
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if !["png", "jpg", "jpeg", "webp"].contains(&extension.as_str()) {
            continue;
        }
        found.images_found += 1;
        if listed
            .as_ref()
            .is_some_and(|listed| !listed.contains(&name))
        {
            found.unlisted_files += 1;
        }
        match extension.as_str() {
            "jpg" | "jpeg" => found.jpeg_files += 1,
            "webp" => found.webp_files += 1,
            _ => {}
        }
        let facts = read_facts(&fs::read(&path).unwrap(), &extension);
        if facts.broken {
            found.broken_files += 1;
            continue;
        }
        found.with_parameters += usize::from(facts.parameters.is_some());
        found.parameters_after_idat += usize::from(facts.after_idat);
        found.comfyui_files += usize::from(facts.comfy);
    }
    for name in listed.iter().flatten() {
        if !dir.join(name).exists() {
            found.missing_listed += 1;
        }
    }
}

pub fn read_facts(bytes: &[u8], extension: &str) -> FileFacts {
    if extension == "png" {
        return png_facts(bytes);
    }
    if image::load_from_memory(bytes).is_err() {
        return FileFacts {
            broken: true,
            ..FileFacts::default()
        };
    }
    FileFacts {
        parameters: exif_user_comment(bytes),
        ..FileFacts::default()
    }
}

/// Every text chunk of a PNG as (keyword, text), read with the `png` crate after the whole image
/// (so chunks after IDAT are there too). `None` when the file does not decode.
pub fn png_texts(bytes: &[u8]) -> Option<Vec<(String, String)>> {
    let mut reader = png::Decoder::new(Cursor::new(bytes)).read_info().ok()?;
    let mut buffer = vec![0; reader.output_buffer_size()?];
    reader.next_frame(&mut buffer).ok()?;
    reader.finish().ok()?;
    let info = reader.info();
    let mut texts: Vec<(String, String)> = info
        .uncompressed_latin1_text
        .iter()
        .map(|c| (c.keyword.clone(), c.text.clone()))
        .collect();
    for chunk in &info.compressed_latin1_text {
        texts.push((chunk.keyword.clone(), chunk.get_text().ok()?));
    }
    for chunk in &info.utf8_text {
        texts.push((chunk.keyword.clone(), chunk.get_text().ok()?));
    }
    Some(texts)
}

fn png_facts(bytes: &[u8]) -> FileFacts {
    let Some(texts) = png_texts(bytes) else {
        return FileFacts {
            broken: true,
            ..FileFacts::default()
        };
    };
    let text = |key: &str| texts.iter().find(|(k, _)| k == key).map(|(_, t)| t.clone());
    FileFacts {
        broken: false,
        after_idat: text("parameters").is_some() && raw_chunk_order(bytes).contains("DT"),
        comfy: text("prompt").is_some()
            && text("workflow").is_some()
            && text("parameters").is_none(),
        parameters: text("parameters"),
    }
}

/// The chunk sequence with IDAT as `D` and text chunks as `T`, e.g. `TDT` (others left out).
pub fn raw_chunk_order(png: &[u8]) -> String {
    let mut order = String::new();
    let mut at = 8;
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        match &png[at + 4..at + 8] {
            b"IDAT" if !order.ends_with('D') => order.push('D'),
            b"tEXt" | b"zTXt" | b"iTXt" => order.push('T'),
            _ => {}
        }
        at += 12 + len;
    }
    order
}

/// The EXIF UserComment of a JPEG or WebP, decoded from `UNICODE\0` + UTF-16BE.
pub fn exif_user_comment(bytes: &[u8]) -> Option<String> {
    // Lenient, as A1111's layout needs (the Exif IFD has no next-IFD offset).
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    let exif = reader
        .read_from_container(&mut Cursor::new(bytes))
        .or_else(|e| e.distill_partial_result(|_| {}))
        .ok()?;
    let field = exif.get_field(exif::Tag::UserComment, exif::In::PRIMARY)?;
    let exif::Value::Undefined(raw, _) = &field.value else {
        return None;
    };
    let utf16 = raw.strip_prefix(b"UNICODE\0")?;
    let units: Vec<u16> = utf16
        .chunks_exact(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
        .collect();
    String::from_utf16(&units).ok()
}
