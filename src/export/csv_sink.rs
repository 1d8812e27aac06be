//! CSV: RFC 4180 (quoted where needed, CRLF-free `\n` records are fine for every reader),
//! UTF-8, a header row. A text cell that a spreadsheet would run as a formula is written with a
//! leading `'` (see [`spreadsheet_safe`]).

use std::io::Write;

use super::Sink;
use super::columns::{Cell, Layout};
use crate::error::{AppError, AppResult};

/// What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection): `=`,
/// `+`, `-`, `@`, and a tab or carriage return before them.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The prefix that makes `text` plain text to a spreadsheet, when it needs one: a note, a
/// prompt or a name that begins like a formula (`=HYPERLINK(...)`, `-2+3`) would run when the
/// file is opened. A number written as text (`-1`, `-0.5`) is left as it is: a spreadsheet reads
/// it as the number it is, and a quote would turn it into text. Typed columns are never text
/// cells, so numbers stay numbers.
fn spreadsheet_safe(text: &str) -> Option<&'static str> {
    let starts_like_a_formula = text.starts_with(FORMULA_STARTS);
    (starts_like_a_formula && !is_plain_number(text)).then_some("'")
}

/// `-12`, `+3.5`, `-1e-3`: a sign, digits, an optional fraction and exponent, nothing else.
fn is_plain_number(text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['-', '+']).unwrap_or(e))),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    digits(whole) && digits(fraction) && exponent.is_none_or(digits)
}

pub struct CsvSink<W: Write> {
    writer: csv::Writer<W>,
    /// A cell written as text (a number, a time, a quoted formula), reused across cells.
    scratch: String,
}

fn failed(error: csv::Error) -> AppError {
    AppError::Task(format!("cannot write the CSV: {error}"))
}

impl<W: Write> CsvSink<W> {
    pub fn new(out: W, layout: &Layout) -> AppResult<CsvSink<W>> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        writer
            .write_record(layout.columns.iter().map(|c| c.name.as_str()))
            .map_err(failed)?;
        Ok(CsvSink {
            writer,
            scratch: String::new(),
        })
    }
}

impl<W: Write> Sink for CsvSink<W> {
    fn row(&mut self, cells: &[Cell<'_>]) -> AppResult<()> {
        for cell in cells {
            use std::fmt::Write as _;
            self.scratch.clear();
            let field: &[u8] = match cell {
                Cell::Null => b"",
                Cell::Bool(true) => b"true",
                Cell::Bool(false) => b"false",
                Cell::Text(text) => match spreadsheet_safe(text) {
                    Some(safe) => {
                        self.scratch.push_str(safe);
                        self.scratch.push_str(text);
                        self.scratch.as_bytes()
                    }
                    None => text.as_bytes(),
                },
                Cell::Int(n) => {
                    let _ = write!(self.scratch, "{n}");
                    self.scratch.as_bytes()
                }
                Cell::Float(x) => {
                    let _ = write!(self.scratch, "{x}");
                    self.scratch.as_bytes()
                }
                Cell::Time(t) => {
                    let _ = write!(self.scratch, "{}", crate::clock::rfc3339(*t));
                    self.scratch.as_bytes()
                }
            };
            self.writer.write_field(field).map_err(failed)?;
        }
        self.writer.write_record(None::<&[u8]>).map_err(failed)
    }

    fn finish(mut self: Box<Self>) -> AppResult<()> {
        self.writer
            .flush()
            .map_err(|e| AppError::Task(format!("cannot write the CSV: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_starts_like_a_formula_gets_a_quote_and_numbers_do_not() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "-",
            "--1",
            "-1-1",
            "-inf",
            "-1e",
            "-.5",
        ] {
            assert_eq!(spreadsheet_safe(formula), Some("'"), "{formula:?}");
        }
        for plain in ["a fox", "", "1", "-1", "-0.5", "+3", "-1e-3", "2=2", " =1"] {
            assert_eq!(spreadsheet_safe(plain), None, "{plain:?}");
        }
    }
}
