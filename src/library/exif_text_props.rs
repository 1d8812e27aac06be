//! Properties of the EXIF UserComment reader on any bytes: no panic, no more text than bytes,
//! and a comment written as A1111 writes it reads back.

use std::io::Cursor;

use proptest::prelude::*;

use super::*;
use crate::synth::exif_file::{jpeg_bytes, tiff_with_user_comment, webp_bytes};

/// A JPEG whose APP1 holds `tiff`, then an end marker.
fn jpeg_around(tiff: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    let len = u16::try_from(tiff.len() + 8).unwrap_or(u16::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(tiff);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// Text whose UTF-16 the byte-order guess reads right: ASCII with a few characters whose code
/// units hold no zero byte, or the zero where ASCII's is.
fn comment() -> impl Strategy<Value = String> {
    ("[ -~]{1,80}", "[é日本🌙]{0,4}").prop_map(|(ascii, other)| format!("{ascii}{other}"))
}

proptest! {
    #![proptest_config(crate::proptest_config::with_cases(128))]

    #[test]
    fn any_comment_bytes_decode_without_panic_into_no_more_characters(
        bytes in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let text = decode_user_comment(&bytes).unwrap_or_default();
        prop_assert!(text.chars().count() <= bytes.len());
    }

    #[test]
    fn any_exif_block_reads_without_panic(
        tiff in prop::collection::vec(any::<u8>(), 0..300),
        big_endian in any::<bool>(),
    ) {
        let mut block = if big_endian { b"MM\0\x2A".to_vec() } else { b"II\x2A\0".to_vec() };
        block.extend_from_slice(&tiff);
        let text = user_comment(&mut Cursor::new(jpeg_around(&block))).unwrap_or_default();
        prop_assert!(text.chars().count() <= block.len());
    }

    #[test]
    fn a_damaged_a1111_block_reads_without_panic(
        text in comment(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let mut block = tiff_with_user_comment(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let i = at.index(block.len());
        block[i] = byte;
        let _ = user_comment(&mut Cursor::new(jpeg_around(&block)));
    }

    #[test]
    fn a1111_comments_read_back_from_jpeg_and_webp(text in comment()) {
        let jpeg = jpeg_bytes(8, 8, Some(&text)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(user_comment(&mut Cursor::new(jpeg)), Some(text.clone()));
        let webp = webp_bytes(8, 8, Some(&text)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(user_comment(&mut Cursor::new(webp)), Some(text));
    }
}
