//! One image with everything known about it (its session, prompts, every generation parameter,
//! placeholders, every rater's verdict, notes, predictions): the row of an export and of the
//! API's image lists. Others' verdicts (each rater's, and the counts and combined verdict made
//! of them) are left out of an image the caller has not judged while blind mode binds them
//! (`db::blind_review`); the caller's own verdict is always there. Read in id order a batch at a time (keyset pagination), so a million
//! images cost the memory of one batch.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sqlite::Sqlite;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::caller::Caller;
use super::gallery::Files;
use super::ids::{ImageId, PromptId, SessionId};
use super::models::Judgement;
use super::row_limit::RowLimit;
use super::schema::images::{self, dsl as i};
use super::schema::judgements::dsl as j;
use super::schema::prompt_texts::dsl as p;
use super::schema::users::dsl as u;
pub use super::session_records::{SessionCache, SessionRecord};
use crate::domain::combined_verdict::Combined;
use crate::domain::gallery_filter::GalleryFilter;
use crate::domain::parameters_diff::merge;
use crate::domain::trash_rule::{Access, reach};
use crate::error::{AppError, AppResult};

/// One rater's verdict on an image.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RaterVerdict {
    pub name: String,
    pub quality: Option<String>,
    pub liked: bool,
    pub status: Option<String>,
    pub failure_category: Option<String>,
    pub failure_notes: Option<String>,
    /// RFC 3339 in UTC.
    #[serde(serialize_with = "crate::clock::rfc3339::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = images, check_for_backend(Sqlite))]
struct ImageRow {
    id: ImageId,
    session_id: SessionId,
    filename: String,
    metadata: String,
    prompt_id: Option<PromptId>,
    negative_prompt_id: Option<PromptId>,
    ml_predictions: Option<String>,
    notes: Option<String>,
    is_deleted: bool,
    format: String,
    seed: Option<i64>,
    width: Option<i32>,
    height: Option<i32>,
    file_size: i64,
    broken: Option<String>,
    on_disk: bool,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    rater_count: i32,
    like_count: i32,
    perfect_count: i32,
    imperfect_count: i32,
    ok_count: i32,
    ko_count: i32,
}

impl ImageRow {
    /// The counts as someone sees them who may not know others' verdicts: only their own,
    /// and they have given none.
    fn blind(&mut self) {
        self.rater_count = 0;
        self.like_count = 0;
        self.perfect_count = 0;
        self.imperfect_count = 0;
        self.ok_count = 0;
        self.ko_count = 0;
    }
}

/// An image with everything known about it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImageRecord {
    pub id: ImageId,
    #[schema(value_type = SessionRecord)]
    pub session: Arc<SessionRecord>,
    /// Session tags, sorted.
    #[schema(value_type = Vec<String>)]
    pub tags: Arc<Vec<String>>,
    pub filename: String,
    /// Relative to the library root: `<session folder>/<filename>`.
    pub file_path: String,
    pub format: String,
    pub seed: Option<i64>,
    pub prompt: Option<String>,
    pub negative_prompt: Option<String>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub file_size: i64,
    /// Why the file cannot be read, when it cannot.
    pub broken: Option<String>,
    pub is_deleted: bool,
    /// False when the file is gone from disk (its folder deleted or renamed): the row stays
    /// for the verdicts and notes people gave it.
    pub on_disk: bool,
    /// Every A1111 generation parameter (the session's shared ones with this image's own).
    #[schema(value_type = Object)]
    pub parameters: Map<String, Value>,
    /// Placeholder -> value.
    pub variations: BTreeMap<String, String>,
    /// The combined status of all raters: `ok`, `ko`, `split` or none.
    pub status: Option<&'static str>,
    /// The combined quality: `perfect`, `imperfect`, `split` or none.
    pub quality: Option<&'static str>,
    pub rater_count: i32,
    pub like_count: i32,
    pub perfect_count: i32,
    pub imperfect_count: i32,
    pub ok_count: i32,
    pub ko_count: i32,
    /// Each rater's verdict, by name.
    pub raters: Vec<RaterVerdict>,
    pub notes: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub ml_predictions: Option<Value>,
    /// RFC 3339 in UTC.
    #[serde(serialize_with = "crate::clock::rfc3339::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    /// RFC 3339 in UTC.
    #[serde(serialize_with = "crate::clock::rfc3339::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

/// Up to `limit` images that pass the filter with an id above `after`, in id order.
pub fn page(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
    after: Option<ImageId>,
    limit: i64,
    sessions: &mut SessionCache,
) -> AppResult<Vec<ImageRecord>> {
    let request = Request {
        filter,
        caller,
        files: Files::OnDisk,
    };
    page_of(conn, request, after, limit, sessions)
}

/// What a page of records is drawn from.
#[derive(Clone, Copy)]
struct Request<'f> {
    filter: &'f GalleryFilter,
    caller: Caller,
    files: Files,
}

fn page_of(
    conn: &mut SqliteConnection,
    request: Request<'_>,
    after: Option<ImageId>,
    limit: i64,
    sessions: &mut SessionCache,
) -> AppResult<Vec<ImageRecord>> {
    let mut query = super::gallery::filtered_files(request.filter, request.caller, request.files);
    if let Some(after) = after {
        query = query.filter(i::id.gt(after));
    }
    let rows: Vec<ImageRow> = query
        .order(i::id.asc())
        .select(ImageRow::as_select())
        .row_limit(limit)
        .load(conn)?;
    records(conn, request.caller, rows, sessions)
}

/// One image, gone from disk or not; None when there is no such image or when it is in the
/// trash and the caller may not look there (`domain::trash_rule`).
pub fn one(
    conn: &mut SqliteConnection,
    caller: Caller,
    id: ImageId,
) -> AppResult<Option<ImageRecord>> {
    let reachable = super::trash_state::image_place(conn, id)?
        .and_then(|place| reach(place, caller.role, Access::Look));
    if reachable.is_none() {
        return Ok(None);
    }
    let rows: Vec<ImageRow> = i::images
        .filter(i::id.eq(id))
        .select(ImageRow::as_select())
        .load(conn)?;
    Ok(records(conn, caller, rows, &mut SessionCache::default())?.pop())
}

/// These images (ids the caller already filtered), in id order, whatever their place.
pub fn these(
    conn: &mut SqliteConnection,
    caller: Caller,
    ids: &[ImageId],
    sessions: &mut SessionCache,
) -> AppResult<Vec<ImageRecord>> {
    let rows: Vec<ImageRow> = i::images
        .filter(i::id.eq_any(ids))
        .order(i::id.asc())
        .select(ImageRow::as_select())
        .load(conn)?;
    records(conn, caller, rows, sessions)
}

fn records(
    conn: &mut SqliteConnection,
    caller: Caller,
    rows: Vec<ImageRow>,
    sessions: &mut SessionCache,
) -> AppResult<Vec<ImageRecord>> {
    let mut session_ids: Vec<SessionId> = rows.iter().map(|r| r.session_id).collect();
    session_ids.dedup();
    sessions.fill(conn, &session_ids)?;
    let prompt_ids: Vec<PromptId> = rows
        .iter()
        .flat_map(|r| [r.prompt_id, r.negative_prompt_id])
        .flatten()
        .collect();
    let texts: HashMap<PromptId, String> = p::prompt_texts
        .filter(p::id.eq_any(&prompt_ids))
        .select((p::id, p::text))
        .load::<(PromptId, String)>(conn)?
        .into_iter()
        .collect();
    let ids: Vec<ImageId> = rows.iter().map(|r| r.id).collect();
    let revealed = super::blind_review::revealed(conn, caller, &ids)?;
    let mut raters: HashMap<ImageId, Vec<RaterVerdict>> = HashMap::new();
    let judged: Vec<(String, Judgement)> = j::judgements
        .inner_join(u::users)
        .filter(j::image_id.eq_any(&ids))
        .order((j::image_id, u::name))
        .select((u::name, Judgement::as_select()))
        .load(conn)?;
    for (name, row) in judged {
        if row.user_id != caller.user && !revealed.shows(row.image_id) {
            continue;
        }
        raters.entry(row.image_id).or_default().push(RaterVerdict {
            name,
            quality: row.quality,
            liked: row.liked,
            status: row.status,
            failure_category: row.failure_category,
            failure_notes: row.failure_notes,
            updated_at: row.updated_at,
        });
    }
    let mut out = Vec::with_capacity(rows.len());
    for mut row in rows {
        if !revealed.shows(row.id) {
            row.blind();
        }
        // Every image has its session (a foreign key): one missing means a row would be
        // dropped without a word, so it is an error, never a skip.
        let cached = sessions.get(row.session_id).ok_or_else(|| {
            AppError::Task(format!(
                "image {} belongs to session {}, which could not be read",
                row.id.0, row.session_id.0
            ))
        })?;
        let (session, tags, common) = (cached.record, cached.tags, cached.common);
        let metadata: Map<String, Value> = serde_json::from_str(&row.metadata).unwrap_or_default();
        let parameters = match metadata.get("parameters_parsed") {
            Some(Value::Object(patch)) => merge(&common, patch),
            _ => Map::new(),
        };
        let variations = match metadata.get("variations") {
            Some(Value::Object(values)) => values
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                    )
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        let combined = Combined {
            raters: row.rater_count,
            likes: row.like_count,
            perfects: row.perfect_count,
            imperfects: row.imperfect_count,
            oks: row.ok_count,
            kos: row.ko_count,
        };
        let text = |id: Option<PromptId>| id.and_then(|id| texts.get(&id).cloned());
        out.push(ImageRecord {
            id: row.id,
            file_path: format!("{}/{}", session.folder_name, row.filename),
            session,
            tags,
            filename: row.filename,
            format: row.format,
            seed: row.seed,
            prompt: text(row.prompt_id),
            negative_prompt: text(row.negative_prompt_id),
            width: row.width,
            height: row.height,
            file_size: row.file_size,
            broken: row.broken,
            is_deleted: row.is_deleted,
            on_disk: row.on_disk,
            parameters,
            variations,
            status: combined.status(),
            quality: combined.quality(),
            rater_count: row.rater_count,
            like_count: row.like_count,
            perfect_count: row.perfect_count,
            imperfect_count: row.imperfect_count,
            ok_count: row.ok_count,
            ko_count: row.ko_count,
            raters: raters.remove(&row.id).unwrap_or_default(),
            notes: row.notes,
            ml_predictions: row
                .ml_predictions
                .as_deref()
                .and_then(|p| serde_json::from_str(p).ok()),
            created_at: row.created_at,
            updated_at: row.updated_at,
        });
    }
    Ok(out)
}

/// Every image that passes the filter, a batch at a time, in id order.
pub struct Batches<'a> {
    conn: &'a mut SqliteConnection,
    filter: GalleryFilter,
    caller: Caller,
    files: Files,
    after: Option<ImageId>,
    size: i64,
    sessions: SessionCache,
    done: bool,
}

impl<'a> Batches<'a> {
    pub fn new(
        conn: &'a mut SqliteConnection,
        filter: GalleryFilter,
        caller: Caller,
        files: Files,
        size: i64,
    ) -> Batches<'a> {
        Batches {
            conn,
            filter,
            caller,
            files,
            after: None,
            size,
            sessions: SessionCache::default(),
            done: false,
        }
    }
}

impl Iterator for Batches<'_> {
    type Item = AppResult<Vec<ImageRecord>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let request = Request {
            filter: &self.filter,
            caller: self.caller,
            files: self.files,
        };
        let batch = page_of(
            self.conn,
            request,
            self.after,
            self.size,
            &mut self.sessions,
        );
        match &batch {
            Ok(records) if records.len() < self.size as usize => self.done = true,
            Ok(records) => self.after = records.last().map(|r| r.id),
            Err(_) => self.done = true,
        }
        match batch {
            Ok(records) if records.is_empty() => None,
            other => Some(other),
        }
    }
}
