//! The benchmark library: sessions of 512x768 PNGs written by the synthetic generator, their
//! pixels then repainted with a photo-like texture (the generator's gradients compress to
//! almost nothing, which would flatter every byte count), text chunks kept as they were.

use std::path::{Path, PathBuf};

use sdreview::synth::{LibrarySpec, generate};

pub struct Library {
    pub root: PathBuf,
    pub db: PathBuf,
    /// PNGs repainted, and their average size.
    pub pngs: usize,
    pub png_bytes: u64,
}

/// About 300 images: enough for 100 judgements by key and 100 by swipe, plus the queue's
/// look-ahead.
fn spec() -> LibrarySpec {
    LibrarySpec {
        sessions: 3,
        images_per_session: 100,
        large_images: 100_000,
        broken_per_mille: 0,
        big_session_files: 0,
        seed: 20_261_201,
    }
}

pub fn build(work: &Path) -> Library {
    let root = work.join("library");
    let db = work.join("review.db");
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work).unwrap();
    generate(&root, &spec()).unwrap();
    let (mut pngs, mut png_bytes) = (0, 0);
    for entry in walk(&root) {
        if entry.extension().is_some_and(|e| e == "png") && repaint(&entry) {
            pngs += 1;
            png_bytes += std::fs::metadata(&entry).unwrap().len();
        }
    }
    Library {
        root,
        db,
        pngs,
        png_bytes,
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Smooth shapes, fine waves and grain, different for every file.
fn texture(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity((width * height * 3) as usize);
    let phase = (seed % 1000) as f32 / 100.0;
    for y in 0..height {
        for x in 0..width {
            let (fx, fy) = (x as f32, y as f32);
            let wave = (fx / 9.0 + phase).sin() * (fy / 13.0 - phase).cos() * 40.0;
            let blob = ((fx - 256.0).hypot(fy - 384.0) / 40.0 + phase).sin() * 30.0;
            let grain = |k: u32| {
                let h = (x.wrapping_mul(73_856_093) ^ y.wrapping_mul(19_349_663) ^ seed ^ k)
                    .wrapping_mul(2_654_435_761);
                ((h >> 27) as f32) - 16.0
            };
            let clamp = |v: f32| v.clamp(0.0, 255.0) as u8;
            out.push(clamp(fx / 2.0 + wave + blob + grain(1)));
            out.push(clamp(fy / 3.0 - wave + grain(2)));
            out.push(clamp(128.0 + blob - wave / 2.0 + grain(3)));
        }
    }
    out
}

/// Replaces the IDAT chunks of an 8-bit RGB PNG with the texture's, keeping every other chunk
/// where it was. False for anything else (left as it is).
fn repaint(path: &Path) -> bool {
    let bytes = std::fs::read(path).unwrap();
    if bytes.len() < 33 || &bytes[12..16] != b"IHDR" {
        return false;
    }
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    let (depth, colour, interlace) = (bytes[24], bytes[25], bytes[28]);
    if (width, height) != (512, 768) || depth != 8 || colour != 2 || interlace != 0 {
        return false;
    }
    let seed = crc32fast::hash(path.to_string_lossy().as_bytes());
    let mut fresh = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut fresh, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer
            .write_image_data(&texture(width, height, seed))
            .unwrap();
    }
    let new_idat: Vec<u8> = chunks(&fresh)
        .filter(|(kind, _)| kind == b"IDAT")
        .flat_map(|(_, whole)| whole.to_vec())
        .collect();
    let mut out = bytes[..8].to_vec();
    let mut written = false;
    for (kind, whole) in chunks(&bytes) {
        if kind == *b"IDAT" {
            if !written {
                out.extend_from_slice(&new_idat);
                written = true;
            }
        } else {
            out.extend_from_slice(whole);
        }
    }
    std::fs::write(path, out).unwrap();
    true
}

/// (type, the whole chunk with its length and CRC) of each chunk after the signature.
fn chunks(png: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut at = 8;
    std::iter::from_fn(move || {
        let len = u32::from_be_bytes(png.get(at..at + 4)?.try_into().ok()?) as usize;
        let kind: [u8; 4] = png.get(at + 4..at + 8)?.try_into().ok()?;
        let whole = png.get(at..at + 12 + len)?;
        at += 12 + len;
        Some((kind, whole))
    })
}
