//! Valid PNG files with text chunks placed before or after IDAT, and PNGs cut inside IDAT.

use std::io::{Error, ErrorKind, Result, Write};

use super::pixels::{rgb_pattern, tag_of};

/// Which PNG text chunk type carries a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// `tEXt`: Latin-1, uncompressed.
    Text,
    /// `zTXt`: Latin-1, zlib-compressed.
    Ztxt,
    /// `iTXt`: UTF-8, uncompressed, no language tag.
    Itxt,
}

/// One text chunk to put in a generated PNG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChunk {
    pub kind: TextKind,
    pub keyword: String,
    pub text: String,
    /// Written between the last IDAT and IEND instead of before the first IDAT.
    pub after_idat: bool,
}

impl TextChunk {
    /// A chunk before IDAT.
    pub fn new(kind: TextKind, keyword: &str, text: &str) -> Self {
        Self {
            kind,
            keyword: keyword.to_string(),
            text: text.to_string(),
            after_idat: false,
        }
    }
}

const SIGNATURE_AND_IHDR: usize = 8 + 8 + 13 + 4;
const IEND_LEN: usize = 12;

/// A valid RGB PNG of `width` x `height` with a deterministic pattern, holding `chunks`.
///
/// Chunks with `after_idat` are inserted by hand before IEND (with their CRC), the others right
/// after IHDR. `tEXt` and `zTXt` texts must be Latin-1 (an error otherwise), as PNG requires.
pub fn png_bytes(width: u32, height: u32, chunks: &[TextChunk]) -> Result<Vec<u8>> {
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut tag_source = Vec::new();
    for chunk in chunks {
        let encoded = encode_text_chunk(chunk)?;
        tag_source.extend_from_slice(chunk.text.as_bytes());
        if chunk.after_idat {
            after.extend_from_slice(&encoded);
        } else {
            before.extend_from_slice(&encoded);
        }
    }
    let plain = plain_png(width, height, tag_of(&tag_source))?;
    let iend_at = plain.len().saturating_sub(IEND_LEN);
    if plain.len() < SIGNATURE_AND_IHDR + IEND_LEN || &plain[iend_at + 4..iend_at + 8] != b"IEND" {
        return Err(Error::other("png encoder output has an unexpected layout"));
    }
    let mut out = Vec::with_capacity(plain.len() + before.len() + after.len());
    out.extend_from_slice(&plain[..SIGNATURE_AND_IHDR]);
    out.extend_from_slice(&before);
    out.extend_from_slice(&plain[SIGNATURE_AND_IHDR..iend_at]);
    out.extend_from_slice(&after);
    out.extend_from_slice(&plain[iend_at..]);
    Ok(out)
}

fn plain_png(width: u32, height: u32, tag: u32) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(Error::other)?;
    writer
        .write_image_data(&rgb_pattern(width, height, tag))
        .map_err(Error::other)?;
    writer.finish().map_err(Error::other)?;
    Ok(out)
}

/// The bytes of one PNG chunk: length, type, data and CRC over type and data.
pub fn raw_chunk(kind: &[u8; 4], data: &[u8]) -> Result<Vec<u8>> {
    let len = u32::try_from(data.len()).map_err(|_| invalid("chunk too large"))?;
    let mut out = Vec::with_capacity(data.len() + 12);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
    Ok(out)
}

fn encode_text_chunk(chunk: &TextChunk) -> Result<Vec<u8>> {
    if chunk.keyword.is_empty() || chunk.keyword.chars().count() > 79 {
        return Err(invalid("a PNG text keyword has 1 to 79 characters"));
    }
    let mut data = latin1(&chunk.keyword)?;
    data.push(0);
    match chunk.kind {
        TextKind::Text => {
            data.extend_from_slice(&latin1(&chunk.text)?);
            raw_chunk(b"tEXt", &data)
        }
        TextKind::Ztxt => {
            data.push(0); // compression method: zlib
            let mut z = flate2::write::ZlibEncoder::new(data, flate2::Compression::fast());
            z.write_all(&latin1(&chunk.text)?)?;
            raw_chunk(b"zTXt", &z.finish()?)
        }
        TextKind::Itxt => {
            data.extend_from_slice(&[0, 0]); // not compressed, method 0
            data.extend_from_slice(&[0, 0]); // empty language tag, empty translated keyword
            data.extend_from_slice(chunk.text.as_bytes());
            raw_chunk(b"iTXt", &data)
        }
    }
}

/// Whether `text` fits a `tEXt`/`zTXt` chunk (every character is Latin-1).
pub fn is_latin1(text: &str) -> bool {
    text.chars().all(|c| u32::from(c) <= 0xFF)
}

fn latin1(text: &str) -> Result<Vec<u8>> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).map_err(|_| invalid("tEXt/zTXt text must be Latin-1")))
        .collect()
}

fn invalid(message: &str) -> Error {
    Error::new(ErrorKind::InvalidInput, message.to_string())
}

/// `png` cut in the middle of its first IDAT chunk's data, as a file whose writer was stopped.
pub fn truncate_in_idat(png: &[u8]) -> Vec<u8> {
    let mut at = 8;
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]) as usize;
        if &png[at + 4..at + 8] == b"IDAT" {
            let cut = (at + 8 + len.max(2) / 2).min(png.len());
            return png[..cut].to_vec();
        }
        at += 12 + len;
    }
    png[..png.len() / 2].to_vec()
}

/// A small PNG whose `chunks` zTXt chunks each inflate to `each_expands_to` bytes: the
/// "decompression bomb" that once stopped every import. It also carries a real `parameters`
/// chunk first, which must survive.
pub fn text_bomb_png(parameters: &str, chunks: usize, each_expands_to: usize) -> Result<Vec<u8>> {
    let mut data = b"bomb".to_vec();
    data.extend_from_slice(&[0, 0]); // keyword's NUL, compression method: zlib
    let mut z = flate2::write::ZlibEncoder::new(data, flate2::Compression::best());
    let block = vec![b'A'; 1 << 20];
    let mut left = each_expands_to;
    while left > 0 {
        let n = left.min(block.len());
        z.write_all(&block[..n])?;
        left -= n;
    }
    let bomb = raw_chunk(b"zTXt", &z.finish()?)?;
    let png = png_bytes(
        8,
        8,
        &[TextChunk {
            kind: TextKind::Itxt,
            keyword: "parameters".into(),
            text: parameters.into(),
            after_idat: false,
        }],
    )?;
    // Before IEND, the last 12 bytes.
    let (body, iend) = png.split_at(png.len() - 12);
    let mut out = body.to_vec();
    for _ in 0..chunks {
        out.extend_from_slice(&bomb);
    }
    out.extend_from_slice(iend);
    Ok(out)
}
