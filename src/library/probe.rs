//! Looks at one image file: its real format (by content, not name), size, embedded text, and
//! whether it is broken. Never decodes pixels.

use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;

use super::{exif_text, png_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
    Webp,
    Unknown,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpeg",
            Format::Webp => "webp",
            Format::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub format: Format,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// (keyword, text): PNG text chunks, or ("parameters", UserComment) for JPEG and WebP.
    pub texts: Vec<(String, String)>,
    /// Why some embedded text was not kept whole (over the caps in `png_text`).
    pub text_cut: Option<String>,
    pub broken: Option<String>,
}

impl Probe {
    pub fn broken(format: Format, reason: impl Into<String>) -> Probe {
        Probe {
            format,
            width: None,
            height: None,
            texts: Vec::new(),
            text_cut: None,
            broken: Some(reason.into()),
        }
    }
}

const READ_BUFFER: usize = 64 * 1024;

/// Probes a file. An `Err` means the file could not be opened at all (e.g. it vanished).
pub fn probe_file(path: &Path) -> std::io::Result<Probe> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(Probe::broken(Format::Unknown, "empty file (0 bytes)"));
    }
    let mut input = BufReader::with_capacity(READ_BUFFER, file);
    let head = input
        .fill_buf()?
        .get(..16.min(len as usize))
        .unwrap_or_default()
        .to_vec();
    Ok(match sniff(&head) {
        Format::Png => match png_text::read_png(&mut input, len) {
            Ok(info) => Probe {
                format: Format::Png,
                width: Some(info.width),
                height: Some(info.height),
                texts: info.texts,
                text_cut: info.text_cut,
                broken: None,
            },
            Err(reason) => Probe::broken(Format::Png, reason),
        },
        Format::Jpeg => {
            let complete = jpeg_is_complete(&mut input, len)?;
            probe_exif_image(&mut input, Format::Jpeg, complete)
        }
        Format::Webp => probe_exif_image(&mut input, Format::Webp, webp_is_complete(&head, len)),
        Format::Unknown => Probe::broken(Format::Unknown, not_an_image(&head)),
    })
}

pub fn sniff(head: &[u8]) -> Format {
    if head.starts_with(b"\x89PNG") {
        Format::Png
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Format::Jpeg
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Format::Webp
    } else {
        Format::Unknown
    }
}

fn not_an_image(head: &[u8]) -> String {
    let texty = head
        .iter()
        .all(|&b| b.is_ascii_graphic() || b.is_ascii_whitespace() || b >= 0x80);
    if texty {
        "not an image: the file holds text".to_owned()
    } else {
        "not an image: unknown format".to_owned()
    }
}

fn probe_exif_image(
    input: &mut BufReader<File>,
    format: Format,
    complete: Result<(), String>,
) -> Probe {
    if let Err(reason) = complete {
        return Probe::broken(format, reason);
    }
    if input.seek(SeekFrom::Start(0)).is_err() {
        return Probe::broken(format, "unreadable");
    }
    let dimensions = image::ImageReader::new(&mut *input)
        .with_guessed_format()
        .ok()
        .and_then(|reader| reader.into_dimensions().ok());
    let Some((width, height)) = dimensions else {
        return Probe::broken(
            format,
            format!("corrupt: {} header cannot be read", format.as_str()),
        );
    };
    let comment = match input.seek(SeekFrom::Start(0)) {
        Ok(_) => exif_text::user_comment(input),
        Err(_) => None,
    };
    // A JPEG's EXIF is at most 64 kB, but a WebP's EXIF chunk may claim gigabytes.
    let mut text_cut = None;
    let texts = comment
        .map(|mut text| {
            if text.len() > png_text::MAX_CHUNK_TEXT {
                let mut end = png_text::MAX_CHUNK_TEXT;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.truncate(end);
                text_cut = Some(format!(
                    "text cut: the EXIF UserComment held more than the {} MiB that is kept",
                    png_text::MAX_CHUNK_TEXT >> 20
                ));
            }
            vec![("parameters".to_owned(), text)]
        })
        .unwrap_or_default();
    Probe {
        format,
        width: Some(width),
        height: Some(height),
        texts,
        text_cut,
        broken: None,
    }
}

/// A JPEG ends with the EOI marker; a file cut short while being written does not.
fn jpeg_is_complete(input: &mut BufReader<File>, len: u64) -> std::io::Result<Result<(), String>> {
    let tail_len = len.min(32);
    input.seek(SeekFrom::Start(len - tail_len))?;
    let mut tail = vec![0u8; tail_len as usize];
    std::io::Read::read_exact(input, &mut tail)?;
    let has_eoi = tail.windows(2).any(|w| w == [0xFF, 0xD9]);
    Ok(if has_eoi {
        Ok(())
    } else {
        Err("truncated: the JPEG has no end marker".to_owned())
    })
}

/// The RIFF header states the file's size; a shorter file was cut off.
fn webp_is_complete(head: &[u8], len: u64) -> Result<(), String> {
    let stated = u64::from(u32::from_le_bytes([head[4], head[5], head[6], head[7]])) + 8;
    if len < stated {
        Err(format!(
            "truncated: the WebP says {stated} bytes, the file has {len}"
        ))
    } else {
        Ok(())
    }
}
