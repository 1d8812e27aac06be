//! Decoding an original and writing a smaller copy of it (a thumbnail or a screen-sized
//! rendition) as JPEG. A PNG is read row by row and shrunk as it comes, so that even a
//! 40-megapixel 16-bit original costs a few rows of memory; JPEG and WebP are decoded whole,
//! and the cache reserves what that takes from its decoding budget first.

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, RgbImage};

use super::Rendition;
use super::shrink::{Layout, Shrink, fitted};
use crate::error::{AppError, AppResult};

/// The most pixels decoded for a thumbnail or a screen rendition: a 4x hires-fix upscale of SDXL (4096x6144) fits,
/// while an 11000x11000 "decompression bomb" of a few hundred kilobytes, which would take
/// gigabytes to decode, gets the placeholder instead.
pub const MAX_PIXELS: u64 = 40_000_000;
/// What the decoder may allocate: the largest image allowed at 16 bits per channel with alpha.
const MAX_DECODE_BYTES: u64 = MAX_PIXELS * 8;

/// How an original's pixels are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// A PNG, row by row into the shrinking: only a few rows are held, whatever its size.
    PngRows,
    /// An interlaced PNG, whose rows come in seven passes: decoded whole, at 8 bits.
    PngInterlaced,
    /// JPEG and WebP: decoded whole by the `image` crate.
    Whole,
}

/// An original whose header was read and found small enough to decode.
pub struct Original {
    path: PathBuf,
    width: u32,
    height: u32,
    reading: Reading,
    /// What the decoded original takes where it is held whole, or one row of it.
    decoded_bytes: u64,
}

fn open(source: &Path) -> AppResult<BufReader<File>> {
    File::open(source)
        .map(BufReader::new)
        .map_err(|e| AppError::io("cannot open the original image", source, e))
}

fn undecodable(source: &Path, error: impl std::fmt::Display) -> AppError {
    AppError::BadInput(format!("cannot decode {}: {error}", source.display()))
}

fn png_decoder(source: &Path) -> AppResult<png::Decoder<BufReader<File>>> {
    let mut decoder = png::Decoder::new_with_limits(
        open(source)?,
        png::Limits {
            bytes: MAX_DECODE_BYTES as usize,
        },
    );
    // The prompts and the colour profile play no part in a smaller copy: not reading them
    // keeps a text bomb from costing anything here.
    decoder.set_ignore_text_chunk(true);
    decoder.set_ignore_iccp_chunk(true);
    Ok(decoder)
}

/// The layout of PNG rows once expanded (palette to RGB, low bit depths to 8 bits, tRNS to
/// alpha), as the `image` crate reads them.
fn png_layout((colour, depth): (png::ColorType, png::BitDepth)) -> Layout {
    Layout {
        channels: colour.samples(),
        sixteen_bits: depth == png::BitDepth::Sixteen,
    }
}

impl Original {
    /// Reads the header only: its size decides whether decoding is affordable at all.
    pub fn read(source: &Path) -> AppResult<Original> {
        let format = image::ImageReader::new(open(source)?)
            .with_guessed_format()
            .map_err(|e| AppError::io("cannot read the original image", source, e))?
            .format();
        let (width, height, reading, decoded_bytes) = if format == Some(ImageFormat::Png) {
            let mut decoder = png_decoder(source)?;
            let info = decoder
                .read_header_info()
                .map_err(|e| undecodable(source, e))?;
            // Before the palette and tRNS are read, count a palette as RGBA: the most it becomes.
            let colour = match info.color_type {
                png::ColorType::Indexed => png::ColorType::Rgba,
                colour => colour,
            };
            let (width, height) = info.size();
            let layout = png_layout((colour, info.bit_depth));
            if info.interlaced {
                let eight_bits = Layout {
                    sixteen_bits: false,
                    ..layout
                };
                let frame = eight_bits.row_bytes(width) as u64 * u64::from(height);
                (width, height, Reading::PngInterlaced, frame)
            } else {
                let row = layout.row_bytes(width) as u64;
                (width, height, Reading::PngRows, row)
            }
        } else {
            let decoder = image::ImageReader::new(open(source)?)
                .with_guessed_format()
                .map_err(|e| AppError::io("cannot read the original image", source, e))?
                .into_decoder()
                .map_err(|e| undecodable(source, e))?;
            let (width, height) = decoder.dimensions();
            (width, height, Reading::Whole, decoder.total_bytes())
        };
        if width == 0 || height == 0 {
            return Err(undecodable(source, "it has no pixels"));
        }
        if u64::from(width) * u64::from(height) > MAX_PIXELS {
            return Err(AppError::BadInput(format!(
                "{} is {width}x{height} pixels, over the {} megapixels a smaller copy is made from",
                source.display(),
                MAX_PIXELS / 1_000_000
            )));
        }
        Ok(Original {
            path: source.to_path_buf(),
            width,
            height,
            reading,
            decoded_bytes,
        })
    }

    /// About what making `rendition` holds at its peak: the decoded original (whole, or a few
    /// rows of it: the decoder's current and previous row and its output), the shrunk copy, and
    /// the JPEG encoder's working copy of it.
    pub fn memory_needed(&self, rendition: Rendition) -> usize {
        let (out_width, out_height) = fitted(self.width, self.height, rendition.long_side());
        let output = u64::from(out_width) * u64::from(out_height) * 3;
        let decoded = match self.reading {
            Reading::PngRows => self.decoded_bytes * 4,
            Reading::PngInterlaced | Reading::Whole => self.decoded_bytes,
        };
        usize::try_from(decoded + 2 * output).unwrap_or(usize::MAX)
    }

    /// Writes `rendition` of this original to `target` as JPEG, and gives back the pixels
    /// written (a thumbnail's are hashed for near-duplicates while they are at hand).
    pub fn write_rendition(&self, target: &Path, rendition: Rendition) -> AppResult<RgbImage> {
        let rgb = self.shrunk(rendition)?;
        write_jpeg(&rgb, target, rendition)?;
        Ok(rgb)
    }

    /// The original at the rendition's size (never upscaled), as 8-bit RGB.
    pub fn shrunk(&self, rendition: Rendition) -> AppResult<RgbImage> {
        let size = (self.width, self.height);
        let out = fitted(self.width, self.height, rendition.long_side());
        match self.reading {
            Reading::PngRows | Reading::PngInterlaced => self.shrunk_png(out),
            Reading::Whole => {
                let mut reader = image::ImageReader::new(open(&self.path)?)
                    .with_guessed_format()
                    .map_err(|e| AppError::io("cannot read the original image", &self.path, e))?;
                let mut limits = image::Limits::default();
                limits.max_alloc = Some(MAX_DECODE_BYTES);
                reader.limits(limits);
                let image = reader.decode().map_err(|e| undecodable(&self.path, e))?;
                if (image.width(), image.height()) != size {
                    return Err(undecodable(
                        &self.path,
                        "its size changed since its header was read",
                    ));
                }
                Ok(shrink_decoded(image, out))
            }
        }
    }

    fn shrunk_png(&self, out: (u32, u32)) -> AppResult<RgbImage> {
        let source = &self.path;
        let mut decoder = png_decoder(source)?;
        decoder.set_transformations(if self.reading == Reading::PngInterlaced {
            png::Transformations::normalize_to_color8()
        } else {
            png::Transformations::EXPAND
        });
        let mut reader = decoder.read_info().map_err(|e| undecodable(source, e))?;
        if reader.info().size() != (self.width, self.height) {
            return Err(undecodable(
                source,
                "its size changed since its header was read",
            ));
        }
        let layout = png_layout(reader.output_color_type());
        let mut shrink = Shrink::new(layout, (self.width, self.height), out);
        if self.reading == Reading::PngInterlaced {
            let size = reader
                .output_buffer_size()
                .ok_or_else(|| undecodable(source, "it is too large"))?;
            let mut frame = vec![0; size];
            let info = reader
                .next_frame(&mut frame)
                .map_err(|e| undecodable(source, e))?;
            for row in frame.chunks_exact(info.line_size.max(1)) {
                shrink.push_row(row);
            }
        } else {
            while let Some(row) = reader.next_row().map_err(|e| undecodable(source, e))? {
                shrink.push_row(row.data());
            }
        }
        Ok(shrink.finish())
    }
}

/// Writes `rgb` as JPEG beside `target`, then renames it: a reader never sees half a file.
fn write_jpeg(rgb: &RgbImage, target: &Path, rendition: Rendition) -> AppResult<()> {
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| AppError::io("cannot create the thumbnail folder", dir, e))?;
    }
    let partial = target.with_extension("partial");
    let file = File::create(&partial)
        .map_err(|e| AppError::io("cannot write a thumbnail", &partial, e))?;
    let mut writer = BufWriter::new(file);
    JpegEncoder::new_with_quality(&mut writer, rendition.quality())
        .encode_image(rgb)
        .map_err(|e| AppError::Task(format!("cannot encode a thumbnail: {e}")))?;
    writer
        .into_inner()
        .map_err(|e| AppError::io("cannot write a thumbnail", &partial, e.into_error()))?;
    std::fs::rename(&partial, target)
        .map_err(|e| AppError::io("cannot store a thumbnail", target, e))
}

/// A decoded JPEG or WebP at `out` size. The shrinking reads 8-bit samples as they are; any
/// other kind (which these decoders do not produce) is turned into 8-bit RGB first.
fn shrink_decoded(image: DynamicImage, out: (u32, u32)) -> RgbImage {
    let channels = match &image {
        DynamicImage::ImageLuma8(_) => 1,
        DynamicImage::ImageLumaA8(_) => 2,
        DynamicImage::ImageRgb8(_) => 3,
        DynamicImage::ImageRgba8(_) => 4,
        _ => return shrink_decoded(DynamicImage::ImageRgb8(image.to_rgb8()), out),
    };
    let layout = Layout {
        channels,
        sixteen_bits: false,
    };
    let mut shrink = Shrink::new(layout, (image.width(), image.height()), out);
    for row in image
        .as_bytes()
        .chunks_exact(layout.row_bytes(image.width()).max(1))
    {
        shrink.push_row(row);
    }
    shrink.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::png_file::raw_chunk;
    use std::io::Write;

    fn write_rendition(source: &Path, target: &Path, rendition: Rendition) -> AppResult<()> {
        Original::read(source)?
            .write_rendition(target, rendition)
            .map(drop)
    }

    /// A photo-like image: gradients with noise in every channel, alpha included.
    fn photo(width: u32, height: u32) -> image::ImageBuffer<image::Rgba<u16>, Vec<u16>> {
        let mut state = 0x9e37_79b9_u32;
        image::ImageBuffer::from_fn(width, height, |x, y| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let noise = (state & 0x0fff) as u16;
            let (x, y) = ((x * 65_535 / width) as u16, (y * 65_535 / height) as u16);
            image::Rgba([
                x / 2 + noise,
                y / 2 + noise,
                (x / 4 + y / 4) ^ noise,
                65_535 - noise,
            ])
        })
    }

    /// What making a rendition did before it was streamed: decode it all, `thumbnail`, RGB.
    fn decoded_whole(source: &Path, rendition: Rendition) -> RgbImage {
        let image = image::open(source).unwrap();
        let long_side = rendition.long_side();
        if image.width().max(image.height()) > long_side {
            image.thumbnail(long_side, long_side).to_rgb8()
        } else {
            image.to_rgb8()
        }
    }

    fn mean_difference(a: &RgbImage, b: &RgbImage) -> f64 {
        assert_eq!(a.dimensions(), b.dimensions());
        let total: u64 = a
            .as_raw()
            .iter()
            .zip(b.as_raw())
            .map(|(x, y)| u64::from(x.abs_diff(*y)))
            .sum();
        total as f64 / a.as_raw().len() as f64
    }

    /// The pixels of `image` in the seven passes of Adam7 interlacing (the `png` crate's
    /// encoder writes no interlaced files).
    fn interlaced_png(image: &image::ImageBuffer<image::Rgba<u16>, Vec<u16>>) -> Vec<u8> {
        let (width, height) = image.dimensions();
        let mut raw = Vec::new();
        for (x0, y0, dx, dy) in [
            (0, 0, 8, 8),
            (4, 0, 8, 8),
            (0, 4, 4, 8),
            (2, 0, 4, 4),
            (0, 2, 2, 4),
            (1, 0, 2, 2),
            (0, 1, 1, 2),
        ] {
            if x0 >= width || y0 >= height {
                continue;
            }
            for y in (y0..height).step_by(dy) {
                raw.push(0);
                for x in (x0..width).step_by(dx) {
                    for sample in image.get_pixel(x, y).0 {
                        raw.extend_from_slice(&sample.to_be_bytes());
                    }
                }
            }
        }
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&raw).unwrap();
        let mut header = Vec::new();
        header.extend_from_slice(&width.to_be_bytes());
        header.extend_from_slice(&height.to_be_bytes());
        header.extend_from_slice(&[16, 6, 0, 0, 1]); // 16 bits, RGBA, zlib, filter 0, Adam7
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(raw_chunk(b"IHDR", &header).unwrap());
        png.extend(raw_chunk(b"IDAT", &z.finish().unwrap()).unwrap());
        png.extend(raw_chunk(b"IEND", &[]).unwrap());
        png
    }

    #[test]
    fn a_png_read_row_by_row_gives_the_very_pixels_decoding_it_whole_gave() {
        let dir = tempfile::tempdir().unwrap();
        let sixteen = image::DynamicImage::ImageRgba16(photo(700, 1050));
        let eight = dir.path().join("eight.png");
        image::DynamicImage::ImageRgb8(sixteen.to_rgb8())
            .save(&eight)
            .unwrap();
        let deep = dir.path().join("deep.png");
        sixteen.save(&deep).unwrap();
        let grey = dir.path().join("grey.png");
        image::DynamicImage::ImageLuma8(sixteen.to_luma8())
            .save(&grey)
            .unwrap();
        for source in [eight, deep, grey] {
            let original = Original::read(&source).unwrap();
            assert_eq!(original.reading, Reading::PngRows);
            for rendition in [Rendition::Thumb, Rendition::Screen] {
                assert!(
                    original.shrunk(rendition).unwrap() == decoded_whole(&source, rendition),
                    "{} {rendition:?}",
                    source.display()
                );
            }
        }
    }

    #[test]
    fn an_interlaced_png_and_a_jpeg_look_as_they_did_decoded_whole() {
        let dir = tempfile::tempdir().unwrap();
        let photo = photo(700, 1050);
        let interlaced = dir.path().join("interlaced.png");
        std::fs::write(&interlaced, interlaced_png(&photo)).unwrap();
        let jpeg = dir.path().join("photo.jpg");
        image::DynamicImage::ImageRgba16(photo)
            .to_rgb8()
            .save(&jpeg)
            .unwrap();
        for (source, reading) in [(interlaced, Reading::PngInterlaced), (jpeg, Reading::Whole)] {
            let original = Original::read(&source).unwrap();
            assert_eq!(original.reading, reading);
            for rendition in [Rendition::Thumb, Rendition::Screen] {
                let shrunk = original.shrunk(rendition).unwrap();
                let before = decoded_whole(&source, rendition);
                assert!(
                    mean_difference(&shrunk, &before) < 0.5,
                    "{reading:?} {rendition:?}"
                );
            }
        }
    }

    #[test]
    fn a_large_16_bit_png_needs_a_few_rows_while_a_jpeg_needs_all_its_pixels() {
        let dir = tempfile::tempdir().unwrap();
        // The header alone is read: a PNG that ends after it is enough.
        let deep = dir.path().join("deep.png");
        let mut header = Vec::new();
        header.extend_from_slice(&6316u32.to_be_bytes());
        header.extend_from_slice(&6316u32.to_be_bytes());
        header.extend_from_slice(&[16, 6, 0, 0, 0]);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(raw_chunk(b"IHDR", &header).unwrap());
        std::fs::write(&deep, png).unwrap();
        let original = Original::read(&deep).unwrap();
        // Decoded whole it would be 6316 x 6316 x 8 bytes: 319 MB.
        assert!(original.memory_needed(Rendition::Thumb) < 2 << 20);
        assert!(original.memory_needed(Rendition::Screen) < 20 << 20);

        let jpeg = dir.path().join("photo.jpg");
        image::RgbImage::new(2000, 1500).save(&jpeg).unwrap();
        let original = Original::read(&jpeg).unwrap();
        assert!(original.memory_needed(Rendition::Thumb) >= 2000 * 1500 * 3);
    }

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
