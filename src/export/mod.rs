//! Exports for machine learning: one row per image that passes a gallery filter (and each
//! image whose file is gone but which people rated), as CSV, JSONL or Parquet, streamed from
//! id-ordered batches so memory stays the same for any library size. The few rows that fill
//! every column come first (`first_rows`), for readers that guess types from the first rows.
//! `sdreview export` and `GET /api/export/images` both write through [`in_snapshot`], which
//! counts the rows the filter selects and refuses to finish a file that holds another number.

pub mod columns;
pub mod csv_cells;
mod csv_sink;
mod first_rows;
mod jsonl_sink;
mod parquet_sink;
pub mod spreadsheet;

use std::collections::HashSet;
use std::io::Write;

use diesel::prelude::*;

use crate::db::caller::Caller;
use crate::db::export_keys;
use crate::db::gallery::{self, Files};
use crate::db::ids::ImageId;
use crate::db::image_records::{Batches, SessionCache, these};
use crate::domain::gallery_filter::GalleryFilter;
use crate::error::{AppError, AppResult};
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

/// An export about to be written: its columns and how many rows its filter selects, both read
/// in the read transaction the rows will come from, so every figure is of the same moment.
pub struct Snapshot<'c> {
    conn: &'c mut SqliteConnection,
    filter: &'c GalleryFilter,
    caller: Caller,
    pub layout: Layout,
    /// The rows the filter selects; an export that writes another number fails.
    pub rows: u64,
    /// Written before the others, in id order (`first_rows`).
    first_rows: Vec<ImageId>,
}

/// The images an export holds: the gallery's, and those whose file is gone but which hold a
/// verdict or notes (marked `file_gone`).
const FILES: Files = Files::OnDiskOrRated;

/// Runs `body` inside one read transaction on `conn`: a snapshot of the database that writers
/// do not disturb (WAL), so an export's count and its rows agree whatever changes meanwhile.
pub fn in_snapshot<T>(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
    body: impl FnOnce(&mut Snapshot<'_>) -> AppResult<T>,
) -> AppResult<T> {
    conn.transaction(|conn| {
        let mut keys = export_keys::of_filter(conn, filter, caller, FILES)?;
        let candidates = std::mem::take(&mut keys.candidates);
        let layout = Layout::new(keys);
        let first_rows = first_rows::choose(conn, caller, &layout, &candidates)?;
        let rows: i64 = gallery::filtered_files(filter, caller, FILES)
            .count()
            .get_result(conn)?;
        body(&mut Snapshot {
            conn,
            filter,
            caller,
            layout,
            rows: u64::try_from(rows).unwrap_or_default(),
            first_rows,
        })
    })
}

impl Snapshot<'_> {
    /// Writes every image that passes the filter to `out`; `progress` hears how many rows each
    /// batch wrote. Returns the number of rows, which is always `self.rows`: an export that
    /// would hold another number stops with an error before its end is written, so a file
    /// never looks complete when it is not.
    pub fn write<W: Write + Send>(
        &mut self,
        format: Format,
        out: W,
        progress: &mut dyn FnMut(u64),
    ) -> AppResult<u64> {
        let layout = &self.layout;
        let mut sink: Box<dyn Sink + '_> = match format {
            Format::Csv => Box::new(csv_sink::CsvSink::new(out, layout)?),
            Format::Jsonl => Box::new(jsonl_sink::JsonlSink::new(out, layout)),
            Format::Parquet => Box::new(parquet_sink::ParquetSink::new(out, layout)?),
        };
        let mut written = 0;
        let mut sessions = SessionCache::default();
        for chunk in self.first_rows.chunks(BATCH as usize) {
            let records = these(self.conn, self.caller, chunk, &mut sessions)?;
            for record in &records {
                sink.row(&layout.cells(record))?;
            }
            written += records.len() as u64;
            progress(records.len() as u64);
        }
        let first: HashSet<ImageId> = self.first_rows.iter().copied().collect();
        let batches = Batches::new(self.conn, self.filter.clone(), self.caller, FILES, BATCH);
        for batch in batches {
            let mut rows = 0;
            for record in batch?.iter().filter(|r| !first.contains(&r.id)) {
                sink.row(&layout.cells(record))?;
                rows += 1;
            }
            written += rows;
            progress(rows);
        }
        if written != self.rows {
            return Err(AppError::ExportIncomplete {
                written,
                expected: self.rows,
            });
        }
        sink.finish()?;
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn an_export_that_would_hold_fewer_rows_than_selected_fails_before_its_end_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::open(&dir.path().join("metadata.db")).unwrap();
        let mut conn = pool.get().unwrap();
        let filter = GalleryFilter::default();
        let path = dir.path().join("out.parquet");
        let result = in_snapshot(
            &mut conn,
            &filter,
            Caller::owner(crate::db::ids::UserId(0)),
            |snapshot| {
                assert_eq!(snapshot.rows, 0, "an empty library selects nothing");
                // As if a row the filter selected had been lost on the way.
                snapshot.rows = 1;
                let out = std::fs::File::create(&path).unwrap();
                snapshot.write(Format::Parquet, out, &mut |_| {})
            },
        );
        assert!(matches!(
            result,
            Err(AppError::ExportIncomplete {
                written: 0,
                expected: 1
            })
        ));
        let file = std::fs::File::open(&path).unwrap();
        assert!(
            parquet::file::reader::SerializedFileReader::new(file).is_err(),
            "no Parquet footer: no reader takes it for a whole file"
        );
    }
}
