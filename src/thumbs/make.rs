//! Decoding an original and writing its thumbnail as JPEG.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use image::codecs::jpeg::JpegEncoder;

use crate::error::{AppError, AppResult};

/// The long side of a thumbnail, in pixels: sharp on a phone's 3x screen at gallery size.
pub const LONG_SIDE: u32 = 400;
const QUALITY: u8 = 82;

pub fn write_thumbnail(source: &Path, target: &Path) -> AppResult<()> {
    let image = image::ImageReader::open(source)
        .map_err(|e| AppError::io("cannot open the original image", source, e))?
        .with_guessed_format()
        .map_err(|e| AppError::io("cannot read the original image", source, e))?
        .decode()
        .map_err(|e| AppError::BadInput(format!("cannot decode {}: {e}", source.display())))?;
    // Never upscale: a small original is its own thumbnail.
    let image = if image.width().max(image.height()) > LONG_SIDE {
        image.thumbnail(LONG_SIDE, LONG_SIDE)
    } else {
        image
    };
    let rgb = image.to_rgb8();
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| AppError::io("cannot create the thumbnail folder", dir, e))?;
    }
    // Written beside, then renamed: a reader never sees half a thumbnail.
    let partial = target.with_extension("partial");
    let file = File::create(&partial)
        .map_err(|e| AppError::io("cannot write a thumbnail", &partial, e))?;
    let mut writer = BufWriter::new(file);
    JpegEncoder::new_with_quality(&mut writer, QUALITY)
        .encode_image(&rgb)
        .map_err(|e| AppError::Task(format!("cannot encode a thumbnail: {e}")))?;
    writer
        .into_inner()
        .map_err(|e| AppError::io("cannot write a thumbnail", &partial, e.into_error()))?;
    std::fs::rename(&partial, target)
        .map_err(|e| AppError::io("cannot store a thumbnail", target, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbnails_keep_the_aspect_ratio_and_never_upscale() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.png");
        image::RgbImage::new(512, 768).save(&big).unwrap();
        let out = dir.path().join("t/big.jpg");
        write_thumbnail(&big, &out).unwrap();
        let thumb = image::open(&out).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (267, 400));

        let small = dir.path().join("small.png");
        image::RgbImage::new(64, 32).save(&small).unwrap();
        let out = dir.path().join("t/small.jpg");
        write_thumbnail(&small, &out).unwrap();
        let thumb = image::open(&out).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (64, 32));
    }

    #[test]
    fn a_broken_original_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.png");
        std::fs::write(&bad, b"\x89PNG\r\n\x1a\nnot really").unwrap();
        assert!(write_thumbnail(&bad, &dir.path().join("t.jpg")).is_err());
    }
}
