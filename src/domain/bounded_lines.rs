//! Lines cut from a stream as its bytes arrive, none longer than a limit. A JSONL upload or
//! file is read in pieces and never held whole; a line past the limit is refused as soon as
//! it passes it, not after it has been read to its end (a single 60 MiB line once cost the
//! server gigabytes).

use std::fmt;

/// The byte-order mark some editors put at the start of a UTF-8 file.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// A line longer than the limit; reading stops there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLong {
    /// 1-based.
    pub line: usize,
    /// In bytes.
    pub limit: usize,
}

impl fmt::Display for TooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {} is longer than {} KiB, the limit for one line",
            self.line,
            self.limit / 1024
        )
    }
}

/// Cuts the bytes pushed into it into lines (`\n` or `\r\n`), numbered from 1; a leading
/// byte-order mark is dropped rather than left on the first line.
#[derive(Debug)]
pub struct BoundedLines {
    limit: usize,
    /// The start of a line whose end has not arrived yet.
    partial: Vec<u8>,
    /// Lines handed out so far.
    count: usize,
}

impl BoundedLines {
    pub fn new(limit: usize) -> BoundedLines {
        BoundedLines {
            limit,
            partial: Vec::new(),
            count: 0,
        }
    }

    /// Hands `each` every line the bytes complete, with its number; keeps the unfinished
    /// rest for the next push.
    pub fn push(
        &mut self,
        mut bytes: &[u8],
        each: &mut impl FnMut(usize, &[u8]),
    ) -> Result<(), TooLong> {
        while let Some(end) = bytes.iter().position(|&b| b == b'\n') {
            let (head, rest) = bytes.split_at(end);
            bytes = &rest[1..];
            self.check(self.partial.len() + head.len())?;
            if self.partial.is_empty() {
                self.hand_out(head, each);
            } else {
                let mut line = std::mem::take(&mut self.partial);
                line.extend_from_slice(head);
                self.hand_out(&line, each);
                line.clear();
                self.partial = line;
            }
        }
        self.check(self.partial.len() + bytes.len())?;
        self.partial.extend_from_slice(bytes);
        Ok(())
    }

    /// The last line, when the stream does not end with a newline.
    pub fn finish(mut self, each: &mut impl FnMut(usize, &[u8])) {
        if !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.hand_out(&line, each);
        }
    }

    /// Lines handed out so far.
    pub fn count(&self) -> usize {
        self.count
    }

    fn check(&self, length: usize) -> Result<(), TooLong> {
        if length > self.limit {
            return Err(TooLong {
                line: self.count + 1,
                limit: self.limit,
            });
        }
        Ok(())
    }

    fn hand_out(&mut self, line: &[u8], each: &mut impl FnMut(usize, &[u8])) {
        self.count += 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let line = match self.count {
            1 => line.strip_prefix(BOM).unwrap_or(line),
            _ => line,
        };
        each(self.count, line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(limit: usize, pieces: &[&[u8]]) -> Result<Vec<(usize, String)>, TooLong> {
        let mut lines = Vec::new();
        let mut keep = |n: usize, line: &[u8]| {
            lines.push((n, String::from_utf8_lossy(line).into_owned()));
        };
        let mut cutter = BoundedLines::new(limit);
        for piece in pieces {
            cutter.push(piece, &mut keep)?;
        }
        cutter.finish(&mut keep);
        Ok(lines)
    }

    fn numbered(lines: &[&str]) -> Vec<(usize, String)> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| (i + 1, (*l).to_owned()))
            .collect()
    }

    #[test]
    fn lines_split_across_pieces_come_out_whole_and_numbered() {
        let pieces: &[&[u8]] = &[b"ab", b"c\nde", b"f\r\n\ng", b"h"];
        assert_eq!(cut(10, pieces), Ok(numbered(&["abc", "def", "", "gh"])));
    }

    #[test]
    fn a_byte_order_mark_is_dropped_from_the_first_line_only() {
        let bom = "\u{feff}";
        let text = format!("{bom}one\n{bom}two\n");
        let bytes = text.as_bytes();
        // The mark itself arrives in two pieces.
        assert_eq!(
            cut(20, &[&bytes[..1], &bytes[1..]]),
            Ok(numbered(&["one", "\u{feff}two"]))
        );
    }

    #[test]
    fn a_line_past_the_limit_is_refused_before_its_end_arrives() {
        assert_eq!(
            cut(4, &[b"1234\n12345\n"]),
            Err(TooLong { line: 2, limit: 4 })
        );
        // No newline ever comes: the refusal happens on the piece that passes the limit.
        let mut cutter = BoundedLines::new(4);
        let mut none = |_: usize, _: &[u8]| {};
        assert_eq!(cutter.push(b"ok\n123", &mut none), Ok(()));
        assert_eq!(
            cutter.push(b"45", &mut none),
            Err(TooLong { line: 2, limit: 4 })
        );
    }

    #[test]
    fn the_refusal_names_the_line_and_the_limit() {
        let message = TooLong {
            line: 3,
            limit: 128 * 1024,
        }
        .to_string();
        assert_eq!(
            message,
            "line 3 is longer than 128 KiB, the limit for one line"
        );
    }
}
