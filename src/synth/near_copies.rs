//! Pictures with planted near-duplicates, for the near-duplicate tests and benchmark: distinct
//! scenes (coloured shapes over a gradient, different for each seed) and copies of one that a
//! person would call the same picture: re-encoded, resized by 5%, or with a few pixels changed.

use std::io::{Error, Result};

use image::RgbImage;
use image::imageops::{FilterType, resize};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// How a copy differs from its original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copy {
    /// The same pixels, written with other PNG settings (other bytes, same picture).
    Reencoded,
    /// 95% of the size.
    Resized,
    /// Twelve pixels painted over.
    Dotted,
}

pub const COPIES: [Copy; 3] = [Copy::Reencoded, Copy::Resized, Copy::Dotted];

/// A scene of its own for each seed: a two-colour gradient with a dozen shapes on it.
pub fn picture(seed: u64, width: u32, height: u32) -> RgbImage {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut colour = || [rng.random::<u8>(), rng.random::<u8>(), rng.random::<u8>()];
    let (top, bottom) = (colour(), colour());
    let mut pixels = RgbImage::from_fn(width, height, |_, y| {
        let t = y as f32 / height.max(1) as f32;
        image::Rgb(std::array::from_fn(|c| {
            (f32::from(top[c]) * (1.0 - t) + f32::from(bottom[c]) * t) as u8
        }))
    });
    for _ in 0..12 {
        let fill = image::Rgb([rng.random(), rng.random(), rng.random()]);
        let (w, h) = (
            rng.random_range(width / 8..width / 2),
            rng.random_range(height / 8..height / 2),
        );
        let (x0, y0) = (
            rng.random_range(0..width - w),
            rng.random_range(0..height - h),
        );
        let round = rng.random::<bool>();
        for y in y0..y0 + h {
            for x in x0..x0 + w {
                let (dx, dy) = (
                    (x - x0) as f32 / w as f32 - 0.5,
                    (y - y0) as f32 / h as f32 - 0.5,
                );
                if !round || dx * dx + dy * dy <= 0.25 {
                    pixels.put_pixel(x, y, fill);
                }
            }
        }
    }
    pixels
}

/// `original`, changed as `copy` says.
pub fn copy_of(original: &RgbImage, copy: Copy) -> RgbImage {
    match copy {
        Copy::Reencoded => original.clone(),
        Copy::Resized => resize(
            original,
            original.width() * 95 / 100,
            original.height() * 95 / 100,
            FilterType::Triangle,
        ),
        Copy::Dotted => {
            let mut dotted = original.clone();
            let (w, h) = dotted.dimensions();
            for i in 0..12 {
                dotted.put_pixel((i * 37) % w, (i * 53) % h, image::Rgb([255, 0, 255]));
            }
            dotted
        }
    }
}

/// The picture as a PNG with A1111 `parameters`; `best` compresses hard with adaptive
/// filters, otherwise fast and unfiltered, so the two encodings differ in every byte after
/// the header.
pub fn png(pixels: &RgbImage, parameters: &str, best: bool) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixels.width(), pixels.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    if best {
        encoder.set_compression(png::Compression::High);
        encoder.set_filter(png::Filter::Paeth);
    } else {
        encoder.set_compression(png::Compression::Fast);
        encoder.set_filter(png::Filter::NoFilter);
    }
    encoder
        .add_text_chunk("parameters".to_owned(), parameters.to_owned())
        .map_err(Error::other)?;
    let mut writer = encoder.write_header().map_err(Error::other)?;
    writer
        .write_image_data(pixels.as_raw())
        .map_err(Error::other)?;
    writer.finish().map_err(Error::other)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similar::hash::PerceptualHash;

    #[test]
    fn copies_are_near_and_other_scenes_are_far() {
        let original = picture(1, 256, 384);
        let hash = PerceptualHash::of_pixels(&original);
        for copy in COPIES {
            let distance = hash.distance(&PerceptualHash::of_pixels(&copy_of(&original, copy)));
            assert!(distance <= 5, "{copy:?} is {distance} bits away");
        }
        for seed in 2..40 {
            let other = PerceptualHash::of_pixels(&picture(seed, 256, 384));
            assert!(hash.distance(&other) > 30, "scene {seed} is near scene 1");
        }
    }
}
