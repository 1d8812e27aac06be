//! Smaller copies of the originals, thumbnails for the gallery and screen-sized renditions for
//! review: made on first request, kept on disk beside the database, never made twice at once
//! for the same image.

mod decode_budget;
mod make;
mod shrink;

pub use make::Original;

/// Which smaller copy: the size and JPEG quality each is made at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendition {
    /// 400 px long side: sharp on a phone's 3x screen at gallery size.
    Thumb,
    /// 1600 px long side: fills a desktop or a phone screen in review, for a fraction of the
    /// original's bytes (a 512x768 PNG of 2 MB becomes a JPEG of about 100 KB).
    Screen,
}

impl Rendition {
    pub fn long_side(self) -> u32 {
        match self {
            Rendition::Thumb => 400,
            Rendition::Screen => 1600,
        }
    }

    fn quality(self) -> u8 {
        match self {
            Rendition::Thumb => 82,
            Rendition::Screen => 85,
        }
    }

    /// Added to the cached file's name; thumbnails keep the names they always had.
    fn suffix(self) -> &'static str {
        match self {
            Rendition::Thumb => "",
            Rendition::Screen => "-screen",
        }
    }
}

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::AppResult;
use crate::similar::hash::PerceptualHash;
use decode_budget::DecodeBudget;

/// Thumbnail hashes kept for the hashing pass at most (40 bytes each).
const MAX_FRESH_HASHES: usize = 10_000;

/// What the renditions being made may hold at once. A streamed PNG holds a few rows and its
/// output (a 16-bit 40-megapixel PNG's screen rendition: about 16 MB); a JPEG or WebP is held
/// whole (at most 160 MB under the pixel cap), so two large ones are decoded one after the
/// other. Beside the server's own tens of megabytes, this keeps it under 300 MB.
pub const DECODE_MEMORY_BYTES: usize = 192 << 20;

pub struct ThumbnailCache {
    dir: PathBuf,
    /// Decoding is CPU- and memory-heavy: no more at once than there are cores, and no more
    /// bytes than `DECODE_MEMORY_BYTES`, so that many first requests at once queue instead of
    /// taking gigabytes together.
    decoding: DecodeBudget,
    /// One lock per thumbnail being made; concurrent requests for it wait on the first.
    in_flight: Mutex<HashMap<String, Arc<Mutex<()>>>>,
    /// How many renditions this cache has made since start (logs, tests).
    made: AtomicUsize,
    /// Hashes of the thumbnails made since the hashing pass last took them: the pixels were
    /// decoded anyway, so the pass need not decode those originals again.
    fresh_hashes: Mutex<std::collections::VecDeque<FreshHash>>,
}

/// A thumbnail's perceptual hash, for the image's version with this mtime.
#[derive(Debug, Clone, Copy)]
pub struct FreshHash {
    pub image_id: i32,
    pub file_mtime_ns: i64,
    pub hash: PerceptualHash,
}

impl ThumbnailCache {
    pub fn new(dir: PathBuf) -> ThumbnailCache {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        ThumbnailCache {
            dir,
            decoding: DecodeBudget::new(cores, DECODE_MEMORY_BYTES),
            in_flight: Mutex::default(),
            made: AtomicUsize::new(0),
            fresh_hashes: Mutex::default(),
        }
    }

    /// Where a rendition of this version of a file lives. The key holds the file's mtime,
    /// so a rewritten original gets a new thumbnail; images are sharded a thousand a folder.
    pub fn path_for(&self, image_id: i32, mtime_ns: i64, rendition: Rendition) -> PathBuf {
        self.dir
            .join(format!("{:04}", image_id / 1000))
            .join(format!("{image_id}-{mtime_ns:x}{}.jpg", rendition.suffix()))
    }

    /// The cached rendition, made from `source` first if needed. Blocking: call it off the
    /// async workers.
    pub fn get_or_make(
        &self,
        image_id: i32,
        mtime_ns: i64,
        source: &Path,
        rendition: Rendition,
    ) -> AppResult<PathBuf> {
        let path = self.path_for(image_id, mtime_ns, rendition);
        if path.is_file() {
            return Ok(path);
        }
        let key = path.to_string_lossy().into_owned();
        let lock = self
            .in_flight
            .lock()
            .map(|mut map| map.entry(key.clone()).or_default().clone())
            .unwrap_or_default();
        let result = {
            let _making = lock.lock();
            if path.is_file() {
                Ok(())
            } else {
                let made = make::Original::read(source).and_then(|original| {
                    let _turn = self.decoding.reserve(original.memory_needed(rendition));
                    original.write_rendition(&path, rendition)
                });
                made.map(|pixels| {
                    self.made.fetch_add(1, Ordering::Relaxed);
                    if rendition == Rendition::Thumb {
                        self.keep_fresh_hash(FreshHash {
                            image_id,
                            file_mtime_ns: mtime_ns,
                            hash: PerceptualHash::of_pixels(&pixels),
                        });
                    }
                })
            }
        };
        if let Ok(mut map) = self.in_flight.lock() {
            // The last one out removes the lock (the map holds one reference, we hold one).
            if map.get(&key).is_some_and(|l| Arc::strong_count(l) <= 2) {
                map.remove(&key);
            }
        }
        result.map(|()| path)
    }

    pub fn made(&self) -> usize {
        self.made.load(Ordering::Relaxed)
    }

    /// The pixels a perceptual hash is made from: the original at thumbnail size, decoded
    /// within the same budget as the renditions. Blocking.
    pub fn pixels_for_hash(&self, source: &Path) -> AppResult<image::RgbImage> {
        let original = make::Original::read(source)?;
        let _turn = self
            .decoding
            .reserve(original.memory_needed(Rendition::Thumb));
        original.shrunk(Rendition::Thumb)
    }

    fn keep_fresh_hash(&self, fresh: FreshHash) {
        if let Ok(mut kept) = self.fresh_hashes.lock() {
            // Bounded: when no pass takes them (`serve --no-hash`), the oldest are dropped.
            if kept.len() >= MAX_FRESH_HASHES {
                kept.pop_front();
            }
            kept.push_back(fresh);
        }
    }

    /// The hashes of thumbnails made since the last call.
    pub fn take_fresh_hashes(&self) -> Vec<FreshHash> {
        self.fresh_hashes
            .lock()
            .map(|mut kept| kept.drain(..).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_first_requests_make_the_thumbnail_once() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("a.png");
        image::RgbImage::new(512, 768).save(&source).unwrap();
        let cache = ThumbnailCache::new(dir.path().join("thumbs"));
        let start = std::sync::Barrier::new(8);
        let paths: Vec<PathBuf> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        cache
                            .get_or_make(7, 123, &source, Rendition::Thumb)
                            .unwrap()
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        assert_eq!(cache.made(), 1);
        assert!(paths.iter().all(|p| p == &paths[0] && p.is_file()));
        cache
            .get_or_make(7, 123, &source, Rendition::Thumb)
            .unwrap();
        assert_eq!(cache.made(), 1, "a cached thumbnail is not made again");
        let screen = cache
            .get_or_make(7, 123, &source, Rendition::Screen)
            .unwrap();
        assert_ne!(
            screen, paths[0],
            "the screen rendition is a file of its own"
        );
        assert_eq!(cache.made(), 2);
    }
}
