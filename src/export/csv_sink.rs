//! CSV: RFC 4180 (quoted where needed, CRLF-free `\n` records are fine for every reader),
//! UTF-8, a header row. A text cell that a spreadsheet would run as a formula is written with a
//! leading `'` (`spreadsheet::formula_prefix`).

use std::io::Write;

use super::Sink;
use super::columns::{Cell, Layout};
use super::spreadsheet::formula_prefix;
use crate::error::{AppError, AppResult};

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
                Cell::Text(text) => match formula_prefix(text) {
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
