//! Sessions as export rows and the API show them, read once and shared by their images.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use diesel::sqlite::Sqlite;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::ids::SessionId;
use super::schema::session_tags::dsl as tg;
use super::schema::sessions::{self, dsl as s};

/// The session columns an image row carries.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = sessions, check_for_backend(Sqlite))]
pub struct SessionRecord {
    pub id: SessionId,
    pub folder_name: String,
    pub name: String,
    pub display_name: Option<String>,
    /// When the session was made, from its folder's name (read in the server's zone): RFC 3339
    /// in UTC.
    #[serde(serialize_with = "crate::clock::rfc3339::wall")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    pub is_test: bool,
    pub is_failed: bool,
    pub is_archived: bool,
    pub is_deleted: bool,
    pub is_starred: bool,
    pub notes: Option<String>,
    pub model_name: Option<String>,
    pub model_hash: Option<String>,
    pub sampler: Option<String>,
    pub scheduler: Option<String>,
    pub steps: Option<i32>,
    pub cfg_scale: Option<f64>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub images_requested: Option<i32>,
    pub theme: Option<String>,
    pub style: Option<String>,
    pub template_name: Option<String>,
    #[diesel(select_expression = sql::<Nullable<Text>>(
        "json_extract(sessions.metadata, '$.parameters_common')"
    ))]
    #[diesel(select_expression_type = diesel::expression::SqlLiteral<Nullable<Text>>)]
    #[serde(skip)]
    pub parameters_common: Option<String>,
}

/// Sessions already read, kept across batches: images come in id order, so a session's images
/// are mostly together. When it grows past its limit it forgets the sessions the current batch
/// does not need (never those it does), so memory stays bounded.
#[derive(Default)]
pub struct SessionCache {
    sessions: HashMap<SessionId, CachedSession>,
}

/// A session as image rows share it: its record, tags, and shared A1111 parameters parsed once.
#[derive(Clone)]
pub struct CachedSession {
    pub record: Arc<SessionRecord>,
    pub tags: Arc<Vec<String>>,
    pub common: Arc<Map<String, Value>>,
}

const SESSION_CACHE_LIMIT: usize = 2_000;

impl SessionCache {
    pub fn get(&self, id: SessionId) -> Option<CachedSession> {
        self.sessions.get(&id).cloned()
    }

    pub fn fill(&mut self, conn: &mut SqliteConnection, wanted: &[SessionId]) -> QueryResult<()> {
        let missing: Vec<SessionId> = wanted
            .iter()
            .copied()
            .filter(|id| !self.sessions.contains_key(id))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        if self.sessions.len() + missing.len() > SESSION_CACHE_LIMIT {
            let needed: HashSet<SessionId> = wanted.iter().copied().collect();
            self.sessions.retain(|id, _| needed.contains(id));
        }
        let rows: Vec<SessionRecord> = s::sessions
            .filter(s::id.eq_any(&missing))
            .select(SessionRecord::as_select())
            .load(conn)?;
        let mut tags: HashMap<SessionId, Vec<String>> = HashMap::new();
        let tag_rows: Vec<(SessionId, String)> = tg::session_tags
            .filter(tg::session_id.eq_any(&missing))
            .order((tg::session_id, tg::tag))
            .select((tg::session_id, tg::tag))
            .load(conn)?;
        for (session, tag) in tag_rows {
            tags.entry(session).or_default().push(tag);
        }
        for row in rows {
            let common = row
                .parameters_common
                .as_deref()
                .and_then(|c| serde_json::from_str::<Map<String, Value>>(c).ok())
                .unwrap_or_default();
            let session_tags = tags.remove(&row.id).unwrap_or_default();
            self.sessions.insert(
                row.id,
                CachedSession {
                    record: Arc::new(row),
                    tags: Arc::new(session_tags),
                    common: Arc::new(common),
                },
            );
        }
        Ok(())
    }
}

/// One session's record with its tags; None when there is no such session.
pub fn session(conn: &mut SqliteConnection, id: SessionId) -> QueryResult<Option<CachedSession>> {
    let mut cache = SessionCache::default();
    cache.fill(conn, &[id])?;
    Ok(cache.sessions.remove(&id))
}
