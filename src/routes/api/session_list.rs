//! `GET /api/sessions`: the sessions list with the sessions page's own filters, by cursor.

use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

use super::body::blocking;
use super::error::ApiError;
use super::params::{PAGING, Page, list_params, page_of};
use crate::db::ids::SessionId;
use crate::db::session_list;
use crate::domain::query_params::{self, QueryParam, Values};
use crate::domain::session_filter::{SessionFilter, SessionQuery};
use crate::web::{AppState, Identity};

type Pairs = web::Query<Vec<(String, String)>>;

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionItem {
    pub id: SessionId,
    pub name: String,
    pub display_name: Option<String>,
    /// When the session was made, from its folder's name (read in the server's zone): RFC 3339
    /// in UTC.
    #[serde(serialize_with = "crate::clock::rfc3339::wall")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    pub model_name: Option<String>,
    pub sampler: Option<String>,
    pub images_requested: Option<i32>,
    pub is_test: bool,
    pub is_failed: bool,
    pub is_archived: bool,
    pub is_deleted: bool,
    pub is_starred: bool,
    pub tags: Vec<String>,
    /// Images on disk and not deleted.
    pub image_count: i32,
    pub liked_count: i32,
    pub perfect_count: i32,
    pub ko_count: i32,
    /// Images of this session the caller has rated.
    pub rated_by_me: i32,
}

/// The sessions page's filters, as the API takes them (with [`PAGING`]).
const FILTERS: &[QueryParam] = &[
    QueryParam::new(
        "show",
        Values::OneOf(&["active", "archived", "test", "failed", "deleted", "all"]),
        "which sessions (default active)",
        "active",
    ),
    QueryParam::new("model", Values::Text, "the session's model", "sd_v15"),
    QueryParam::new("sampler", Values::Text, "the session's sampler", "Euler a"),
    QueryParam::new("tag", Values::Text, "a tag of the session", "night"),
    QueryParam::new("starred", Values::Flag, "1: starred sessions only", "1"),
    QueryParam::new(
        "from",
        Values::Date,
        "made on or after this day",
        "2026-01-01",
    ),
    QueryParam::new(
        "to",
        Values::Date,
        "made on or before this day",
        "2026-12-31",
    ),
    QueryParam::new("q", Values::Text, "words of the session's name", "fox"),
    QueryParam::new(
        "unrated",
        Values::Flag,
        "1: sessions with images I have not rated",
        "1",
    ),
];

/// What `GET /api/sessions` takes.
pub fn query() -> Vec<QueryParam> {
    FILTERS.iter().chain(PAGING).copied().collect()
}

/// The page's paging parameters, which the API's cursor replaces.
const PAGE_PAGING: &[&str] = &["page", "per_page", "sort", "dir"];

/// The sessions page's own query, from the pairs the API received.
fn session_filter(pairs: Vec<(String, String)>) -> Result<SessionFilter, ApiError> {
    let mut query = SessionQuery::default();
    for (key, value) in pairs {
        let slot = match key.as_str() {
            "show" => &mut query.show,
            "model" => &mut query.model,
            "sampler" => &mut query.sampler,
            "tag" => &mut query.tag,
            "starred" => &mut query.starred,
            "from" => &mut query.from,
            "to" => &mut query.to,
            "q" => &mut query.q,
            "unrated" => &mut query.unrated,
            other => {
                return Err(ApiError::bad(
                    other,
                    format!(
                        "unknown parameter `{other}`: sessions take {}",
                        query_params::names(FILTERS.iter().chain(PAGING))
                    ),
                ));
            }
        };
        *slot = Some(value);
    }
    SessionFilter::try_from(&query).map_err(|message| {
        let field = FILTERS
            .iter()
            .map(|p| p.name)
            .find(|name| message.contains(&format!("valid {name}")) || message.starts_with(name))
            .unwrap_or("from");
        ApiError::bad(field, message)
    })
}

#[utoipa::path(get, path = "/api/sessions", tag = "sessions", operation_id = "list_sessions",
    description = "Sessions with the sessions page's filters, in id order, a page at a time.",
    responses((status = 200, body = Page<SessionItem>, description = "a page of sessions")))]
pub async fn list(
    state: web::Data<AppState>,
    identity: Identity,
    query: Pairs,
) -> Result<HttpResponse, ApiError> {
    let params = list_params(query.into_inner(), PAGE_PAGING)?;
    let filter = session_filter(params.filters)?;
    let (pool, caller) = (state.pool.clone(), identity.caller());
    let page = blocking(move || {
        let after = params.after.map(SessionId);
        let page =
            session_list::after(&mut *pool.get()?, &filter, caller, after, params.limit + 1)?;
        let items = page
            .rows
            .into_iter()
            .map(|row| SessionItem {
                tags: page
                    .tags
                    .iter()
                    .filter(|(id, _)| *id == row.id)
                    .map(|(_, tag)| tag.clone())
                    .collect(),
                id: row.id,
                name: row.name,
                display_name: row.display_name,
                created_at: row.created_at,
                model_name: row.model_name,
                sampler: row.sampler,
                images_requested: row.images_requested,
                is_test: row.is_test,
                is_failed: row.is_failed,
                is_archived: row.is_archived,
                is_deleted: row.is_deleted,
                is_starred: row.is_starred,
                image_count: row.image_count,
                liked_count: row.liked_count,
                perfect_count: row.perfect_count,
                ko_count: row.ko_count,
                rated_by_me: row.my_rated.unwrap_or(0),
            })
            .collect();
        Ok(page_of(items, params.limit, |s: &SessionItem| s.id.0))
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}
