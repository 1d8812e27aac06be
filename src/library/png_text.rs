//! Reads what sdreview needs from a PNG, its size and its text chunks, by walking the chunk
//! list and seeking over the pixel data. The `png` crate would have to inflate every IDAT chunk
//! to reach a text chunk written after the image data; this walk reads a few kilobytes.

use std::io::{BufReader, Read, Seek};

use flate2::read::ZlibDecoder;

const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
/// Larger text chunks are not metadata a generator writes; refuse rather than allocate.
const MAX_TEXT_CHUNK: u32 = 64 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PngInfo {
    pub width: u32,
    pub height: u32,
    /// (keyword, text) of every tEXt, zTXt and iTXt chunk, in file order.
    pub texts: Vec<(String, String)>,
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
            b"IHDR" | b"tEXt" | b"zTXt" | b"iTXt" => {
                if length > MAX_TEXT_CHUNK {
                    return Err(format!("corrupt: {name} chunk of {length} bytes"));
                }
                let data = read_checked(input, kind, length)
                    .map_err(|why| format!("{why} in the {name} chunk"))?;
                if &kind == b"IHDR" {
                    size = Some(parse_ihdr(&data)?);
                } else if let Some(text) = decode_text(&kind, &data) {
                    texts.push(text);
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
    })
}

fn read_fully<R: Read>(input: &mut R, buf: &mut [u8]) -> std::io::Result<()> {
    input.read_exact(buf)
}

fn read_checked<R: Read>(
    input: &mut R,
    kind: [u8; 4],
    length: u32,
) -> Result<Vec<u8>, &'static str> {
    let mut data = vec![0u8; length as usize];
    let mut crc = [0u8; 4];
    read_fully(input, &mut data).map_err(|_| "truncated")?;
    read_fully(input, &mut crc).map_err(|_| "truncated")?;
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&kind);
    hasher.update(&data);
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

/// A text chunk as (keyword, text); None for a chunk too damaged to read.
fn decode_text(kind: &[u8; 4], data: &[u8]) -> Option<(String, String)> {
    let nul = data.iter().position(|&b| b == 0)?;
    let keyword = latin1_or_utf8(&data[..nul]);
    let rest = &data[nul + 1..];
    let text = match kind {
        b"tEXt" => latin1_or_utf8(rest),
        b"zTXt" => latin1_or_utf8(&inflate(rest.get(1..)?)?),
        _ => {
            let (&compressed, rest) = rest.split_first()?;
            let rest = rest.get(1..)?; // compression method
            let language_end = rest.iter().position(|&b| b == 0)?;
            let rest = &rest[language_end + 1..];
            let translated_end = rest.iter().position(|&b| b == 0)?;
            let body = &rest[translated_end + 1..];
            let bytes = if compressed == 1 {
                inflate(body)?
            } else {
                body.to_vec()
            };
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    Some((keyword, text))
}

fn inflate(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    ZlibDecoder::new(data)
        .take(u64::from(MAX_TEXT_CHUNK))
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// tEXt is Latin-1 by the standard, but some writers put UTF-8 in it; valid UTF-8 wins.
fn latin1_or_utf8(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}
