//! `images.ml_predictions`: what external classifiers wrote back, one JSON object per image.

use diesel::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::ids::ImageId;
use super::schema::images::dsl as i;
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
    let changed = diesel::update(i::images.find(id))
        .set((i::ml_predictions.eq(text), i::updated_at.eq(super::now())))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Merges a JSON merge patch (RFC 7396: `null` removes a key) into an image's predictions;
/// returns the result, or None when there is no such image.
pub fn patch(
    conn: &mut SqliteConnection,
    id: ImageId,
    patch: &Map<String, Value>,
) -> QueryResult<Option<Map<String, Value>>> {
    let current: Option<Option<String>> = i::images
        .find(id)
        .select(i::ml_predictions)
        .first(conn)
        .optional()?;
    let Some(current) = current else {
        return Ok(None);
    };
    if super::trash_state::image_place(conn, id)? != Some(Place::Live) {
        return Ok(None);
    }
    let current = current
        .and_then(|text| serde_json::from_str::<Map<String, Value>>(&text).ok())
        .unwrap_or_default();
    let merged = merge(&current, patch);
    set(conn, id, Some(&merged))?;
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
const CHUNK: usize = 1_000;

impl ImportReport {
    fn refuse(&mut self, line: usize, error: String) {
        self.refused_count += 1;
        if self.refused.len() < MAX_LISTED {
            self.refused.push(Refused { line, error });
        }
    }
}

/// Replaces the predictions of every image a JSONL text names, a line each; a bad line or an
/// unknown image is refused and reported, the others are written.
pub fn import_lines<'a>(
    conn: &mut SqliteConnection,
    lines: impl Iterator<Item = &'a str>,
) -> QueryResult<ImportReport> {
    let mut report = ImportReport::default();
    let mut pending: Vec<(usize, ImageId, Map<String, Value>)> = Vec::with_capacity(CHUNK);
    for (index, line) in lines.enumerate() {
        match predictions::parse_line(line) {
            Ok(Some((id, map))) => pending.push((index + 1, id, map)),
            Ok(None) => {}
            Err(error) => report.refuse(index + 1, error),
        }
        if pending.len() >= CHUNK {
            write_chunk(conn, &mut pending, &mut report)?;
        }
    }
    write_chunk(conn, &mut pending, &mut report)?;
    report.refused.sort_by_key(|r| r.line);
    Ok(report)
}

fn write_chunk(
    conn: &mut SqliteConnection,
    pending: &mut Vec<(usize, ImageId, Map<String, Value>)>,
    report: &mut ImportReport,
) -> QueryResult<()> {
    let outcome = super::write_transaction(conn, |conn| {
        let mut missing = Vec::new();
        for (line, id, map) in pending.iter() {
            if !set(conn, *id, Some(map))? {
                missing.push((*line, *id));
            }
        }
        Ok::<_, diesel::result::Error>(missing)
    })?;
    report.applied += pending.len() - outcome.len();
    for (line, id) in outcome {
        report.refuse(line, format!("there is no image {id}"));
    }
    pending.clear();
    Ok(())
}
