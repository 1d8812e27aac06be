//! An image's perceptual hash: a 16x16 gradient hash (256 bits), the kind czkawka uses. Each
//! bit says whether a cell of the picture, shrunk to 17x16 and turned grey, is brighter than
//! its right-hand neighbour, so re-encoding, a small resize or a few changed pixels flip few
//! bits while a different picture flips about half of them.

use image::RgbImage;
use image_hasher::{HashAlg, Hasher, HasherConfig};
use std::sync::LazyLock;

/// Bytes in a hash: 16 x 16 bits.
pub const HASH_BYTES: usize = 32;
/// Bits in a hash: the largest distance two hashes can be apart.
pub const HASH_BITS: u32 = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PerceptualHash(pub [u64; 4]);

static HASHER: LazyLock<Hasher<[u8; HASH_BYTES]>> = LazyLock::new(|| {
    HasherConfig::with_bytes_type::<[u8; HASH_BYTES]>()
        .hash_size(16, 16)
        .hash_alg(HashAlg::Gradient)
        .to_hasher()
});

impl PerceptualHash {
    /// The hash of these pixels. Callers hash the thumbnail-sized copy (400 px long side) that
    /// `thumbs` makes, so the background pass and the thumbnail maker agree bit for bit.
    pub fn of_pixels(pixels: &RgbImage) -> PerceptualHash {
        let hash = HASHER.hash_image(pixels);
        let mut bytes = [0u8; HASH_BYTES];
        bytes.copy_from_slice(hash.as_bytes());
        PerceptualHash::from_bytes(&bytes)
    }

    pub fn from_bytes(bytes: &[u8; HASH_BYTES]) -> PerceptualHash {
        let mut words = [0u64; 4];
        for (word, chunk) in words.iter_mut().zip(bytes.chunks_exact(8)) {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(chunk);
            *word = u64::from_be_bytes(eight);
        }
        PerceptualHash(words)
    }

    /// The stored form; `None` when `bytes` is not a hash (a damaged row).
    pub fn from_slice(bytes: &[u8]) -> Option<PerceptualHash> {
        <&[u8; HASH_BYTES]>::try_from(bytes)
            .ok()
            .map(PerceptualHash::from_bytes)
    }

    pub fn to_bytes(self) -> [u8; HASH_BYTES] {
        let mut bytes = [0u8; HASH_BYTES];
        for (chunk, word) in bytes.chunks_exact_mut(8).zip(self.0) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        bytes
    }

    /// How many bits differ: 0 for the same picture, about 128 for unrelated ones.
    pub fn distance(&self, other: &PerceptualHash) -> u32 {
        self.0
            .iter()
            .zip(other.0)
            .map(|(a, b)| (a ^ b).count_ones())
            .sum()
    }

    /// The `n`th of the 16 bit ranges of 16 bits each (n < 16): the multi-index's keys.
    pub fn chunk(&self, n: usize) -> u16 {
        let word = self.0[n / 4];
        (word >> (48 - 16 * (n % 4))) as u16
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(seed: u32) -> RgbImage {
        RgbImage::from_fn(300, 400, |x, y| {
            let v = ((x * (3 + seed) + y * (5 + 2 * seed)) % 256) as u8;
            image::Rgb([v, v / 2, 255 - v])
        })
    }

    #[test]
    fn bytes_round_trip_and_chunks_cover_every_bit() {
        let hash = PerceptualHash([1, u64::MAX, 0x0123_4567_89ab_cdef, 42]);
        assert_eq!(PerceptualHash::from_bytes(&hash.to_bytes()), hash);
        assert_eq!(PerceptualHash::from_slice(&hash.to_bytes()[..31]), None);
        let ones: u32 = (0..16).map(|n| hash.chunk(n).count_ones()).sum();
        assert_eq!(ones, hash.0.iter().map(|w| w.count_ones()).sum::<u32>());
        assert_eq!(hash.chunk(4), 0xffff);
        assert_eq!(hash.chunk(8), 0x0123);
        assert_eq!(hash.chunk(11), 0xcdef);
    }

    #[test]
    fn a_resized_copy_is_near_and_another_picture_is_far() {
        let original = picture(1);
        let resized = image::imageops::resize(&original, 285, 380, image::imageops::Triangle);
        let other = picture(7);
        let a = PerceptualHash::of_pixels(&original);
        assert!(a.distance(&PerceptualHash::of_pixels(&resized)) <= 5);
        assert!(a.distance(&PerceptualHash::of_pixels(&other)) > 40);
    }
}
