//! Writing a session folder the ways generators do: whole files, temporary files renamed into
//! place, and a file that grows in chunks.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sdreview::synth::png_file::{TextChunk, TextKind, png_bytes};

/// A readable PNG with A1111 parameters, different for each `seed`.
pub fn a1111_png(seed: u32) -> Vec<u8> {
    let text = format!(
        "a lighthouse at dusk\nNegative prompt: blur\nSteps: 20, Sampler: Euler, Seed: {seed}, Size: 64x96, Model: live"
    );
    png_bytes(
        64,
        96,
        &[TextChunk::new(TextKind::Text, "parameters", &text)],
    )
    .unwrap()
}

pub struct SessionFolder {
    pub path: PathBuf,
    pub name: String,
}

impl SessionFolder {
    pub fn create(root: &Path, name: &str) -> SessionFolder {
        let path = root.join(name);
        std::fs::create_dir(&path).unwrap();
        SessionFolder {
            path,
            name: name.to_owned(),
        }
    }

    pub fn write(&self, file: &str, bytes: &[u8]) {
        std::fs::write(self.path.join(file), bytes).unwrap();
    }

    /// As A1111 does: the bytes go to a temporary name first, then the file is renamed.
    pub fn write_via_rename(&self, file: &str, bytes: &[u8]) {
        let temporary = self.path.join(format!("{file}.tmp"));
        std::fs::write(&temporary, bytes).unwrap();
        std::fs::rename(&temporary, self.path.join(file)).unwrap();
    }

    /// The file grows in `chunks` parts with `pause` between them, each part flushed.
    pub async fn write_in_chunks(&self, file: &str, bytes: &[u8], chunks: usize, pause: Duration) {
        let mut handle = std::fs::File::create(self.path.join(file)).unwrap();
        let size = bytes.len().div_ceil(chunks);
        for (i, part) in bytes.chunks(size).enumerate() {
            if i > 0 {
                tokio::time::sleep(pause).await;
            }
            handle.write_all(part).unwrap();
            handle.flush().unwrap();
        }
    }
}

/// Waits until `check` holds, up to `limit`; false when it never did.
pub async fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let started = std::time::Instant::now();
    while started.elapsed() < limit {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check()
}
