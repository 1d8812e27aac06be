//! gzip responses assembled from pieces made apart, so that a large part many responses share
//! (the statistics) is compressed once, and the small part that differs per person (the page
//! header, with their name and security token) is only framed, per request.
//!
//! Each piece is raw DEFLATE that stops on a byte boundary after non-final blocks (a sync flush,
//! or stored blocks), and, made by a compressor of its own, never refers back before its own
//! start. Pieces laid end to end and closed by a final empty block are then one valid DEFLATE
//! stream; the gzip trailer's CRC-32 is combined from the pieces' (zlib's `gzjoin` technique).

use std::io::Write;

use actix_web::http::header::{ACCEPT_ENCODING, HeaderMap};
use flate2::Compression;
use flate2::write::DeflateEncoder;

/// Some bytes, compressed on their own.
#[derive(Clone)]
pub struct Piece {
    deflated: Vec<u8>,
    crc: crc32fast::Hasher,
    len: u64,
}

/// ID1 ID2, deflate, no flags, no time, no extra flags, unknown OS.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
/// A final, empty block with fixed codes: BFINAL = 1, BTYPE = 01, then the end-of-block code.
const FINAL_EMPTY_BLOCK: [u8; 2] = [0x03, 0x00];

impl Piece {
    pub fn new(data: &[u8]) -> std::io::Result<Piece> {
        let mut encoder = DeflateEncoder::new(
            Vec::with_capacity(data.len() / 4 + 64),
            Compression::default(),
        );
        encoder.write_all(data)?;
        // A sync flush, not `finish`: the piece must not be the stream's last block.
        encoder.flush()?;
        let deflated = std::mem::take(encoder.get_mut());
        let mut crc = crc32fast::Hasher::new();
        crc.update(data);
        Ok(Piece {
            deflated,
            crc,
            len: data.len() as u64,
        })
    }

    /// `data` as it is, in stored blocks: no compressor to set up and run, for a small part
    /// made anew for every response, where that costs more CPU than its bytes cost the wire.
    pub fn stored(data: &[u8]) -> Piece {
        let mut deflated = Vec::with_capacity(data.len() + data.len() / 0xffff * 5 + 5);
        for block in data.chunks(0xffff) {
            // BFINAL = 0, BTYPE = 00, padded to the byte; then LEN and its complement.
            let len = block.len() as u16;
            deflated.push(0);
            deflated.extend_from_slice(&len.to_le_bytes());
            deflated.extend_from_slice(&(!len).to_le_bytes());
            deflated.extend_from_slice(block);
        }
        let mut crc = crc32fast::Hasher::new();
        crc.update(data);
        Piece {
            deflated,
            crc,
            len: data.len() as u64,
        }
    }
}

/// A whole gzip file made of `pieces`, in order.
pub fn assemble(pieces: &[&Piece]) -> Vec<u8> {
    let size: usize = pieces.iter().map(|p| p.deflated.len()).sum();
    let mut out = Vec::with_capacity(HEADER.len() + size + FINAL_EMPTY_BLOCK.len() + 8);
    out.extend_from_slice(&HEADER);
    let mut crc = crc32fast::Hasher::new();
    let mut len = 0u64;
    for piece in pieces {
        out.extend_from_slice(&piece.deflated);
        crc.combine(&piece.crc);
        len += piece.len;
    }
    out.extend_from_slice(&FINAL_EMPTY_BLOCK);
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    // ISIZE is the length modulo 2^32, by the format's definition.
    out.extend_from_slice(&(len as u32).to_le_bytes());
    out
}

/// Whether the client takes gzip: `Accept-Encoding` names it, or `*`, without `q=0` (a
/// refusal by name wins over `*`).
pub fn accepted(headers: &HeaderMap) -> bool {
    let mut any = false;
    for coding in headers
        .get_all(ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
    {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let refused = parts.any(|p| {
            let p = p.replace(' ', "").to_ascii_lowercase();
            p.strip_prefix("q=").and_then(|q| q.parse::<f64>().ok()) == Some(0.0)
        });
        if name.eq_ignore_ascii_case("gzip") {
            return !refused;
        }
        any |= name == "*" && !refused;
    }
    any
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use actix_web::http::header::HeaderValue;

    use super::*;

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn pieces_compressed_apart_make_one_gzip_file_of_their_text_in_order() {
        let head = "<html><head><title>Statistics</title></head><body>".repeat(3);
        let body: String = (0..20_000)
            .map(|n| format!("<li>{n} images</li>"))
            .collect();
        let tail = "</body></html>";
        let pieces = [head.as_str(), &body, tail, ""].map(|t| Piece::new(t.as_bytes()).unwrap());
        let whole = gunzip(&assemble(&pieces.iter().collect::<Vec<_>>()));
        assert_eq!(
            String::from_utf8(whole).unwrap(),
            format!("{head}{body}{tail}")
        );
        assert!(pieces[1].deflated.len() < body.len() / 4, "compressed");
    }

    #[test]
    fn stored_pieces_mix_with_compressed_ones_at_any_length() {
        let body: String = (0..20_000).map(|n| format!("<li>{n}</li>")).collect();
        let long = "x".repeat(0xffff * 2 + 7);
        let pieces = [
            Piece::stored(b"<html>"),
            Piece::new(body.as_bytes()).unwrap(),
            Piece::stored(long.as_bytes()),
            Piece::stored(b""),
            Piece::stored(&long.as_bytes()[..0xffff]),
        ];
        let whole = gunzip(&assemble(&pieces.iter().collect::<Vec<_>>()));
        let expected = format!("<html>{body}{long}{}", &long[..0xffff]);
        assert_eq!(String::from_utf8(whole).unwrap(), expected);
    }

    #[test]
    fn nothing_at_all_is_an_empty_gzip_file() {
        assert_eq!(gunzip(&assemble(&[])), b"");
        assert_eq!(gunzip(&assemble(&[&Piece::new(b"").unwrap()])), b"");
    }

    #[test]
    fn gzip_is_taken_when_named_without_a_zero_quality() {
        let takes = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(ACCEPT_ENCODING, HeaderValue::from_static(value));
            accepted(&headers)
        };
        assert!(takes("gzip, deflate, br"));
        assert!(takes("br;q=1.0, GZIP;q=0.5"));
        assert!(takes("*"));
        assert!(!takes("gzip;q=0"));
        assert!(!takes("gzip;q=0, *"));
        assert!(!takes("gzip; q=0.0"));
        assert!(!takes("br, deflate"));
        assert!(!takes("identity"));
        assert!(!accepted(&HeaderMap::new()));
    }
}
