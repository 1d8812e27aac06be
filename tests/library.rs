//! Reading single files: every kind of text chunk, wherever it sits, and every way a file can
//! be broken, without a panic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufReader, Cursor};

use sdreview::library::png_text::read_png;
use sdreview::library::png_text::{MAX_CHUNK_TEXT, MAX_FILE_TEXT};
use sdreview::library::probe::{Format, probe_file};
use sdreview::synth::exif_file::{jpeg_bytes, webp_bytes};
use sdreview::synth::png_file::{TextChunk, TextKind, png_bytes, text_bomb_png};

const PARAMETERS: &str = "a café at night, 日本語 🌙\nNegative prompt: blurry, \"bad\"\nSteps: 30, Sampler: DPM++ 2M, CFG scale: 7, Seed: 42, Size: 64x96, Lora hashes: \"a: 1b2c, b: 3d4e\"";

fn chunk(kind: TextKind, keyword: &str, text: &str, after_idat: bool) -> TextChunk {
    TextChunk {
        kind,
        keyword: keyword.into(),
        text: text.into(),
        after_idat,
    }
}

fn read(bytes: &[u8]) -> Result<sdreview::library::png_text::PngInfo, String> {
    read_png(
        &mut BufReader::new(Cursor::new(bytes.to_vec())),
        bytes.len() as u64,
    )
}

fn probe_bytes(bytes: &[u8]) -> sdreview::library::probe::Probe {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("x.png");
    std::fs::write(&path, bytes).unwrap();
    probe_file(&path).unwrap()
}

#[test]
fn text_chunks_of_every_kind_are_read_before_and_after_the_image_data() {
    for kind in [TextKind::Text, TextKind::Ztxt, TextKind::Itxt] {
        for after_idat in [false, true] {
            let text = if matches!(kind, TextKind::Itxt) {
                PARAMETERS.to_owned()
            } else {
                "plain latin-1 café".to_owned()
            };
            let kind_name = format!("{kind:?}");
            let bytes = png_bytes(64, 96, &[chunk(kind, "parameters", &text, after_idat)]).unwrap();
            let info = read(&bytes).unwrap();
            assert_eq!((info.width, info.height), (64, 96));
            assert_eq!(
                info.texts,
                vec![("parameters".to_owned(), text)],
                "{kind_name} after_idat={after_idat}"
            );
        }
    }
}

#[test]
fn comfyui_chunks_are_kept_raw() {
    let bytes = png_bytes(
        8,
        8,
        &[
            chunk(
                TextKind::Text,
                "prompt",
                "{\"3\": {\"inputs\": {\"seed\": 1}}}",
                false,
            ),
            chunk(TextKind::Text, "workflow", "{\"nodes\": []}", true),
        ],
    )
    .unwrap();
    let info = read(&bytes).unwrap();
    assert_eq!(info.texts.len(), 2);
    assert_eq!(info.texts[1].0, "workflow");
}

#[test]
fn a_text_bomb_is_cut_to_the_caps_and_marked_and_the_real_text_kept() {
    // 16 zTXt chunks of 64 MiB each in a file of about 1 MB: it once stopped every import.
    let bytes = text_bomb_png(PARAMETERS, 16, 64 << 20).unwrap();
    assert!(bytes.len() < 2 << 20, "{}", bytes.len());
    let info = read(&bytes).unwrap();
    assert_eq!(
        info.texts[0],
        ("parameters".to_owned(), PARAMETERS.to_owned())
    );
    let kept: usize = info.texts.iter().map(|(_, t)| t.len()).sum();
    assert!(kept <= MAX_FILE_TEXT, "{kept}");
    assert!(info.texts.iter().all(|(_, t)| t.len() <= MAX_CHUNK_TEXT));
    assert_eq!(info.texts[1].1.len(), MAX_CHUNK_TEXT, "what fits is kept");
    let reason = info.text_cut.unwrap();
    assert!(
        reason.starts_with("text cut: chunk \"bomb\" and 15 more"),
        "{reason}"
    );
}

#[test]
fn text_cut_inside_a_utf8_character_stays_utf8() {
    let text = "é".repeat(MAX_CHUNK_TEXT); // two bytes each: the cap falls inside none
    let bytes = png_bytes(
        8,
        8,
        &[chunk(TextKind::Itxt, "prompt", &format!("x{text}"), false)],
    )
    .unwrap();
    let info = read(&bytes).unwrap();
    let kept = &info.texts[0].1;
    assert!(
        kept.starts_with("xé") && kept.ends_with('é'),
        "no Latin-1 fallback"
    );
    assert!(kept.len() <= MAX_CHUNK_TEXT);
    assert!(info.text_cut.is_some());
}

#[test]
fn a_png_cut_anywhere_is_broken_never_a_panic() {
    let bytes = png_bytes(
        64,
        96,
        &[chunk(TextKind::Itxt, "parameters", PARAMETERS, true)],
    )
    .unwrap();
    for cut in 0..bytes.len() {
        let result = read(&bytes[..cut]);
        let reason = result.expect_err("a cut file is broken");
        assert!(
            reason.starts_with("truncated")
                || reason.starts_with("not a PNG")
                || reason.starts_with("corrupt"),
            "{cut}: {reason}"
        );
    }
}

#[test]
fn a_flipped_byte_in_a_text_chunk_is_reported_as_corrupt() {
    let mut bytes = png_bytes(
        8,
        8,
        &[chunk(TextKind::Text, "parameters", "hello world", false)],
    )
    .unwrap();
    let at = bytes.windows(5).position(|w| w == b"hello").unwrap();
    bytes[at] = b'j';
    assert!(read(&bytes).unwrap_err().contains("CRC"));
}

#[test]
fn empty_text_and_unknown_files_are_broken_with_a_reason() {
    assert_eq!(
        probe_bytes(b"").broken.as_deref(),
        Some("empty file (0 bytes)")
    );
    assert_eq!(
        probe_bytes(b"Steps: 20, Seed: 1\n").broken.as_deref(),
        Some("not an image: the file holds text")
    );
    assert_eq!(
        probe_bytes(&[0u8, 1, 2, 3, 250, 251]).broken.as_deref(),
        Some("not an image: unknown format")
    );
}

#[test]
fn jpeg_and_webp_parameters_come_from_the_exif_user_comment() {
    let jpeg = probe_bytes(&jpeg_bytes(64, 96, Some(PARAMETERS)).unwrap());
    assert_eq!(jpeg.format, Format::Jpeg);
    assert_eq!((jpeg.width, jpeg.height), (Some(64), Some(96)));
    assert_eq!(
        jpeg.texts,
        vec![("parameters".to_owned(), PARAMETERS.to_owned())]
    );
    assert!(jpeg.broken.is_none());

    let webp = probe_bytes(&webp_bytes(64, 96, Some(PARAMETERS)).unwrap());
    assert_eq!(webp.format, Format::Webp);
    assert_eq!((webp.width, webp.height), (Some(64), Some(96)));
    assert_eq!(
        webp.texts,
        vec![("parameters".to_owned(), PARAMETERS.to_owned())]
    );

    let plain = probe_bytes(&webp_bytes(16, 16, None).unwrap());
    assert!(plain.texts.is_empty() && plain.broken.is_none());
}

#[test]
fn cut_jpegs_and_webps_are_broken() {
    let jpeg = jpeg_bytes(64, 96, Some(PARAMETERS)).unwrap();
    let cut = probe_bytes(&jpeg[..jpeg.len() - 40]);
    assert!(cut.broken.unwrap().starts_with("truncated"));
    let webp = webp_bytes(64, 96, None).unwrap();
    let cut = probe_bytes(&webp[..webp.len() / 2]);
    assert!(cut.broken.unwrap().starts_with("truncated"));
}

/// Properties of the PNG chunk walk on any bytes: no panic, no text larger than the input
/// allows, and text chunks written by the generator read back.
mod png_properties {
    use proptest::prelude::*;
    use sdreview::synth::png_file::raw_chunk;

    use super::*;

    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

    fn kind() -> impl Strategy<Value = TextKind> {
        prop_oneof![
            Just(TextKind::Text),
            Just(TextKind::Ztxt),
            Just(TextKind::Itxt)
        ]
    }

    /// Latin-1 text that is not also valid UTF-8 by chance (`é` and `à` never start a valid
    /// sequence before ASCII), or any text in iTXt.
    fn text_for(kind: TextKind) -> BoxedStrategy<String> {
        match kind {
            TextKind::Itxt => any::<String>().boxed(),
            _ => "[ -~éà]{0,60}".boxed(),
        }
    }

    fn text_chunk() -> impl Strategy<Value = TextChunk> {
        (kind(), "[A-Za-z][A-Za-z ]{0,20}", any::<bool>()).prop_flat_map(
            |(kind, keyword, after_idat)| {
                text_for(kind).prop_map(move |text| chunk(kind, &keyword, &text, after_idat))
            },
        )
    }

    /// A valid 2x2 PNG with one more chunk just before IEND.
    fn with_chunk_before_iend(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let plain = png_bytes(2, 2, &[]).unwrap();
        let iend = plain.len() - 12;
        let mut out = plain[..iend].to_vec();
        out.extend_from_slice(&raw_chunk(kind, data).unwrap());
        out.extend_from_slice(&plain[iend..]);
        out
    }

    fn text_len(info: &sdreview::library::png_text::PngInfo) -> usize {
        info.texts
            .iter()
            .map(|(k, t)| k.chars().count() + t.chars().count())
            .sum()
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 128,
            // No regressions folder at the top of the repository (see src/proptest_config.rs).
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn text_chunks_read_back_in_file_order(chunks in prop::collection::vec(text_chunk(), 0..5)) {
            let bytes = png_bytes(2, 2, &chunks).unwrap();
            let info = read(&bytes).unwrap();
            let (after, before): (Vec<_>, Vec<_>) = chunks.iter().partition(|c| c.after_idat);
            let expected: Vec<(String, String)> = before
                .into_iter()
                .chain(after)
                .map(|c| (c.keyword.clone(), c.text.clone()))
                .collect();
            prop_assert_eq!(info.texts, expected);
        }

        /// Deflate expands at most 1032 times; anything past that would be a blow-up.
        #[test]
        fn any_text_chunk_payload_reads_without_panic_and_within_bounds(
            kind in prop_oneof![Just(*b"tEXt"), Just(*b"zTXt"), Just(*b"iTXt")],
            data in prop::collection::vec(any::<u8>(), 0..300),
        ) {
            if let Ok(info) = read(&with_chunk_before_iend(&kind, &data)) {
                let bound = if &kind == b"tEXt" { data.len() } else { 1032 * data.len() + 64 };
                prop_assert!(text_len(&info) <= bound);
            }
        }

        #[test]
        fn any_bytes_after_the_signature_read_without_panic(
            rest in prop::collection::vec(any::<u8>(), 0..300),
        ) {
            let bytes = [SIGNATURE, &rest].concat();
            if let Ok(info) = read(&bytes) {
                prop_assert!(text_len(&info) <= 1032 * bytes.len());
            }
        }

        #[test]
        fn a_damaged_png_reads_without_panic(
            chunks in prop::collection::vec(text_chunk(), 0..3),
            at in any::<prop::sample::Index>(),
            byte in any::<u8>(),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut bytes = png_bytes(2, 2, &chunks).unwrap();
            let i = at.index(bytes.len());
            bytes[i] = byte;
            let _ = read(&bytes);
            let _ = read(&bytes[..cut.index(bytes.len())]);
        }
    }
}
