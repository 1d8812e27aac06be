//! The folder and file shapes of a generated library, and manifests that agree with the PNGs.

use std::fs;
use std::path::PathBuf;

use super::census::{exif_user_comment, png_texts};
use super::library::{files_under, folder_names, generated};
use crate::synth::LibrarySpec;

/// (chunk type, keyword) of every text chunk in a PNG, read from the raw bytes.
fn text_chunk_kinds(png: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut at = 8;
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        let kind = String::from_utf8_lossy(&png[at + 4..at + 8]).to_string();
        if kind.ends_with("Xt") || kind == "iTXt" || kind == "tEXt" || kind == "zTXt" {
            let data = &png[at + 8..(at + 8 + len).min(png.len())];
            let keyword = data.split(|b| *b == 0).next().unwrap_or_default();
            out.push((kind, String::from_utf8_lossy(keyword).to_string()));
        }
        at += 12 + len;
    }
    out
}

#[test]
fn the_small_library_has_every_folder_and_file_shape() {
    let (dir, _) = generated(&LibrarySpec::small());
    let root = dir.path();
    let folders = folder_names(root);
    let stamped = |f: &String| {
        f.len() > 16 && f.as_bytes()[8] == b'_' && f[..8].bytes().all(|b| b.is_ascii_digit())
    };
    assert!(
        folders
            .iter()
            .any(|f| stamped(f) && f.contains(' ') && !f.is_ascii()),
        "{folders:?}"
    );
    assert!(
        folders
            .iter()
            .any(|f| stamped(f) && f.matches('-').count() == 1),
        "{folders:?}"
    );
    assert!(
        folders
            .iter()
            .any(|f| f.ends_with(".prompt") && f.as_bytes()[4] == b'-')
    );
    assert!(
        folders
            .iter()
            .any(|f| !f.chars().next().unwrap().is_ascii_digit())
    );
    assert!(root.join("README.txt").is_file());

    let files = files_under(root);
    let named = |suffix: &str| -> Vec<&PathBuf> {
        files
            .iter()
            .filter(|p| p.to_string_lossy().ends_with(suffix))
            .collect()
    };
    let config = fs::read_to_string(named("session_config.txt")[0]).unwrap();
    for label in [
        "Date de génération: 2024-",
        "Nom de session: ",
        "Prompt de base: ",
        "Prompt négatif: ",
        "seed: ",
        "max_images: ",
    ] {
        assert!(config.contains(label), "{config}");
    }
    assert!(!named("log.txt").is_empty());
    assert!(!named(".PNG").is_empty() && !named(".jpeg").is_empty());
    assert!(
        named(".png")
            .iter()
            .any(|p| fs::metadata(p).unwrap().len() == 0)
    );
    assert!(
        named(".png")
            .iter()
            .any(|p| fs::read(p).unwrap().starts_with(b"<html"))
    );
    let biggest = folder_names(root)
        .into_iter()
        .map(|f| fs::read_dir(root.join(f)).unwrap().count())
        .max();
    assert!(biggest.unwrap() >= 1_000);

    let large = files
        .iter()
        .filter_map(|p| {
            image::ImageReader::open(p)
                .ok()?
                .with_guessed_format()
                .ok()?
                .into_dimensions()
                .ok()
        })
        .filter(|size| *size == (512, 768))
        .count();
    assert_eq!(large, LibrarySpec::small().large_images);

    let chunk_kinds: Vec<(String, String)> = named(".png")
        .iter()
        .flat_map(|p| text_chunk_kinds(&fs::read(p).unwrap()))
        .collect();
    let webp_exif: Vec<bool> = named(".webp")
        .iter()
        .map(|p| exif_user_comment(&fs::read(p).unwrap()).is_some())
        .collect();
    assert!(
        webp_exif.contains(&true) && webp_exif.contains(&false),
        "{webp_exif:?}"
    );
    for kind in ["tEXt", "zTXt", "iTXt"] {
        assert!(
            chunk_kinds.contains(&(kind.to_string(), "parameters".to_string())),
            "no {kind}"
        );
    }
}

#[test]
fn manifests_are_v2_with_unknown_fields_and_agree_with_the_png_parameters() {
    let (dir, _) = generated(&LibrarySpec::small());
    let mut checked = 0;
    let mut zoned = 0;
    for folder in folder_names(dir.path()) {
        let session = dir.path().join(&folder);
        let Ok(text) = fs::read_to_string(session.join("manifest.json")) else {
            continue;
        };
        let Ok(manifest) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let snapshot = &manifest["snapshot"];
        assert_eq!(snapshot["version"], "2.0");
        assert!(snapshot["some_future_field"].is_object());
        zoned += usize::from(snapshot["timestamp"].as_str().unwrap().len() > 19);
        let template = snapshot["resolved_template"]["prompt"].as_str().unwrap();
        assert!(template.contains("{Subject}"));
        let negative = snapshot["resolved_template"]["negative"].as_str().unwrap();
        assert!((70..=170).contains(&negative.chars().count()), "{negative}");
        for image in manifest["images"].as_array().unwrap() {
            let prompt = image["prompt"].as_str().unwrap();
            assert!(
                (150..=350).contains(&prompt.chars().count()),
                "{} chars: {prompt}",
                prompt.len()
            );
            assert!(!prompt.contains('{') && image["an_unknown_field"] == 1);
            let path = session.join(image["filename"].as_str().unwrap());
            let Some(texts) = fs::read(&path).ok().and_then(|b| png_texts(&b)) else {
                continue;
            };
            let parameters = &texts.iter().find(|(k, _)| k == "parameters").unwrap().1;
            assert!(parameters.starts_with(&format!("{prompt}\nNegative prompt: {negative}\n")));
            assert!(parameters.contains(&format!(", Seed: {},", image["seed"])));
            checked += 1;
        }
    }
    assert!(checked > 1_000 && zoned > 0);
}
