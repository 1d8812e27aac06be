//! JPEG and WebP outputs whose A1111 parameters sit in an EXIF UserComment, byte for byte as
//! A1111 (through piexif) writes them, so generated libraries and the importer's tests hold
//! the layout real libraries have.

use std::io::{Error, Result};

use image::ExtendedColorType;

use super::pixels::{rgb_pattern, tag_of};

const TAG_EXIF_IFD_POINTER: u16 = 0x8769;
const TAG_USER_COMMENT: u16 = 0x9286;
const TYPE_LONG: u16 = 4;
const TYPE_UNDEFINED: u16 = 7;

/// A baseline JPEG from `image`'s encoder; with a comment, laid out as A1111 leaves it: piexif
/// puts an APP1 `Exif\0\0` segment in the place of the encoder's JFIF APP0, right after SOI.
pub fn jpeg_bytes(width: u32, height: u32, user_comment: Option<&str>) -> Result<Vec<u8>> {
    let pixels = rgb_pattern(width, height, tag_of(user_comment.unwrap_or("").as_bytes()));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode(&pixels, width, height, ExtendedColorType::Rgb8)
        .map_err(Error::other)?;
    let Some(comment) = user_comment else {
        return Ok(jpeg);
    };
    if jpeg.get(..2) != Some(&[0xFF, 0xD8][..]) {
        return Err(Error::other("jpeg encoder output does not start with SOI"));
    }
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff_with_user_comment(comment)?);
    let segment_len = u16::try_from(payload.len() + 2)
        .map_err(|_| Error::other("user comment too long for one APP1 segment"))?;
    let after_app0 = match jpeg.get(2..6) {
        Some([0xFF, 0xE0, high, low]) => 4 + usize::from(u16::from_be_bytes([*high, *low])),
        _ => 2,
    };
    let rest = jpeg
        .get(after_app0..)
        .ok_or_else(|| Error::other("jpeg encoder output has a cut APP0"))?;
    let mut out = Vec::with_capacity(rest.len() + payload.len() + 6);
    out.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE1]);
    out.extend_from_slice(&segment_len.to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(rest);
    Ok(out)
}

/// A lossless WebP (VP8L) from `image`'s encoder; with a comment, rewritten as an extended file:
/// `VP8X` (EXIF flag, canvas size), the `VP8L` chunk, then an `EXIF` chunk with the TIFF block.
pub fn webp_bytes(width: u32, height: u32, user_comment: Option<&str>) -> Result<Vec<u8>> {
    let pixels = rgb_pattern(width, height, tag_of(user_comment.unwrap_or("").as_bytes()));
    let mut webp = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut webp)
        .encode(&pixels, width, height, ExtendedColorType::Rgb8)
        .map_err(Error::other)?;
    let Some(comment) = user_comment else {
        return Ok(webp);
    };
    let mut body = b"WEBP".to_vec();
    body.extend_from_slice(&riff_chunk(b"VP8X", &vp8x_payload(width, height)?));
    for (kind, data) in riff_chunks(&webp)? {
        if kind != *b"VP8X" {
            body.extend_from_slice(&riff_chunk(&kind, data));
        }
    }
    body.extend_from_slice(&riff_chunk(b"EXIF", &tiff_with_user_comment(comment)?));
    let riff_len =
        u32::try_from(body.len()).map_err(|_| Error::other("webp too large for RIFF"))?;
    let mut out = Vec::with_capacity(body.len() + 8);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&riff_len.to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

/// The TIFF block exactly as A1111 has piexif write it: big-endian; IFD0 holding only the Exif
/// IFD pointer, then a zero next-IFD offset; the Exif IFD holding only UserComment (type
/// UNDEFINED) = `UNICODE\0` + UTF-16BE text, with *no* next-IFD offset (piexif writes one for
/// IFD0 and IFD1 only), its value right after the entry. Readers that insist on that offset
/// take the first bytes of the value for it.
pub fn tiff_with_user_comment(comment: &str) -> Result<Vec<u8>> {
    let mut value = b"UNICODE\0".to_vec();
    for unit in comment.encode_utf16() {
        value.extend_from_slice(&unit.to_be_bytes());
    }
    let count = u32::try_from(value.len()).map_err(|_| Error::other("comment too long"))?;
    const ENTRY_LEN: u32 = 12;
    let exif_ifd_at = 8 + 2 + ENTRY_LEN + 4;
    let value_at = exif_ifd_at + 2 + ENTRY_LEN;
    let mut out = Vec::with_capacity(value_at as usize + value.len());
    out.extend_from_slice(b"MM\0\x2A");
    out.extend_from_slice(&8u32.to_be_bytes());
    push_entry(&mut out, TAG_EXIF_IFD_POINTER, TYPE_LONG, 1, exif_ifd_at);
    out.extend_from_slice(&0u32.to_be_bytes()); // IFD0: no next IFD
    push_entry(&mut out, TAG_USER_COMMENT, TYPE_UNDEFINED, count, value_at);
    out.extend_from_slice(&value);
    Ok(out)
}

/// An IFD's entry count (always one here) and its one entry.
fn push_entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value_or_offset: u32) {
    out.extend_from_slice(&1u16.to_be_bytes());
    out.extend_from_slice(&tag.to_be_bytes());
    out.extend_from_slice(&kind.to_be_bytes());
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&value_or_offset.to_be_bytes());
}

fn vp8x_payload(width: u32, height: u32) -> Result<Vec<u8>> {
    let too_big = || Error::other("webp canvas larger than 2^24");
    let w = width
        .checked_sub(1)
        .filter(|w| *w < 1 << 24)
        .ok_or_else(too_big)?;
    let h = height
        .checked_sub(1)
        .filter(|h| *h < 1 << 24)
        .ok_or_else(too_big)?;
    let mut out = vec![0x08, 0, 0, 0]; // flags: EXIF present; reserved
    out.extend_from_slice(&w.to_le_bytes()[..3]);
    out.extend_from_slice(&h.to_le_bytes()[..3]);
    Ok(out)
}

fn riff_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 9);
    out.extend_from_slice(kind);
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
    out
}

/// The chunks of a RIFF WEBP file as (fourcc, payload without padding).
fn riff_chunks(webp: &[u8]) -> Result<Vec<([u8; 4], &[u8])>> {
    let bad = || Error::other("webp encoder output is not a RIFF WEBP file");
    if webp.len() < 12 || &webp[..4] != b"RIFF" || &webp[8..12] != b"WEBP" {
        return Err(bad());
    }
    let mut chunks = Vec::new();
    let mut at = 12;
    while at + 8 <= webp.len() {
        let kind: [u8; 4] = webp[at..at + 4].try_into().map_err(|_| bad())?;
        let len_bytes: [u8; 4] = webp[at + 4..at + 8].try_into().map_err(|_| bad())?;
        let len = u32::from_le_bytes(len_bytes) as usize;
        let data = webp.get(at + 8..at + 8 + len).ok_or_else(bad)?;
        chunks.push((kind, data));
        at += 8 + len + len % 2;
    }
    Ok(chunks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tiff_block_is_byte_for_byte_what_piexif_dumps() {
        // piexif.dump({"Exif": {UserComment: UserComment.dump("hi", encoding="unicode")}})
        // without its `Exif\0\0` header.
        let piexif: &[u8] = b"MM\0\x2A\0\0\0\x08\
            \0\x01\x87\x69\0\x04\0\0\0\x01\0\0\0\x1A\0\0\0\0\
            \0\x01\x92\x86\0\x07\0\0\0\x0C\0\0\0\x28\
            UNICODE\0\0h\0i";
        assert_eq!(tiff_with_user_comment("hi").unwrap(), piexif);
    }

    #[test]
    fn the_exif_segment_takes_the_place_of_the_jfif_one() {
        let jpeg = jpeg_bytes(8, 8, Some("hi")).unwrap();
        assert_eq!(jpeg[..4], [0xFF, 0xD8, 0xFF, 0xE1]);
        assert_eq!(&jpeg[6..12], b"Exif\0\0");
        assert!(!jpeg.windows(4).any(|w| w == b"JFIF"), "no APP0 left");
        assert!(image::load_from_memory(&jpeg).is_ok());
    }
}
