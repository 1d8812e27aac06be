//! CSV: RFC 4180 (quoted where needed), UTF-8, a header row, one line per record: line breaks
//! in texts, floats, lists and JSON are written as `csv_cells` says. A text cell that a
//! spreadsheet would run as a formula is written with a leading `'`
//! (`spreadsheet::formula_prefix`), before its line breaks are escaped.

use std::io::Write;

use super::columns::{Cell, Layout};
use super::spreadsheet::formula_prefix;
use super::{Sink, csv_cells};
use crate::error::{AppError, AppResult};

pub struct CsvSink<W: Write> {
    writer: csv::Writer<W>,
    /// A cell written as text before it goes to the writer (numbers, escaped texts, JSON).
    number: String,
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
            number: String::new(),
        })
    }
}

impl<W: Write> Sink for CsvSink<W> {
    fn row(&mut self, cells: &[Cell<'_>]) -> AppResult<()> {
        for cell in cells {
            use std::fmt::Write as _;
            self.number.clear();
            let field: &[u8] = match cell {
                Cell::Null => b"",
                Cell::Bool(true) => b"true",
                Cell::Bool(false) => b"false",
                Cell::Text(text) => {
                    let prefix = formula_prefix(text);
                    let escaped = csv_cells::has_line_break_or_escape(text);
                    if prefix.is_none() && !escaped {
                        text.as_bytes()
                    } else {
                        self.number.push_str(prefix.unwrap_or_default());
                        if escaped {
                            csv_cells::escape_line_breaks(text, &mut self.number);
                        } else {
                            self.number.push_str(text);
                        }
                        self.number.as_bytes()
                    }
                }
                Cell::Int(n) => {
                    let _ = write!(self.number, "{n}");
                    self.number.as_bytes()
                }
                Cell::Float(x) => {
                    csv_cells::float(*x, &mut self.number);
                    self.number.as_bytes()
                }
                Cell::Time(t) => {
                    let _ = write!(self.number, "{}", crate::clock::rfc3339(*t));
                    self.number.as_bytes()
                }
                Cell::List(items) => {
                    csv_cells::list(items, &mut self.number);
                    self.number.as_bytes()
                }
                Cell::Json(value) => {
                    csv_cells::json(value, &mut self.number);
                    self.number.as_bytes()
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
