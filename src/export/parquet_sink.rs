//! Parquet through the `parquet` crate's low-level writer (no arrow layer): typed, nullable
//! columns (INT64, DOUBLE, BOOLEAN, UTF-8 strings, timestamps in milliseconds, lists of strings,
//! JSON), Snappy pages,
//! and row groups of at most `ROW_GROUP_ROWS` rows or `ROW_GROUP_BYTES` gathered, so memory
//! stays bounded however many images there are.

use std::io::Write;
use std::sync::Arc;

use parquet::basic::{
    Compression, ConvertedType, LogicalType, Repetition, TimeUnit, Type as Physical,
};
use parquet::column::writer::ColumnWriter;
use parquet::data_type::ByteArray;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use super::Sink;
use super::columns::{Cell, Kind, Layout};
use crate::error::{AppError, AppResult};

const ROW_GROUP_ROWS: usize = 16_384;
/// What a gathered row group may hold in memory: text, plus what each buffered value costs
/// besides (a `ByteArray` is a separate allocation behind a 32-byte handle).
const ROW_GROUP_BYTES: usize = 16 * 1024 * 1024;
const TEXT_OVERHEAD: usize = 64;
const VALUE_BYTES: usize = 10;

/// One column's values of the row group being gathered, and which rows have one.
enum Values {
    Int(Vec<i64>),
    Float(Vec<f64>),
    Bool(Vec<bool>),
    Text(Vec<ByteArray>),
}

struct Buffer {
    values: Values,
    defined: Vec<i16>,
    /// A list's repetition levels (0 starts a row's list, 1 goes on with it); None for the
    /// other columns.
    repeated: Option<Vec<i16>>,
}

pub struct ParquetSink<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    buffers: Vec<Buffer>,
    rows: usize,
    bytes: usize,
}

fn failed(error: parquet::errors::ParquetError) -> AppError {
    AppError::Task(format!("cannot write the Parquet file: {error}"))
}

/// A list of strings as Parquet's LIST spells it (`<name> (LIST) { repeated group list {
/// required binary element (STRING) } }`), never null: an empty list where there is none.
fn text_list(name: &str) -> AppResult<Type> {
    let element = Type::primitive_type_builder("element", Physical::BYTE_ARRAY)
        .with_repetition(Repetition::REQUIRED)
        .with_logical_type(Some(LogicalType::String))
        .build()
        .map_err(failed)?;
    let list = Type::group_type_builder("list")
        .with_repetition(Repetition::REPEATED)
        .with_fields(vec![Arc::new(element)])
        .build()
        .map_err(failed)?;
    Type::group_type_builder(name)
        .with_repetition(Repetition::REQUIRED)
        .with_logical_type(Some(LogicalType::List))
        .with_converted_type(ConvertedType::LIST)
        .with_fields(vec![Arc::new(list)])
        .build()
        .map_err(failed)
}

fn schema(layout: &Layout) -> AppResult<Type> {
    let mut fields = Vec::with_capacity(layout.columns.len());
    for column in &layout.columns {
        let (physical, logical) = match column.kind {
            Kind::Int => (Physical::INT64, None),
            Kind::Float => (Physical::DOUBLE, None),
            Kind::Bool => (Physical::BOOLEAN, None),
            Kind::Text => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
            Kind::Json => (Physical::BYTE_ARRAY, Some(LogicalType::Json)),
            Kind::Time => (
                Physical::INT64,
                Some(LogicalType::timestamp(true, TimeUnit::MILLIS)),
            ),
            Kind::TextList => {
                fields.push(Arc::new(text_list(&column.name)?));
                continue;
            }
        };
        let field = Type::primitive_type_builder(&column.name, physical)
            .with_repetition(Repetition::OPTIONAL)
            .with_logical_type(logical)
            .build()
            .map_err(failed)?;
        fields.push(Arc::new(field));
    }
    Type::group_type_builder("image")
        .with_fields(fields)
        .build()
        .map_err(failed)
}

impl<W: Write + Send> ParquetSink<W> {
    pub fn new(out: W, layout: &Layout) -> AppResult<ParquetSink<W>> {
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_created_by(format!("sdreview {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer =
            SerializedFileWriter::new(out, Arc::new(schema(layout)?), Arc::new(properties))
                .map_err(failed)?;
        let buffers = layout
            .columns
            .iter()
            .map(|column| Buffer {
                values: match column.kind {
                    Kind::Int | Kind::Time => Values::Int(Vec::new()),
                    Kind::Float => Values::Float(Vec::new()),
                    Kind::Bool => Values::Bool(Vec::new()),
                    Kind::Text | Kind::Json | Kind::TextList => Values::Text(Vec::new()),
                },
                defined: Vec::new(),
                repeated: (column.kind == Kind::TextList).then(Vec::new),
            })
            .collect();
        Ok(ParquetSink {
            writer,
            buffers,
            rows: 0,
            bytes: 0,
        })
    }

    /// Writes the gathered rows as one row group and empties the buffers.
    fn flush_group(&mut self) -> AppResult<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group().map_err(failed)?;
        let mut buffers = self.buffers.iter_mut();
        while let Some(mut column) = group.next_column().map_err(failed)? {
            let buffer = buffers
                .next()
                .ok_or_else(|| AppError::Task("Parquet schema and columns disagree".into()))?;
            let defined = Some(buffer.defined.as_slice());
            let repeated = buffer.repeated.as_deref();
            let written = match (column.untyped(), &buffer.values) {
                (ColumnWriter::Int64ColumnWriter(w), Values::Int(v)) => {
                    w.write_batch(v, defined, None)
                }
                (ColumnWriter::DoubleColumnWriter(w), Values::Float(v)) => {
                    w.write_batch(v, defined, None)
                }
                (ColumnWriter::BoolColumnWriter(w), Values::Bool(v)) => {
                    w.write_batch(v, defined, None)
                }
                (ColumnWriter::ByteArrayColumnWriter(w), Values::Text(v)) => {
                    w.write_batch(v, defined, repeated)
                }
                _ => {
                    return Err(AppError::Task(
                        "Parquet column of an unexpected type".into(),
                    ));
                }
            };
            written.map_err(failed)?;
            column.close().map_err(failed)?;
            buffer.defined.clear();
            if let Some(levels) = &mut buffer.repeated {
                levels.clear();
            }
            match &mut buffer.values {
                Values::Int(v) => v.clear(),
                Values::Float(v) => v.clear(),
                Values::Bool(v) => v.clear(),
                Values::Text(v) => v.clear(),
            }
        }
        group.close().map_err(failed)?;
        self.rows = 0;
        self.bytes = 0;
        Ok(())
    }
}

impl<W: Write + Send> Sink for ParquetSink<W> {
    fn row(&mut self, cells: &[Cell<'_>]) -> AppResult<()> {
        for (buffer, cell) in self.buffers.iter_mut().zip(cells) {
            if let Some(levels) = &mut buffer.repeated {
                let (Values::Text(v), Cell::List(items)) = (&mut buffer.values, cell) else {
                    return Err(AppError::Task("a cell does not fit its list column".into()));
                };
                if items.is_empty() {
                    buffer.defined.push(0);
                    levels.push(0);
                }
                for (at, item) in items.iter().enumerate() {
                    self.bytes += item.len() + TEXT_OVERHEAD;
                    v.push(ByteArray::from(item.as_bytes().to_vec()));
                    buffer.defined.push(1);
                    levels.push(i16::from(at > 0));
                }
                self.bytes += VALUE_BYTES;
                continue;
            }
            let present = match (&mut buffer.values, cell) {
                (_, Cell::Null) => false,
                (Values::Int(v), Cell::Int(n)) => {
                    v.push(*n);
                    true
                }
                (Values::Int(v), Cell::Time(t)) => {
                    v.push(t.and_utc().timestamp_millis());
                    true
                }
                (Values::Float(v), Cell::Float(x)) => {
                    v.push(*x);
                    true
                }
                (Values::Bool(v), Cell::Bool(b)) => {
                    v.push(*b);
                    true
                }
                (Values::Text(v), Cell::Text(text)) => {
                    self.bytes += text.len() + TEXT_OVERHEAD;
                    v.push(ByteArray::from(text.as_bytes().to_vec()));
                    true
                }
                (Values::Text(v), Cell::Json(value)) => {
                    let text = value.to_string();
                    self.bytes += text.len() + TEXT_OVERHEAD;
                    v.push(ByteArray::from(text.into_bytes()));
                    true
                }
                _ => {
                    return Err(AppError::Task(
                        "a cell does not fit its column's type".into(),
                    ));
                }
            };
            buffer.defined.push(i16::from(present));
            self.bytes += VALUE_BYTES;
        }
        self.rows += 1;
        if self.rows >= ROW_GROUP_ROWS || self.bytes >= ROW_GROUP_BYTES {
            self.flush_group()?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> AppResult<()> {
        self.flush_group()?;
        self.writer.close().map_err(failed)?;
        Ok(())
    }
}
