//! `images.ml_predictions`: what external classifiers wrote back, one JSON object per image.

use diesel::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::ids::ImageId;
use super::row_limit::RowLimit;
use super::schema::images::dsl as i;
use crate::domain::bounded_lines::TooLong;
use crate::domain::parameters_diff::merge;
use crate::domain::predictions;
use crate::domain::trash_rule::Place;

/// Replaces an image's predictions (None clears them); false when there is no such image or
/// it is in the trash (the trash rule; the triggers of `trash_guard` refuse it too).
pub fn set(
    conn: &mut SqliteConnection,
    id: ImageId,
    predictions: Option<&Map<String, Value>>,
) -> QueryResult<bool> {
    if super::trash_state::image_place(conn, id)? != Some(Place::Live) {
        return Ok(false);
    }
    let text = predictions.map(|p| Value::Object(p.clone()).to_string());
    store(conn, id, text.as_deref())
}

fn store(conn: &mut SqliteConnection, id: ImageId, text: Option<&str>) -> QueryResult<bool> {
    let changed = diesel::update(i::images.find(id))
        .set((i::ml_predictions.eq(text), i::updated_at.eq(super::now())))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Merges a JSON merge patch (RFC 7396: `null` removes a key) into an image's predictions;
/// returns the result, or None when there is no such image or it is in the trash.
pub fn patch(
    conn: &mut SqliteConnection,
    id: ImageId,
    patch: &Map<String, Value>,
) -> QueryResult<Option<Map<String, Value>>> {
    if super::trash_state::image_place(conn, id)? != Some(Place::Live) {
        return Ok(None);
    }
    let current: Option<String> = i::images
        .find(id)
        .select(i::ml_predictions)
        .first_row(conn)?;
    let current = current
        .and_then(|text| serde_json::from_str::<Map<String, Value>>(&text).ok())
        .unwrap_or_default();
    let merged = merge(&current, patch);
    store(conn, id, Some(&Value::Object(merged.clone()).to_string()))?;
    Ok(Some(merged))
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct Refused {
    /// 1-based line number.
    pub line: usize,
    pub error: String,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ImportReport {
    pub applied: usize,
    pub refused_count: usize,
    /// The first refused lines with the reason (at most `MAX_LISTED`).
    pub refused: Vec<Refused>,
}

pub const MAX_LISTED: usize = 1_000;
/// Lines written per transaction at most...
const CHUNK: usize = 1_000;
/// ...and bytes of predictions: a thousand lines of the largest would hold 64 MiB.
const CHUNK_BYTES: usize = 4 * 1024 * 1024;

impl ImportReport {
    fn refuse(&mut self, line: usize, error: String) {
        self.refused_count += 1;
        if self.refused.len() < MAX_LISTED {
            self.refused.push(Refused { line, error });
        }
    }
}

#[derive(Debug)]
struct Pending {
    line: usize,
    id: ImageId,
    /// The predictions as stored.
    text: String,
}

/// A JSONL import under way: lines are added as they are read and written a chunk per
/// transaction, so neither the upload nor the predictions waiting to be written are ever
/// held whole. Each line replaces the predictions of the image it names; a bad line or an
/// unknown image is refused and reported, the others are written.
#[derive(Debug, Default)]
pub struct Import {
    report: ImportReport,
    pending: Vec<Pending>,
    pending_bytes: usize,
}

impl Import {
    /// Parses one line; blank lines are skipped.
    pub fn add(&mut self, line: usize, text: &[u8]) {
        match predictions::parse_line(text) {
            Ok(Some((id, map))) => {
                let text = Value::Object(map).to_string();
                self.pending_bytes += text.len();
                self.pending.push(Pending { line, id, text });
            }
            Ok(None) => {}
            Err(error) => self.report.refuse(line, error),
        }
    }

    /// Whether the lines waiting should be written before more are read.
    pub fn is_full(&self) -> bool {
        self.pending.len() >= CHUNK || self.pending_bytes >= CHUNK_BYTES
    }

    /// Writes the lines waiting, in one transaction.
    pub fn write(&mut self, conn: &mut SqliteConnection) -> QueryResult<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let missing = super::write_transaction(conn, |conn| {
            let mut missing = Vec::new();
            for pending in &self.pending {
                if !store(conn, pending.id, Some(&pending.text))? {
                    missing.push((pending.line, pending.id));
                }
            }
            Ok::<_, diesel::result::Error>(missing)
        })?;
        self.report.applied += self.pending.len() - missing.len();
        for (line, id) in missing {
            self.report.refuse(line, format!("there is no image {id}"));
        }
        self.pending.clear();
        self.pending_bytes = 0;
        Ok(())
    }

    /// Writes what is left; the report, refused lines in order.
    pub fn finish(mut self, conn: &mut SqliteConnection) -> QueryResult<ImportReport> {
        self.write(conn)?;
        self.report.refused.sort_by_key(|r| r.line);
        Ok(self.report)
    }
}

/// What to tell someone whose import stopped at an over-long line: which line, and what of
/// the lines before it was written, so that they can send the rest again.
pub fn stopped_at(too_long: TooLong, report: &ImportReport) -> String {
    let written = match report.applied {
        1 => "1 line was written".to_owned(),
        n => format!("{n} lines were written"),
    };
    format!(
        "{too_long}: reading stopped there. Before it, {written} and {} refused. Shorten that \
         line (one image's predictions are at most {} KiB) or leave it out, and send the lines \
         from there on again.",
        report.refused_count,
        predictions::MAX_BYTES / 1024,
    )
}
