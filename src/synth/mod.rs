//! A synthetic Stable Diffusion output library: realistic session folders with every fault of
//! SPEC section 2, and the counts an importer must find in it. Used by the integration tests and
//! the import benchmark.

pub mod a1111_text;
mod comfy;
mod content;
pub mod exif_file;
pub mod manifest_file;
pub mod near_copies;
mod pixels;
mod plan;
pub mod png_file;
mod prompts;
pub mod recipe;
mod roles;
mod session_plan;
mod tally;
mod vocab;
mod write;

#[cfg(test)]
mod tests;

use std::path::Path;

/// What library to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibrarySpec {
    /// Regular session folders (current name shape, manifest v2). Among them the faulty ones:
    /// an invalid manifest, the last one still being written, missing or unlisted files. Older
    /// `.prompt` sessions (5%, at least 1) and odd-name ones (1%, at least 2: one of them ComfyUI
    /// output) come in addition, and so does the big session.
    pub sessions: usize,
    /// Average images per session; each session varies by +-50%, deterministically.
    pub images_per_session: usize,
    /// How many image files in total are 512x768 (the others are 1/8 of the requested size).
    pub large_images: usize,
    /// About this many broken images per thousand (zero-byte, truncated, text named `.png`).
    pub broken_per_mille: u32,
    /// One extra session with this many images (0 = none).
    pub big_session_files: usize,
    /// Everything is decided by this seed.
    pub seed: u64,
}

impl LibrarySpec {
    /// 16 folders of about 5 images, a big one of 1,000 files, every fault at least once.
    pub fn small() -> Self {
        Self {
            sessions: 12,
            images_per_session: 5,
            large_images: 3,
            broken_per_mille: 10,
            big_session_files: 1_000,
            seed: 2,
        }
    }

    /// 1,000 session folders (the big one of 2,000 files included), about 30,000 images,
    /// 300 of them large, about 1% broken.
    pub fn benchmark() -> Self {
        Self {
            sessions: 943,
            images_per_session: 28,
            large_images: 300,
            broken_per_mille: 10,
            big_session_files: 2_000,
            seed: 20_250_312,
        }
    }
}

/// What an importer must find in a generated library.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Expected {
    /// Session folders written.
    pub sessions_found: usize,
    /// Sessions without a manifest.json (config-only or images-only).
    pub legacy_sessions: usize,
    /// Sessions whose manifest.json is invalid.
    pub manifest_errors: usize,
    /// Image files on disk (.png .jpg .jpeg .webp, any case), broken ones included.
    pub images_found: usize,
    /// Zero-byte, truncated, or not-an-image files among them.
    pub broken_files: usize,
    /// Manifest entries whose file is not on disk.
    pub missing_listed: usize,
    /// Image files in a session with a valid manifest that the manifest does not list.
    pub unlisted_files: usize,
    /// Non-broken images carrying A1111 parameters (PNG chunk or JPEG/WebP EXIF UserComment).
    pub with_parameters: usize,
    /// PNGs whose parameters chunk is after IDAT.
    pub parameters_after_idat: usize,
    pub jpeg_files: usize,
    pub webp_files: usize,
    /// PNGs with ComfyUI `prompt` + `workflow` JSON chunks instead of parameters.
    pub comfyui_files: usize,
}

/// Writes the library described by `spec` under `root` (created if needed) and returns what an
/// importer must find there. The same spec always writes the same bytes.
pub fn generate(root: &Path, spec: &LibrarySpec) -> std::io::Result<Expected> {
    std::fs::create_dir_all(root)?;
    let plans = plan::plan_library(spec);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                let plans = &plans;
                scope.spawn(move || {
                    plans
                        .iter()
                        .skip(worker)
                        .step_by(workers)
                        .try_for_each(|session| write::write_session(root, session))
                })
            })
            .collect();
        handles.into_iter().try_for_each(|handle| {
            handle
                .join()
                .map_err(|_| std::io::Error::other("a writer thread panicked"))?
        })
    })?;
    std::fs::write(
        root.join("README.txt"),
        "Sorties de generate.py : un dossier par session.\n",
    )?;
    Ok(tally::tally(&plans))
}
