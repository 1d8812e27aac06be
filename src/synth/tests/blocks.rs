//! The building blocks, one case at a time.

use image::GenericImageView;

use super::census::{exif_user_comment, png_texts, raw_chunk_order};
use crate::synth::exif_file::{jpeg_bytes, webp_bytes};
use crate::synth::png_file::{TextChunk, TextKind, png_bytes, truncate_in_idat};

fn chunk(kind: TextKind, keyword: &str, text: &str, after_idat: bool) -> TextChunk {
    TextChunk {
        after_idat,
        ..TextChunk::new(kind, keyword, text)
    }
}

#[test]
fn a_png_holds_its_text_chunks_before_and_after_idat() {
    let chunks = [
        chunk(
            TextKind::Text,
            "parameters",
            "a cat, l'été\nNegative prompt: blurry\nSteps: 30",
            false,
        ),
        chunk(TextKind::Ztxt, "comment", "squeezed text", false),
        chunk(TextKind::Itxt, "title", "桜の木 🌸", true),
        chunk(TextKind::Text, "late", "after the pixels", true),
    ];
    let png = png_bytes(64, 96, &chunks).unwrap();

    let decoded = image::load_from_memory(&png).unwrap();
    assert_eq!(decoded.dimensions(), (64, 96));
    assert_eq!(raw_chunk_order(&png), "TTDTT");
    let mut texts = png_texts(&png).unwrap();
    texts.sort();
    let mut wanted: Vec<(String, String)> = chunks
        .iter()
        .map(|c| (c.keyword.clone(), c.text.clone()))
        .collect();
    wanted.sort();
    assert_eq!(texts, wanted);
}

#[test]
fn latin1_chunks_refuse_text_outside_latin1() {
    let error = png_bytes(8, 8, &[chunk(TextKind::Text, "parameters", "桜", false)]).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert!(png_bytes(8, 8, &[chunk(TextKind::Ztxt, "k", "ok é", false)]).is_ok());
}

#[test]
fn a_png_cut_inside_idat_no_longer_decodes() {
    let png = png_bytes(64, 96, &[chunk(TextKind::Text, "parameters", "x", false)]).unwrap();
    let cut = truncate_in_idat(&png);
    assert!(cut.len() < png.len() && cut.len() > 60);
    assert!(png_texts(&cut).is_none());
    assert!(image::load_from_memory(&cut).is_err());
}

#[test]
fn different_texts_make_different_pixels() {
    let a = png_bytes(16, 16, &[chunk(TextKind::Text, "parameters", "a", false)]).unwrap();
    let b = png_bytes(16, 16, &[chunk(TextKind::Text, "parameters", "b", false)]).unwrap();
    let pixels = |png: &[u8]| image::load_from_memory(png).unwrap().to_rgb8().into_raw();
    assert_ne!(pixels(&a), pixels(&b));
}

#[test]
fn a_jpeg_carries_its_parameters_in_exif_user_comment() {
    let comment = "a fox, 東京\nNegative prompt: blurry\nSteps: 30, Seed: 42";
    let jpeg = jpeg_bytes(64, 96, Some(comment)).unwrap();
    assert_eq!(&jpeg[..4], &[0xFF, 0xD8, 0xFF, 0xE1]);
    assert_eq!(&jpeg[6..12], b"Exif\0\0");
    let decoded = image::load_from_memory(&jpeg).unwrap();
    assert_eq!(decoded.dimensions(), (64, 96));
    assert_eq!(exif_user_comment(&jpeg).as_deref(), Some(comment));
}

#[test]
fn a_jpeg_without_comment_has_no_exif() {
    let jpeg = jpeg_bytes(512, 768, None).unwrap();
    assert_eq!(
        image::load_from_memory(&jpeg).unwrap().dimensions(),
        (512, 768)
    );
    assert_eq!(exif_user_comment(&jpeg), None);
}

#[test]
fn a_webp_with_a_comment_is_an_extended_file_with_exif() {
    let comment = "a robot\nNegative prompt: lowres\nSteps: 20, Seed: 7";
    let webp = webp_bytes(65, 97, Some(comment)).unwrap();
    assert_eq!(&webp[..4], b"RIFF");
    let riff_len = u32::from_le_bytes(webp[4..8].try_into().unwrap()) as usize;
    assert_eq!(riff_len + 8, webp.len());
    assert_eq!(&webp[12..16], b"VP8X");
    assert_eq!(webp[20] & 0x08, 0x08);
    let decoded = image::load_from_memory(&webp).unwrap();
    assert_eq!(decoded.dimensions(), (65, 97));
    assert_eq!(exif_user_comment(&webp).as_deref(), Some(comment));
}

#[test]
fn a_webp_without_comment_is_plain_lossless() {
    let webp = webp_bytes(64, 96, None).unwrap();
    assert_eq!(&webp[12..16], b"VP8L");
    assert_eq!(
        image::load_from_memory(&webp).unwrap().dimensions(),
        (64, 96)
    );
    assert_eq!(exif_user_comment(&webp), None);
}
