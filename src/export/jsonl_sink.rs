//! JSONL: one JSON object per line, the same columns as the CSV, typed (numbers, booleans,
//! null), every key on every line, each column one JSON type (a float is always written with
//! a decimal point), lists as arrays and predictions as objects.

use std::io::{BufWriter, Write};

use serde_json::{Map, Value};

use super::Sink;
use super::columns::{Cell, Layout};
use crate::error::{AppError, AppResult};

pub struct JsonlSink<W: Write> {
    out: BufWriter<W>,
    names: Vec<String>,
}

impl<W: Write> JsonlSink<W> {
    pub fn new(out: W, layout: &Layout) -> JsonlSink<W> {
        JsonlSink {
            out: BufWriter::with_capacity(256 * 1024, out),
            names: layout.columns.iter().map(|c| c.name.clone()).collect(),
        }
    }
}

fn failed(error: impl std::fmt::Display) -> AppError {
    AppError::Task(format!("cannot write the JSONL: {error}"))
}

impl<W: Write> Sink for JsonlSink<W> {
    fn row(&mut self, cells: &[Cell<'_>]) -> AppResult<()> {
        let mut object = Map::with_capacity(cells.len());
        for (name, cell) in self.names.iter().zip(cells) {
            let value = match cell {
                Cell::Null => Value::Null,
                Cell::Bool(b) => Value::Bool(*b),
                Cell::Int(n) => Value::from(*n),
                Cell::Float(x) => Value::from(*x),
                Cell::Text(text) => Value::String(text.to_string()),
                Cell::Time(t) => Value::String(crate::clock::rfc3339(*t)),
                Cell::List(items) => Value::from(*items),
                Cell::Json(value) => (*value).clone(),
            };
            object.insert(name.clone(), value);
        }
        serde_json::to_writer(&mut self.out, &object).map_err(failed)?;
        self.out.write_all(b"\n").map_err(failed)
    }

    fn finish(mut self: Box<Self>) -> AppResult<()> {
        self.out.flush().map_err(failed)
    }
}
