//! Reads what sdreview needs from a PNG, its size and its text chunks, by walking the chunk
//! list and seeking over the pixel data. The `png` crate would have to inflate every IDAT chunk
//! to reach a text chunk written after the image data; this walk reads a few kilobytes.

use std::io::{BufReader, Read, Seek};

use flate2::read::ZlibDecoder;

const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
/// Text kept from one chunk. Real A1111 and ComfyUI text is a few kilobytes, a large ComfyUI
/// workflow a few hundred; more is an attack or a fault, and is cut here rather than stored
/// (one file once held 16 zTXt chunks of 64 MiB each and stopped every import).
pub const MAX_CHUNK_TEXT: usize = 1 << 20;
/// Text kept from one file, all chunks together.
pub const MAX_FILE_TEXT: usize = 2 << 20;
/// A chunk is read through its CRC in pieces this large, so that a huge one costs no memory.
const READ_PIECE: usize = 64 << 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PngInfo {
    pub width: u32,
    pub height: u32,
    /// (keyword, text) of every tEXt, zTXt and iTXt chunk, in file order, within the caps.
    pub texts: Vec<(String, String)>,
    /// Why some text was not kept whole (a chunk or the file over its cap); None when all was.
    pub text_cut: Option<String>,
}

/// Why a file is not a readable PNG, in words for the import report.
pub type Broken = String;

pub fn read_png<R: Read + Seek>(
    input: &mut BufReader<R>,
    file_len: u64,
) -> Result<PngInfo, Broken> {
    let mut signature = [0u8; 8];
    read_fully(input, &mut signature)
        .map_err(|_| "truncated: shorter than a PNG signature".to_owned())?;
    if &signature != SIGNATURE {
        return Err("not a PNG: wrong signature".to_owned());
    }
    let mut position = 8u64;
    let mut size = None;
    let mut texts = Vec::new();
    let mut kept = 0usize;
    let mut cuts: Vec<String> = Vec::new();
    loop {
        let mut header = [0u8; 8];
        if read_fully(input, &mut header).is_err() {
            return Err(format!(
                "truncated: file ends at byte {file_len} before the IEND chunk"
            ));
        }
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let kind = [header[4], header[5], header[6], header[7]];
        let name = String::from_utf8_lossy(&kind).into_owned();
        if !kind.iter().all(u8::is_ascii_alphabetic) || length > i32::MAX as u32 {
            return Err(format!("corrupt: invalid chunk header at byte {position}"));
        }
        let end = position + 12 + u64::from(length);
        if end > file_len {
            return Err(format!(
                "truncated: file ends inside the {name} chunk at byte {file_len}"
            ));
        }
        if size.is_none() && &kind != b"IHDR" {
            return Err("corrupt: the first chunk is not IHDR".to_owned());
        }
        match &kind {
            b"IEND" => break,
            b"IHDR" => {
                let data = read_checked(input, kind, length, 13)
                    .map_err(|why| format!("{why} in the {name} chunk"))?;
                size = Some(parse_ihdr(&data)?);
            }
            b"tEXt" | b"zTXt" | b"iTXt" => {
                let room = MAX_FILE_TEXT.saturating_sub(kept);
                // Compressed text is at worst a little larger than the text it holds.
                let data = read_checked(input, kind, length, room.min(MAX_CHUNK_TEXT) + 64)
                    .map_err(|why| format!("{why} in the {name} chunk"))?;
                match decode_text(&kind, &data, room.min(MAX_CHUNK_TEXT)) {
                    Some(Text { keyword, text, cut }) => {
                        if cut || (data.len() as u64) < u64::from(length) {
                            cuts.push(keyword.clone());
                        }
                        kept += text.len();
                        texts.push((keyword, text));
                    }
                    None if room == 0 => cuts.push(name.clone()),
                    None => {}
                }
            }
            _ => {
                input
                    .seek_relative(i64::from(length) + 4)
                    .map_err(|e| format!("unreadable: {e}"))?;
            }
        }
        position = end;
    }
    let (width, height) = size.ok_or_else(|| "corrupt: no IHDR chunk".to_owned())?;
    Ok(PngInfo {
        width,
        height,
        texts,
        text_cut: cut_reason(&cuts),
    })
}

fn cut_reason(cuts: &[String]) -> Option<String> {
    let (first, rest) = cuts.split_first()?;
    let more = match rest.len() {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    Some(format!(
        "text cut: chunk {first:?}{more} held more than the {} MiB per chunk or {} MiB per \
         file that is kept",
        MAX_CHUNK_TEXT >> 20,
        MAX_FILE_TEXT >> 20
    ))
}

fn read_fully<R: Read>(input: &mut R, buf: &mut [u8]) -> std::io::Result<()> {
    input.read_exact(buf)
}

/// The first `keep` bytes of a chunk's data; the rest is read through the CRC check only.
fn read_checked<R: Read>(
    input: &mut R,
    kind: [u8; 4],
    length: u32,
    keep: usize,
) -> Result<Vec<u8>, &'static str> {
    let length = length as usize;
    let mut data = vec![0u8; length.min(keep)];
    read_fully(input, &mut data).map_err(|_| "truncated")?;
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&kind);
    hasher.update(&data);
    let mut left = length - data.len();
    let mut piece = vec![0u8; left.min(READ_PIECE)];
    while left > 0 {
        let part = &mut piece[..left.min(READ_PIECE)];
        read_fully(input, part).map_err(|_| "truncated")?;
        hasher.update(part);
        left -= part.len();
    }
    let mut crc = [0u8; 4];
    read_fully(input, &mut crc).map_err(|_| "truncated")?;
    if hasher.finalize() != u32::from_be_bytes(crc) {
        return Err("corrupt: CRC mismatch");
    }
    Ok(data)
}

fn parse_ihdr(data: &[u8]) -> Result<(u32, u32), Broken> {
    if data.len() != 13 {
        return Err("corrupt: IHDR chunk has the wrong length".to_owned());
    }
    let width = u32::from_be_bytes([data[0], data[1], data[2], data[3]]);
    let height = u32::from_be_bytes([data[4], data[5], data[6], data[7]]);
    if width == 0 || height == 0 {
        return Err("corrupt: zero width or height".to_owned());
    }
    Ok((width, height))
}

struct Text {
    keyword: String,
    text: String,
    /// True when the text held more than `limit` bytes and only the first ones were kept.
    cut: bool,
}

/// A text chunk's keyword and at most `limit` bytes of its text; None for a chunk too damaged
/// to read.
fn decode_text(kind: &[u8; 4], data: &[u8], limit: usize) -> Option<Text> {
    let nul = data.iter().position(|&b| b == 0)?;
    let keyword = latin1_or_utf8(&data[..nul.min(79)]);
    let rest = &data[nul + 1..];
    let (bytes, latin1) = match kind {
        b"tEXt" => (rest.to_vec(), true),
        b"zTXt" => (inflate(rest.get(1..)?, limit)?, true),
        _ => {
            let (&compressed, rest) = rest.split_first()?;
            let rest = rest.get(1..)?; // compression method
            let language_end = rest.iter().position(|&b| b == 0)?;
            let rest = &rest[language_end + 1..];
            let translated_end = rest.iter().position(|&b| b == 0)?;
            let body = &rest[translated_end + 1..];
            let bytes = if compressed == 1 {
                inflate(body, limit)?
            } else {
                body.to_vec()
            };
            (bytes, false)
        }
    };
    let cut = bytes.len() > limit;
    let bytes = cut_at_char(&bytes, limit);
    let text = if latin1 {
        latin1_or_utf8(bytes)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    };
    Some(Text { keyword, text, cut })
}

/// At most `limit + 1` bytes of a zlib stream, so that a cut can be told from a fit.
fn inflate(data: &[u8], limit: usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    ZlibDecoder::new(data)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// The first `limit` bytes, less a UTF-8 character that the cut would split, so that cut
/// UTF-8 text is not mistaken for Latin-1.
fn cut_at_char(bytes: &[u8], limit: usize) -> &[u8] {
    if bytes.len() <= limit {
        return bytes;
    }
    let head = &bytes[..limit];
    match std::str::from_utf8(head) {
        Err(e) if e.error_len().is_none() => &head[..e.valid_up_to()],
        _ => head,
    }
}

/// tEXt is Latin-1 by the standard, but some writers put UTF-8 in it; valid UTF-8 wins.
fn latin1_or_utf8(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}
