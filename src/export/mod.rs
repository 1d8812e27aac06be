//! Exports for machine learning: one row per image that passes a gallery filter, as CSV, JSONL
//! or Parquet, streamed from id-ordered batches so memory stays the same for any library size.
//! `sdreview export` and `GET /api/export/images` both call [`write`].

pub mod columns;
mod csv_sink;
mod jsonl_sink;
mod parquet_sink;

use std::io::Write;

use diesel::SqliteConnection;

use crate::db::export_keys;
use crate::db::ids::UserId;
use crate::db::image_records::Batches;
use crate::domain::gallery_filter::GalleryFilter;
use crate::error::AppResult;
use columns::{Cell, Layout};

/// Images read per query: large enough that the per-query cost vanishes, small enough that a
/// batch is a few megabytes.
const BATCH: i64 = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
    Parquet,
}

impl Format {
    pub const NAMES: &'static str = "csv, jsonl or parquet";

    pub fn parse(text: &str) -> Result<Format, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            "parquet" => Ok(Format::Parquet),
            other => Err(format!(
                "unknown export format `{other}`: use {}",
                Format::NAMES
            )),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
            Format::Parquet => "parquet",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Jsonl => "application/x-ndjson; charset=utf-8",
            Format::Parquet => "application/vnd.apache.parquet",
        }
    }
}

/// One format's writer: a row at a time, then the end of the file.
trait Sink {
    fn row(&mut self, cells: &[Cell<'_>]) -> AppResult<()>;
    fn finish(self: Box<Self>) -> AppResult<()>;
}

/// The columns an export of this filter will have (read before the first row).
pub fn layout(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    me: UserId,
) -> AppResult<Layout> {
    Ok(Layout::new(export_keys::of_filter(conn, filter, me)?))
}

/// Writes every image that passes the filter to `out`; `progress` hears how many rows each
/// batch wrote. Returns the number of rows.
pub fn write<W: Write + Send>(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    me: UserId,
    layout: &Layout,
    format: Format,
    out: W,
    progress: &mut dyn FnMut(u64),
) -> AppResult<u64> {
    let mut sink: Box<dyn Sink + '_> = match format {
        Format::Csv => Box::new(csv_sink::CsvSink::new(out, layout)?),
        Format::Jsonl => Box::new(jsonl_sink::JsonlSink::new(out, layout)),
        Format::Parquet => Box::new(parquet_sink::ParquetSink::new(out, layout)?),
    };
    let mut rows = 0;
    for batch in Batches::new(conn, filter.clone(), me, BATCH) {
        let batch = batch?;
        for record in &batch {
            sink.row(&layout.cells(record))?;
        }
        rows += batch.len() as u64;
        progress(batch.len() as u64);
    }
    sink.finish()?;
    Ok(rows)
}
