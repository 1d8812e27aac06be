//! The libraries the hardening benchmark reads, each made once.

use std::io::Write;
use std::path::{Path, PathBuf};

use sdreview::synth::png_file::{TextChunk, TextKind, png_bytes, text_bomb_png};
use sdreview::synth::{LibrarySpec, generate};

/// Makes the library with `make` unless a finished one is there.
fn once(root: &Path, make: impl FnOnce(&Path)) -> PathBuf {
    let done = root.join(".complete");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(root);
        std::fs::create_dir_all(root).unwrap();
        println!("generating {} (once)...", root.display());
        make(root);
        std::fs::write(&done, b"").unwrap();
    }
    root.to_path_buf()
}

fn text(keyword: &str, text: String) -> TextChunk {
    TextChunk {
        kind: TextKind::Text,
        keyword: keyword.into(),
        text,
        after_idat: false,
    }
}

/// Every hostile shape at once: text bombs, files at the text cap, manifests of tens of
/// megabytes listing files that are not there, beside an ordinary small library.
pub fn hostile(root: &Path) -> PathBuf {
    once(root, |root| {
        generate(root, &LibrarySpec::small()).unwrap();
        let bombs = root.join("20261126_010000-text bombs");
        std::fs::create_dir(&bombs).unwrap();
        let carrier = "bomb\nNegative prompt: x\nSteps: 20, Sampler: Euler, Seed: 1, Size: 8x8";
        let bomb = text_bomb_png(carrier, 16, 64 << 20).unwrap();
        for i in 0..10 {
            std::fs::write(bombs.join(format!("{i:05}.png")), &bomb).unwrap();
        }
        let full = root.join("20261126_020000-full of text");
        std::fs::create_dir(&full).unwrap();
        for i in 0..100 {
            let filler = format!("{i:02} ").repeat(400_000);
            let chunks = [
                text("prompt", filler[..1 << 20].to_owned()),
                text("workflow", filler[1..(1 << 20) + 1].to_owned()),
            ];
            std::fs::write(
                full.join(format!("{i:05}.png")),
                png_bytes(8, 8, &chunks).unwrap(),
            )
            .unwrap();
        }
        for s in 0..2 {
            let dir = root.join(format!("20261126_03000{s}-huge manifest"));
            std::fs::create_dir(&dir).unwrap();
            let mut manifest =
                std::io::BufWriter::new(std::fs::File::create(dir.join("manifest.json")).unwrap());
            write!(
                manifest,
                r#"{{"snapshot": {{"version": "2.0"}}, "images": ["#
            )
            .unwrap();
            for i in 0..25_000 {
                let comma = if i == 0 { "" } else { "," };
                let prompt = "a long prompt about a lighthouse at dusk, ".repeat(20);
                write!(
                    manifest,
                    r#"{comma}{{"filename": "{i:06}.png", "seed": {i}, "prompt": "{prompt}", "negative_prompt": "blurry", "applied_variations": {{"Subject": "lighthouse {i}"}}}}"#
                )
                .unwrap();
            }
            write!(manifest, "]}}").unwrap();
        }
    })
}

/// The import benchmark's library: 1,000 sessions, about 30,000 images.
pub fn everyday(root: &Path) -> PathBuf {
    once(root, |root| {
        generate(root, &LibrarySpec::benchmark()).unwrap();
    })
}

/// Moves the mtime of up to `files` images forward, so that the next import reads them again.
pub fn touch(root: &Path, files: usize) {
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(1);
    let mut touched = 0;
    let mut folders: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    for folder in folders {
        for entry in std::fs::read_dir(&folder).unwrap().filter_map(Result::ok) {
            let path = entry.path();
            if touched >= files || path.extension().is_none_or(|e| e != "png") {
                continue;
            }
            if let Ok(file) = std::fs::File::options().write(true).open(&path) {
                file.set_modified(later).unwrap();
                touched += 1;
            }
        }
    }
}

/// Eight 11000x11000 PNGs of a few hundred kilobytes each: 121 megapixels to decode apiece.
pub fn bombs(root: &Path) -> PathBuf {
    once(root, |root| {
        let dir = root.join("20261126_040000-pixel bombs");
        std::fs::create_dir(&dir).unwrap();
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, 11_000, 11_000);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_compression(png::Compression::High);
        let mut writer = encoder.write_header().unwrap();
        let mut stream = writer.stream_writer().unwrap();
        let row = vec![0u8; 11_000];
        for _ in 0..11_000 {
            stream.write_all(&row).unwrap();
        }
        stream.finish().unwrap();
        drop(writer);
        for i in 0..8 {
            std::fs::write(dir.join(format!("{i:05}.png")), &bytes).unwrap();
        }
    })
}

/// Eight 6316x6316 PNGs at 16 bits per channel with alpha, just under the 40-megapixel cap: a
/// little over a megabyte each, 319 MB apiece decoded whole.
pub fn large_16_bit(root: &Path) -> PathBuf {
    once(root, |root| {
        let dir = root.join("20261126_060000-large 16-bit");
        std::fs::create_dir(&dir).unwrap();
        let side = 6316;
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, side, side);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Sixteen);
        encoder.set_compression(png::Compression::High);
        let mut writer = encoder.write_header().unwrap();
        let mut stream = writer.stream_writer().unwrap();
        for y in 0..side {
            let row: Vec<u8> = (0..side)
                .flat_map(|x| {
                    [
                        (x * 10) as u16,
                        (y * 10) as u16,
                        ((x + y) * 5) as u16,
                        u16::MAX,
                    ]
                })
                .flat_map(u16::to_be_bytes)
                .collect();
            stream.write_all(&row).unwrap();
        }
        stream.finish().unwrap();
        drop(writer);
        for i in 0..8 {
            std::fs::write(dir.join(format!("{i:05}.png")), &bytes).unwrap();
        }
    })
}

/// Two images of 40,000 A1111 parameters each, none shared.
pub fn many_parameters(root: &Path) -> PathBuf {
    once(root, |root| {
        let dir = root.join("20261126_050000-many parameters");
        std::fs::create_dir(&dir).unwrap();
        for (file, prefix) in [("00000.png", "a"), ("00001.png", "b")] {
            let pairs: Vec<String> = (0..40_000)
                .map(|i| format!("{prefix}{i:05}: value {i}"))
                .collect();
            let chunk = text(
                "parameters",
                format!("many parameters\n{}", pairs.join(", ")),
            );
            std::fs::write(dir.join(file), png_bytes(8, 8, &[chunk]).unwrap()).unwrap();
        }
    })
}
