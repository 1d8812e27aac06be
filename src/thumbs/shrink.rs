//! Shrinking an image as its rows arrive, so that a large original is never held whole: only
//! the sums of the one or two output rows being gathered and the output itself stay in memory.
//!
//! The result is what the `image` crate's `DynamicImage::thumbnail` followed by `to_rgb8` gives
//! for a downscale, pixel for pixel: each output pixel is the rounded average of the block of
//! source pixels it covers (the blocks computed with the same `f32` arithmetic), 16-bit samples
//! are averaged at 16 bits and then rounded to 8, grey is repeated into red, green and blue,
//! and alpha is dropped.

use std::collections::VecDeque;
use std::ops::Range;

use image::RgbImage;

/// How the samples of a row are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// 1 grey, 2 grey and alpha, 3 RGB, 4 RGBA.
    pub channels: usize,
    /// 16-bit samples, big-endian as PNG stores them; otherwise 8-bit.
    pub sixteen_bits: bool,
}

impl Layout {
    /// The channels that end up in the output: grey alone, or red, green and blue.
    fn colours(self) -> usize {
        if self.channels < 3 { 1 } else { 3 }
    }

    pub fn row_bytes(self, width: u32) -> usize {
        width as usize * self.channels * if self.sixteen_bits { 2 } else { 1 }
    }
}

/// The size a `long_side` rendition of a `width` x `height` image has: the aspect ratio kept,
/// never larger than the original (the rounding of the `image` crate's `resize_dimensions`).
pub fn fitted(width: u32, height: u32, long_side: u32) -> (u32, u32) {
    if width.max(height) <= long_side {
        return (width, height);
    }
    let ratio = f64::min(
        f64::from(long_side) / f64::from(width),
        f64::from(long_side) / f64::from(height),
    );
    let side = |length: u32| ((f64::from(length) * ratio).round() as u32).max(1);
    (side(width), side(height))
}

/// For each of `out` output pixels along a side of `length` source pixels, the source pixels
/// it averages. Never empty, even where rounding would make it so.
fn blocks(length: u32, out: u32) -> Vec<Range<u32>> {
    let ratio = length as f32 / out as f32;
    (0..out)
        .map(|i| {
            let startf = i as f32 * ratio;
            let endf = startf + ratio;
            let start = (startf.ceil() as u32).min(length - 1);
            let end = (endf.ceil() as u32).clamp(start + 1, length);
            start..end
        })
        .collect()
}

pub struct Shrink {
    layout: Layout,
    columns: Vec<Range<u32>>,
    rows: Vec<Range<u32>>,
    /// The output rows whose source rows are being summed, oldest first.
    open: VecDeque<(usize, Vec<u64>)>,
    /// Sums of closed rows, zeroed, for the next to open.
    spare: Vec<Vec<u64>>,
    next_to_open: usize,
    next_source_row: u32,
    out: RgbImage,
}

impl Shrink {
    /// Shrinks a `width` x `height` image (both at least 1) to `out_width` x `out_height`, no
    /// larger than it.
    pub fn new(
        layout: Layout,
        (width, height): (u32, u32),
        (out_width, out_height): (u32, u32),
    ) -> Shrink {
        Shrink {
            layout,
            columns: blocks(width, out_width),
            rows: blocks(height, out_height),
            open: VecDeque::new(),
            spare: Vec::new(),
            next_to_open: 0,
            next_source_row: 0,
            out: RgbImage::new(out_width, out_height),
        }
    }

    /// The next source row, top to bottom, as `layout` says.
    pub fn push_row(&mut self, row: &[u8]) {
        let y = self.next_source_row;
        self.next_source_row += 1;
        let sums_len = self.columns.len() * self.layout.colours();
        while self
            .rows
            .get(self.next_to_open)
            .is_some_and(|r| r.start <= y)
        {
            let sums = self.spare.pop().unwrap_or_else(|| vec![0; sums_len]);
            self.open.push_back((self.next_to_open, sums));
            self.next_to_open += 1;
        }
        for (out_row, sums) in &mut self.open {
            if self.rows[*out_row].contains(&y) {
                add_row(sums, row, self.layout, &self.columns);
            }
        }
        while self
            .open
            .front()
            .is_some_and(|(out_row, _)| self.rows[*out_row].end <= y + 1)
        {
            if let Some((out_row, sums)) = self.open.pop_front() {
                self.close(out_row, sums);
            }
        }
    }

    /// The shrunk image (rows never pushed stay black).
    pub fn finish(mut self) -> RgbImage {
        while let Some((out_row, sums)) = self.open.pop_front() {
            self.close(out_row, sums);
        }
        self.out
    }

    fn close(&mut self, out_row: usize, mut sums: Vec<u64>) {
        let colours = self.layout.colours();
        let height = u64::from(self.rows[out_row].len() as u32);
        for (x, columns) in self.columns.iter().enumerate() {
            let count = u64::from(columns.len() as u32) * height;
            let mut pixel = [0u8; 3];
            for (channel, value) in pixel.iter_mut().enumerate() {
                let sum = sums[x * colours + channel.min(colours - 1)];
                let average = (sum + count / 2) / count;
                *value = if self.layout.sixteen_bits {
                    ((average.min(65_535) + 128) / 257) as u8
                } else {
                    average.min(255) as u8
                };
            }
            self.out
                .put_pixel(x as u32, out_row as u32, image::Rgb(pixel));
        }
        sums.fill(0);
        self.spare.push(sums);
    }
}

/// Adds one source row to the sums of one output row. Every sample of a large original passes
/// through here: plain loops, one per layout, keep it fast even in a debug build.
fn add_row(sums: &mut [u64], row: &[u8], layout: Layout, columns: &[Range<u32>]) {
    let colours = layout.colours();
    let step = layout.row_bytes(1);
    let width = columns.last().map_or(0, |c| c.end as usize);
    if row.len() < width * step || sums.len() < columns.len() * colours {
        return;
    }
    for (x, range) in columns.iter().enumerate() {
        let (mut at, end) = (range.start as usize * step, range.end as usize * step);
        let mut total = [0u64; 3];
        match (layout.sixteen_bits, colours) {
            (false, 1) => {
                while at < end {
                    total[0] += u64::from(row[at]);
                    at += step;
                }
            }
            (false, _) => {
                while at < end {
                    total[0] += u64::from(row[at]);
                    total[1] += u64::from(row[at + 1]);
                    total[2] += u64::from(row[at + 2]);
                    at += step;
                }
            }
            (true, 1) => {
                while at < end {
                    total[0] += u64::from(row[at]) << 8 | u64::from(row[at + 1]);
                    at += step;
                }
            }
            (true, _) => {
                while at < end {
                    total[0] += u64::from(row[at]) << 8 | u64::from(row[at + 1]);
                    total[1] += u64::from(row[at + 2]) << 8 | u64::from(row[at + 3]);
                    total[2] += u64::from(row[at + 4]) << 8 | u64::from(row[at + 5]);
                    at += step;
                }
            }
        }
        for (sum, total) in sums[x * colours..(x + 1) * colours].iter_mut().zip(total) {
            *sum += total;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, ImageBuffer, Rgba};

    fn noise(width: u32, height: u32) -> ImageBuffer<Rgba<u16>, Vec<u16>> {
        let mut state = 0x2545_f491_u32;
        ImageBuffer::from_fn(width, height, |x, y| {
            let mut next = || {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u16
            };
            let gradient = ((x * 40 + y * 20) % 65_536) as u16;
            Rgba([gradient, next(), gradient / 2 + next() / 2, next()])
        })
    }

    fn shrunk(image: &DynamicImage, layout: Layout, long_side: u32) -> RgbImage {
        let size = fitted(image.width(), image.height(), long_side);
        let mut shrink = Shrink::new(layout, (image.width(), image.height()), size);
        let bytes_per_row = layout.row_bytes(image.width());
        let bytes = image.as_bytes();
        let big_endian: Vec<u8>;
        let bytes = if layout.sixteen_bits {
            big_endian = bytes
                .chunks_exact(2)
                .flat_map(|s| u16::from_ne_bytes([s[0], s[1]]).to_be_bytes())
                .collect();
            &big_endian[..]
        } else {
            bytes
        };
        for row in bytes.chunks_exact(bytes_per_row) {
            shrink.push_row(row);
        }
        shrink.finish()
    }

    #[test]
    fn the_sizes_are_those_of_the_image_crates_thumbnail() {
        for (width, height) in [(512, 768), (6316, 6316), (1601, 100), (3, 5000), (400, 400)] {
            let expected = DynamicImage::new_luma8(width, height).thumbnail(400, 400);
            assert_eq!(
                fitted(width, height, 400),
                (expected.width(), expected.height()),
                "{width}x{height}"
            );
        }
        assert_eq!(fitted(64, 32, 400), (64, 32), "never upscaled");
    }

    #[test]
    fn a_shrunk_image_is_the_image_crates_thumbnail_pixel_for_pixel() {
        let sixteen = DynamicImage::ImageRgba16(noise(617, 405));
        let layouts = [
            (sixteen.clone(), 4, true),
            (DynamicImage::ImageRgba8(sixteen.to_rgba8()), 4, false),
            (DynamicImage::ImageRgb8(sixteen.to_rgb8()), 3, false),
            (
                DynamicImage::ImageLumaA8(sixteen.to_luma_alpha8()),
                2,
                false,
            ),
            (DynamicImage::ImageLuma16(sixteen.to_luma16()), 1, true),
        ];
        for (image, channels, sixteen_bits) in layouts {
            let layout = Layout {
                channels,
                sixteen_bits,
            };
            for long_side in [100, 400, 617, 1600] {
                let expected = if long_side < 617 {
                    image.thumbnail(long_side, long_side).to_rgb8()
                } else {
                    image.to_rgb8()
                };
                assert!(
                    shrunk(&image, layout, long_side) == expected,
                    "{layout:?} at {long_side} px"
                );
            }
        }
    }
}
