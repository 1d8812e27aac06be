//! A1111 stores its parameters in a JPEG's or WebP's EXIF UserComment; this reads them back.

use std::io::{BufRead, Seek};

/// The UserComment text of a JPEG or WebP, if it has one.
///
/// Read leniently: A1111 (through piexif) writes the Exif IFD without the next-IFD offset that
/// TIFF requires, so a strict reader takes the comment's first bytes for that offset and drops
/// the whole block ("Unexpected next IFD"). Every field parsed before the fault is kept.
pub fn user_comment<R: BufRead + Seek>(input: &mut R) -> Option<String> {
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    let exif = reader
        .read_from_container(input)
        .or_else(|error| {
            error.distill_partial_result(|faults| {
                tracing::debug!("EXIF read past {} fault(s): {faults:?}", faults.len())
            })
        })
        .ok()?;
    let field = exif.get_field(exif::Tag::UserComment, exif::In::PRIMARY)?;
    match &field.value {
        exif::Value::Undefined(bytes, _) => decode_user_comment(bytes),
        exif::Value::Ascii(parts) => parts
            .first()
            .map(|p| String::from_utf8_lossy(p).into_owned()),
        _ => None,
    }
}

/// UserComment starts with an 8-byte character code, then the text in that code.
pub fn decode_user_comment(bytes: &[u8]) -> Option<String> {
    let (code, body) = if bytes.len() >= 8 {
        bytes.split_at(8)
    } else {
        (&[][..], bytes)
    };
    let text = if code == b"UNICODE\0" {
        decode_utf16(body)
    } else {
        String::from_utf8_lossy(body).into_owned()
    };
    let text = text.trim_end_matches('\0').to_owned();
    (!text.is_empty()).then_some(text)
}

/// The EXIF spec does not say which byte order UNICODE uses: writers follow the TIFF order or
/// always big-endian (piexif). ASCII-heavy text has zeros in the high bytes, which tells.
fn decode_utf16(body: &[u8]) -> String {
    let zeros_at = |parity: usize| {
        body.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let big_endian = zeros_at(0) >= zeros_at(1);
    let units: Vec<u16> = body
        .chunks_exact(2)
        .map(|pair| {
            let bytes = [pair[0], pair[1]];
            if big_endian {
                u16::from_be_bytes(bytes)
            } else {
                u16::from_le_bytes(bytes)
            }
        })
        .collect();
    String::from_utf16_lossy(&units)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = b"UNICODE\0".to_vec();
        for unit in text.encode_utf16() {
            let bytes = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend_from_slice(&bytes);
        }
        out
    }

    #[test]
    fn unicode_comments_decode_in_either_byte_order() {
        let text = "a cat, café\nNegative prompt: blur\nSteps: 20, Seed: 1, Size: 64x96";
        assert_eq!(
            decode_user_comment(&utf16(text, true)).as_deref(),
            Some(text)
        );
        assert_eq!(
            decode_user_comment(&utf16(text, false)).as_deref(),
            Some(text)
        );
    }

    /// The prompt, seed and model of an A1111 JPEG or WebP, laid out as piexif writes them.
    #[test]
    fn a1111_jpegs_and_webps_give_their_whole_comment() {
        use crate::synth::exif_file::{jpeg_bytes, webp_bytes};
        let text = "a cat, café\nNegative prompt: blur\nSteps: 20, Seed: 1234, Size: 64x96, \
                    Model: dreamshaper_8";
        for file in [
            jpeg_bytes(64, 96, Some(text)).unwrap(),
            webp_bytes(64, 96, Some(text)).unwrap(),
        ] {
            let read = user_comment(&mut std::io::Cursor::new(file));
            assert_eq!(read.as_deref(), Some(text));
        }
    }

    #[test]
    fn an_empty_or_one_letter_a1111_comment_reads_back() {
        let file = crate::synth::exif_file::jpeg_bytes(8, 8, Some("")).unwrap();
        assert_eq!(user_comment(&mut std::io::Cursor::new(file)), None);
        let file = crate::synth::exif_file::jpeg_bytes(8, 8, Some("x")).unwrap();
        assert_eq!(
            user_comment(&mut std::io::Cursor::new(file)).as_deref(),
            Some("x")
        );
    }

    #[test]
    fn ascii_and_undefined_comments_decode() {
        assert_eq!(
            decode_user_comment(b"ASCII\0\0\0hello\0").as_deref(),
            Some("hello")
        );
        assert_eq!(decode_user_comment(b"\0\0\0\0\0\0\0\0").as_deref(), None);
        assert_eq!(decode_user_comment(b"").as_deref(), None);
    }
}

#[cfg(test)]
#[path = "exif_text_props.rs"]
mod props;
