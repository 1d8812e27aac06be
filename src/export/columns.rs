//! The columns of an export and each image's cells: one row per image, one column per
//! session field, image field, generation parameter (`param_<Key>`), placeholder
//! (`var_<Placeholder>`) and rater (`rater_<name>_<field>`). The three formats write the same
//! columns; nested data (tags, predictions) stays nested where the format can hold it.

use std::borrow::Cow;
use std::sync::LazyLock;

use chrono::NaiveDateTime;
use serde_json::{Map, Value};

use crate::db::export_keys::ExportKeys;
use crate::db::image_records::ImageRecord;
use crate::domain::stats::rule::KoRule;

/// The type of a column: Parquet stores it typed, CSV as text, JSONL as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Float,
    Bool,
    Text,
    Time,
    /// A list of texts, never null (empty when there is none): a JSON array in JSONL and in a
    /// CSV cell, a LIST of strings in Parquet.
    TextList,
    /// Any JSON value whose shape varies (what classifiers write back): an object in JSONL,
    /// JSON text in CSV, Parquet's JSON logical type.
    Json,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    Text(Cow<'a, str>),
    /// UTC.
    Time(NaiveDateTime),
    List(&'a [String]),
    Json(&'a Value),
}

impl Cell<'_> {
    /// Whether the cell holds a value a reader can take the column's type from: not null,
    /// and for a list not empty.
    pub fn shows_type(&self) -> bool {
        match self {
            Cell::Null => false,
            Cell::List(items) => !items.is_empty(),
            _ => true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

/// A library with thousands of distinct parameter names would make thousands of columns; past
/// this many, the rest go together into `param_other` as one JSON object, so nothing is lost.
pub const MAX_PARAMETER_COLUMNS: usize = 256;

/// The fixed columns, in order, with the cell each image gives.
type Fixed = (&'static str, Kind, for<'r> fn(&'r ImageRecord) -> Cell<'r>);

fn text(value: &Option<String>) -> Cell<'_> {
    value
        .as_deref()
        .map_or(Cell::Null, |v| Cell::Text(Cow::Borrowed(v)))
}

fn int<T: Into<i64> + Copy>(value: Option<T>) -> Cell<'static> {
    value.map_or(Cell::Null, |v| Cell::Int(v.into()))
}

const FIXED: &[Fixed] = &[
    ("image_id", Kind::Int, |r| Cell::Int(r.id.0.into())),
    ("session_id", Kind::Int, |r| {
        Cell::Int(r.session.id.0.into())
    }),
    ("session_folder", Kind::Text, |r| {
        Cell::Text(Cow::Borrowed(&r.session.folder_name))
    }),
    ("session_name", Kind::Text, |r| {
        Cell::Text(Cow::Borrowed(&r.session.name))
    }),
    ("session_display_name", Kind::Text, |r| {
        text(&r.session.display_name)
    }),
    // The folder name's wall-clock time, read in the server's zone.
    ("session_date", Kind::Time, |r| {
        Cell::Time(crate::clock::wall_to_utc(
            &chrono::Local,
            r.session.created_at,
        ))
    }),
    ("session_is_test", Kind::Bool, |r| {
        Cell::Bool(r.session.is_test)
    }),
    ("session_is_failed", Kind::Bool, |r| {
        Cell::Bool(r.session.is_failed)
    }),
    ("session_is_archived", Kind::Bool, |r| {
        Cell::Bool(r.session.is_archived)
    }),
    ("session_is_starred", Kind::Bool, |r| {
        Cell::Bool(r.session.is_starred)
    }),
    ("session_tags", Kind::TextList, |r| Cell::List(&r.tags)),
    ("session_notes", Kind::Text, |r| text(&r.session.notes)),
    ("model", Kind::Text, |r| text(&r.session.model_name)),
    ("model_hash", Kind::Text, |r| text(&r.session.model_hash)),
    ("sampler", Kind::Text, |r| text(&r.session.sampler)),
    ("scheduler", Kind::Text, |r| text(&r.session.scheduler)),
    ("steps", Kind::Int, |r| int(r.session.steps)),
    ("cfg_scale", Kind::Float, |r| {
        r.session.cfg_scale.map_or(Cell::Null, Cell::Float)
    }),
    ("session_width", Kind::Int, |r| int(r.session.width)),
    ("session_height", Kind::Int, |r| int(r.session.height)),
    ("images_requested", Kind::Int, |r| {
        int(r.session.images_requested)
    }),
    ("theme", Kind::Text, |r| text(&r.session.theme)),
    ("style", Kind::Text, |r| text(&r.session.style)),
    ("template", Kind::Text, |r| text(&r.session.template_name)),
    ("file_path", Kind::Text, |r| {
        Cell::Text(Cow::Borrowed(&r.file_path))
    }),
    ("filename", Kind::Text, |r| {
        Cell::Text(Cow::Borrowed(&r.filename))
    }),
    ("seed", Kind::Int, |r| int(r.seed)),
    ("prompt", Kind::Text, |r| text(&r.prompt)),
    ("negative_prompt", Kind::Text, |r| text(&r.negative_prompt)),
    ("format", Kind::Text, |r| {
        Cell::Text(Cow::Borrowed(&r.format))
    }),
    ("width", Kind::Int, |r| int(r.width)),
    ("height", Kind::Int, |r| int(r.height)),
    ("file_size", Kind::Int, |r| Cell::Int(r.file_size)),
    ("broken", Kind::Text, |r| text(&r.broken)),
    ("is_deleted", Kind::Bool, |r| Cell::Bool(r.is_deleted)),
    // Its folder or file was deleted or renamed on disk; the row stays for the verdicts and
    // notes people gave it.
    ("file_gone", Kind::Bool, |r| Cell::Bool(!r.on_disk)),
    ("status", Kind::Text, |r| {
        r.status
            .map_or(Cell::Null, |s| Cell::Text(Cow::Borrowed(s)))
    }),
    ("quality", Kind::Text, |r| {
        r.quality
            .map_or(Cell::Null, |s| Cell::Text(Cow::Borrowed(s)))
    }),
    ("rater_count", Kind::Int, |r| {
        Cell::Int(r.rater_count.into())
    }),
    ("like_count", Kind::Int, |r| Cell::Int(r.like_count.into())),
    ("perfect_count", Kind::Int, |r| {
        Cell::Int(r.perfect_count.into())
    }),
    ("imperfect_count", Kind::Int, |r| {
        Cell::Int(r.imperfect_count.into())
    }),
    ("ok_count", Kind::Int, |r| Cell::Int(r.ok_count.into())),
    ("ko_count", Kind::Int, |r| Cell::Int(r.ko_count.into())),
    ("notes", Kind::Text, |r| text(&r.notes)),
    // `{}` rather than null when no classifier wrote any: an object on every row, which
    // readers that infer nested types block by block take without a fault (pyarrow's
    // threaded JSON reader fails now and then on a block of nulls before one of objects).
    ("ml_predictions", Kind::Json, |r| {
        Cell::Json(r.ml_predictions.as_ref().unwrap_or(&NO_PREDICTIONS))
    }),
    // The KO predictor's output (docs/insights.md), also inside `ml_predictions`.
    ("predicted_ko", Kind::Float, |r| {
        predicted(r, "ko")
            .and_then(Value::as_f64)
            .map_or(Cell::Null, Cell::Float)
    }),
    ("predicted_call", Kind::Text, |r| predicted_text(r, "call")),
    ("predicted_category", Kind::Text, |r| {
        predicted_text(r, "category")
    }),
];

static NO_PREDICTIONS: LazyLock<Value> = LazyLock::new(|| Value::Object(Map::new()));

fn predicted<'r>(record: &'r ImageRecord, field: &str) -> Option<&'r Value> {
    record
        .ml_predictions
        .as_ref()?
        .get(crate::predict::KEY)?
        .get(field)
}

fn predicted_text<'r>(record: &'r ImageRecord, field: &str) -> Cell<'r> {
    predicted(record, field)
        .and_then(Value::as_str)
        .map_or(Cell::Null, |v| Cell::Text(Cow::Borrowed(v)))
}

/// Each rater gets these columns, in this order.
const RATER_FIELDS: [(&str, Kind); 6] = [
    ("status", Kind::Text),
    ("quality", Kind::Text),
    ("liked", Kind::Bool),
    ("category", Kind::Text),
    ("notes", Kind::Text),
    // When they last changed their verdict on the image (UTC).
    ("rated_at", Kind::Time),
];

/// The columns of one export, fixed when it starts.
#[derive(Debug, Clone)]
pub struct Layout {
    pub columns: Vec<Column>,
    parameters: Vec<String>,
    overflow: bool,
    placeholders: Vec<String>,
    raters: Vec<String>,
    /// The statistics' KO rule the `status` column follows (`rule=`); None: the raters'
    /// combined status, `split` where they disagree.
    pub rule: Option<KoRule>,
}

/// The `status` cell under `rule`: `ko` or `ok` as the statistics count the image (`any`:
/// anyone said KO; `majority`: more than half of its raters did); empty when nobody gave a
/// status. `each` is refused before an export starts (`export_rule`).
fn status_under(rule: KoRule, record: &ImageRecord) -> Cell<'static> {
    let (oks, kos) = (
        u64::try_from(record.ok_count).unwrap_or(0),
        u64::try_from(record.ko_count).unwrap_or(0),
    );
    match rule.image_is_ko(oks, kos) {
        _ if oks + kos == 0 => Cell::Null,
        Some(true) => Cell::Text(Cow::Borrowed("ko")),
        Some(false) => Cell::Text(Cow::Borrowed("ok")),
        None => Cell::Null,
    }
}

/// The `rule` an export's `status` column follows: any or majority. `each` counts judgements,
/// and an export has one row per image (each rater's status is in `rater_<name>_status`).
pub fn export_rule(text: &str) -> Result<KoRule, String> {
    match KoRule::parse(text)? {
        KoRule::Each => Err(
            "`rule=each` counts judgements, not images: an export has one row per image, and \
             each rater's status is in its `rater_<name>_status` column; use any or majority"
                .to_owned(),
        ),
        rule => Ok(rule),
    }
}

/// A parameter's value as text: strings as they are, anything else (Hashes...) as JSON.
fn value_text(value: &Value) -> Cell<'_> {
    match value {
        Value::Null => Cell::Null,
        Value::String(text) => Cell::Text(Cow::Borrowed(text)),
        other => Cell::Text(Cow::Owned(other.to_string())),
    }
}

impl Layout {
    pub fn new(keys: ExportKeys) -> Layout {
        let mut parameters = keys.parameters;
        let overflow = parameters.len() > MAX_PARAMETER_COLUMNS;
        parameters.truncate(MAX_PARAMETER_COLUMNS);
        let mut columns: Vec<Column> = FIXED
            .iter()
            .map(|(name, kind, _)| Column {
                name: (*name).to_owned(),
                kind: *kind,
            })
            .collect();
        let named = |prefix: &str, name: &str, kind| Column {
            name: format!("{prefix}{name}"),
            kind,
        };
        columns.extend(parameters.iter().map(|p| named("param_", p, Kind::Text)));
        if overflow {
            columns.push(named("param_", "other", Kind::Text));
        }
        columns.extend(
            keys.placeholders
                .iter()
                .map(|p| named("var_", p, Kind::Text)),
        );
        for rater in &keys.raters {
            for (field, kind) in RATER_FIELDS {
                columns.push(named("rater_", &format!("{rater}_{field}"), kind));
            }
        }
        Layout {
            columns,
            parameters,
            overflow,
            placeholders: keys.placeholders,
            raters: keys.raters,
            rule: None,
        }
    }

    /// The image's cells, one per column, in column order.
    pub fn cells<'r>(&self, record: &'r ImageRecord) -> Vec<Cell<'r>> {
        let mut cells = Vec::with_capacity(self.columns.len());
        cells.extend(FIXED.iter().map(|(name, _, cell)| match self.rule {
            Some(rule) if *name == "status" => status_under(rule, record),
            _ => cell(record),
        }));
        cells.extend(
            self.parameters
                .iter()
                .map(|key| record.parameters.get(key).map_or(Cell::Null, value_text)),
        );
        if self.overflow {
            let rest: Map<String, Value> = record
                .parameters
                .iter()
                .filter(|(key, _)| self.parameters.binary_search(key).is_err())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            cells.push(if rest.is_empty() {
                Cell::Null
            } else {
                Cell::Text(Cow::Owned(Value::Object(rest).to_string()))
            });
        }
        cells.extend(self.placeholders.iter().map(|placeholder| {
            record
                .variations
                .get(placeholder)
                .map_or(Cell::Null, |v| Cell::Text(Cow::Borrowed(v)))
        }));
        for rater in &self.raters {
            match record.raters.iter().find(|v| &v.name == rater) {
                Some(verdict) => cells.extend([
                    text(&verdict.status),
                    text(&verdict.quality),
                    Cell::Bool(verdict.liked),
                    text(&verdict.failure_category),
                    text(&verdict.failure_notes),
                    Cell::Time(verdict.updated_at),
                ]),
                None => cells.extend(std::iter::repeat_n(Cell::Null, RATER_FIELDS.len())),
            }
        }
        cells
    }
}
