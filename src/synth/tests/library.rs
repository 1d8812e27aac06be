//! Whole generated libraries, checked against an independent count of the files on disk.

use std::fs;
use std::path::{Path, PathBuf};

use super::census::census;
use crate::synth::{Expected, LibrarySpec, generate, plan};

pub(super) fn generated(spec: &LibrarySpec) -> (tempfile::TempDir, Expected) {
    let dir = tempfile::tempdir().unwrap();
    let expected = generate(dir.path(), spec).unwrap();
    (dir, expected)
}

pub(super) fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

pub(super) fn folder_names(root: &Path) -> Vec<String> {
    fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
        .collect()
}

#[test]
fn the_small_library_holds_exactly_what_expected_says() {
    let (dir, expected) = generated(&LibrarySpec::small());
    assert_eq!(census(dir.path()), expected);
}

#[test]
fn the_small_library_holds_every_fault_at_least_once() {
    let (_dir, e) = generated(&LibrarySpec::small());
    let counts = [
        e.sessions_found,
        e.legacy_sessions,
        e.manifest_errors,
        e.images_found,
        e.missing_listed,
        e.unlisted_files,
        e.with_parameters,
        e.parameters_after_idat,
        e.jpeg_files,
        e.webp_files,
        e.comfyui_files,
    ];
    assert!(counts.iter().all(|n| *n > 0), "{e:?}");
    assert!(
        e.broken_files >= 4,
        "zero-byte, truncated, text and still-being-written: {e:?}"
    );
}

#[test]
fn the_same_seed_writes_the_same_bytes() {
    let spec = LibrarySpec {
        big_session_files: 50,
        ..LibrarySpec::small()
    };
    let (a, expected_a) = generated(&spec);
    let (b, expected_b) = generated(&spec);
    assert_eq!(expected_a, expected_b);
    let read = |root: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        files_under(root)
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(read(a.path()), read(b.path()));

    let (c, _) = generated(&LibrarySpec {
        seed: spec.seed + 1,
        ..spec
    });
    assert_ne!(read(a.path()), read(c.path()));
}

#[test]
fn the_benchmark_spec_plans_a_thousand_sessions_and_about_30k_images() {
    let plans = plan::plan_library(&LibrarySpec::benchmark());
    assert_eq!(plans.len(), 1_000);
    let files: Vec<_> = plans
        .iter()
        .flat_map(|p| &p.files)
        .filter(|f| f.on_disk)
        .collect();
    assert!(
        (28_000..=32_000).contains(&files.len()),
        "{} images",
        files.len()
    );
    assert_eq!(files.iter().filter(|f| f.large).count(), 300);
    let broken = files.iter().filter(|f| f.is_broken()).count();
    assert!((150..=500).contains(&broken), "{broken} broken");
}
