//! Decoding an original and writing a smaller copy of it (a thumbnail or a screen-sized
//! rendition) as JPEG.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use image::codecs::jpeg::JpegEncoder;

use super::Rendition;
use crate::error::{AppError, AppResult};

/// The most pixels decoded for a thumbnail or a screen rendition: a 4x hires-fix upscale of SDXL (4096x6144) fits,
/// while an 11000x11000 "decompression bomb" of a few hundred kilobytes, which would take
/// gigabytes to decode, gets the placeholder instead.
pub const MAX_PIXELS: u64 = 40_000_000;
/// What the decoder may allocate: the largest image allowed at 16 bits per channel with alpha.
const MAX_DECODE_BYTES: u64 = MAX_PIXELS * 8;

fn open(source: &Path) -> AppResult<image::ImageReader<std::io::BufReader<File>>> {
    image::ImageReader::open(source)
        .map_err(|e| AppError::io("cannot open the original image", source, e))?
        .with_guessed_format()
        .map_err(|e| AppError::io("cannot read the original image", source, e))
}

pub fn write_rendition(source: &Path, target: &Path, rendition: Rendition) -> AppResult<()> {
    // The header first: its size decides whether decoding is affordable at all.
    let (width, height) = open(source)?
        .into_dimensions()
        .map_err(|e| AppError::BadInput(format!("cannot decode {}: {e}", source.display())))?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(AppError::BadInput(format!(
            "{} is {width}x{height} pixels, over the {} megapixels a smaller copy is made from",
            source.display(),
            MAX_PIXELS / 1_000_000
        )));
    }
    let mut reader = open(source)?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| AppError::BadInput(format!("cannot decode {}: {e}", source.display())))?;
    // Never upscale: a small original is its own thumbnail (and screen rendition).
    let long_side = rendition.long_side();
    let image = if image.width().max(image.height()) > long_side {
        image.thumbnail(long_side, long_side)
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
    JpegEncoder::new_with_quality(&mut writer, rendition.quality())
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
        write_rendition(&big, &out, Rendition::Thumb).unwrap();
        let thumb = image::open(&out).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (267, 400));

        let small = dir.path().join("small.png");
        image::RgbImage::new(64, 32).save(&small).unwrap();
        let out = dir.path().join("t/small.jpg");
        write_rendition(&small, &out, Rendition::Thumb).unwrap();
        let thumb = image::open(&out).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (64, 32));
    }

    #[test]
    fn a_screen_rendition_is_1600_pixels_long_and_a_smaller_original_stays_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.png");
        image::RgbImage::new(2048, 3072).save(&big).unwrap();
        let out = dir.path().join("s/big.jpg");
        write_rendition(&big, &out, Rendition::Screen).unwrap();
        let screen = image::open(&out).unwrap();
        assert_eq!((screen.width(), screen.height()), (1067, 1600));

        let sd = dir.path().join("sd.png");
        image::RgbImage::new(512, 768).save(&sd).unwrap();
        let out = dir.path().join("s/sd.jpg");
        write_rendition(&sd, &out, Rendition::Screen).unwrap();
        let screen = image::open(&out).unwrap();
        assert_eq!((screen.width(), screen.height()), (512, 768));
    }

    #[test]
    fn an_image_over_the_pixel_cap_is_refused_before_decoding() {
        let dir = tempfile::tempdir().unwrap();
        let bomb = dir.path().join("bomb.png");
        // 11000x11000 grey pixels compress to a few hundred kilobytes and would decode to
        // 121 MB; the header alone must turn it down.
        let file = std::io::BufWriter::new(File::create(&bomb).unwrap());
        let mut encoder = png::Encoder::new(file, 11_000, 11_000);
        encoder.set_color(png::ColorType::Grayscale);
        let mut writer = encoder.write_header().unwrap();
        let mut stream = writer.stream_writer().unwrap();
        let row = vec![0u8; 11_000];
        for _ in 0..11_000 {
            std::io::Write::write_all(&mut stream, &row).unwrap();
        }
        stream.finish().unwrap();
        let error =
            write_rendition(&bomb, &dir.path().join("t.jpg"), Rendition::Screen).unwrap_err();
        assert!(error.to_string().contains("11000x11000"), "{error}");
        assert!(!dir.path().join("t.jpg").exists());
    }

    #[test]
    fn a_broken_original_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.png");
        std::fs::write(&bad, b"\x89PNG\r\n\x1a\nnot really").unwrap();
        assert!(write_rendition(&bad, &dir.path().join("t.jpg"), Rendition::Thumb).is_err());
    }
}
