//! JPEG and WebP outputs whose A1111 parameters sit in an EXIF UserComment, as A1111 (piexif)
//! writes them.

use std::io::{Error, Result};

use image::ExtendedColorType;

use super::pixels::{rgb_pattern, tag_of};

const TAG_EXIF_IFD_POINTER: u16 = 0x8769;
const TAG_USER_COMMENT: u16 = 0x9286;
const TYPE_LONG: u16 = 4;
const TYPE_UNDEFINED: u16 = 7;

/// A baseline JPEG from `image`'s encoder; with a comment, an APP1 `Exif\0\0` segment right after
/// SOI holds a big-endian TIFF whose Exif IFD has the UserComment `UNICODE\0` + UTF-16BE text.
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
    let mut out = Vec::with_capacity(jpeg.len() + payload.len() + 4);
    out.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE1]);
    out.extend_from_slice(&segment_len.to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&jpeg[2..]);
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

/// A minimal big-endian TIFF: IFD0 holding only the Exif IFD pointer, and an Exif IFD holding
/// only UserComment (type UNDEFINED) = `UNICODE\0` followed by the text in UTF-16BE.
pub fn tiff_with_user_comment(comment: &str) -> Result<Vec<u8>> {
    let mut value = b"UNICODE\0".to_vec();
    for unit in comment.encode_utf16() {
        value.extend_from_slice(&unit.to_be_bytes());
    }
    let count = u32::try_from(value.len()).map_err(|_| Error::other("comment too long"))?;
    const IFD_LEN: u32 = 2 + 12 + 4;
    let exif_ifd_at = 8 + IFD_LEN;
    let value_at = exif_ifd_at + IFD_LEN;
    let mut out = Vec::with_capacity(value_at as usize + value.len());
    out.extend_from_slice(b"MM\0\x2A");
    out.extend_from_slice(&8u32.to_be_bytes());
    push_ifd(&mut out, TAG_EXIF_IFD_POINTER, TYPE_LONG, 1, exif_ifd_at);
    push_ifd(&mut out, TAG_USER_COMMENT, TYPE_UNDEFINED, count, value_at);
    out.extend_from_slice(&value);
    Ok(out)
}

fn push_ifd(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value_or_offset: u32) {
    out.extend_from_slice(&1u16.to_be_bytes());
    out.extend_from_slice(&tag.to_be_bytes());
    out.extend_from_slice(&kind.to_be_bytes());
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&value_or_offset.to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
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
