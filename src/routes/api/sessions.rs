//! `/api/sessions`: the sessions list with the page's filters, one session's images, and
//! what a reviewer may change in a session (names, notes, tags, flags).

use std::sync::Arc;

use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::body::{self, blocking, present, require};
use super::error::ApiError;
use super::images::image_page;
use super::params::{Page, list_params, page_of};
use crate::db::ids::SessionId;
use crate::db::image_records::ImageRecord;
use crate::db::session_records::{self, SessionRecord};
use crate::db::{session_edits, session_list, session_tags};
use crate::domain::role::Role;
use crate::domain::session_edit::{self, SessionFlag};
use crate::domain::session_filter::{SessionFilter, SessionQuery};
use crate::domain::tag::Tag;
use crate::web::{AppState, Identity};

type Pairs = web::Query<Vec<(String, String)>>;

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionItem {
    pub id: SessionId,
    pub name: String,
    pub display_name: Option<String>,
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

/// One session with its tags, as the edit routes answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDetail {
    #[serde(flatten)]
    #[schema(inline)]
    pub session: SessionRecord,
    pub tags: Vec<String>,
}

const FILTERS: &str = "show, model, sampler, tag, starred, from, to, q, unrated, cursor and limit";

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
                    format!("unknown parameter `{other}`: sessions take {FILTERS}"),
                ));
            }
        };
        *slot = Some(value);
    }
    SessionFilter::try_from(&query).map_err(|message| {
        let field = [
            "show", "model", "sampler", "tag", "starred", "from", "to", "q", "unrated",
        ]
        .into_iter()
        .find(|name| message.contains(&format!("valid {name}")) || message.starts_with(name))
        .unwrap_or("from");
        ApiError::bad(field, message)
    })
}

#[utoipa::path(get, path = "/api/sessions", tag = "sessions",
    params(
        ("show" = Option<String>, Query, description = "active (default), archived, test, failed, deleted or all"),
        ("model" = Option<String>, Query), ("sampler" = Option<String>, Query),
        ("tag" = Option<String>, Query), ("starred" = Option<String>, Query, description = "1 or 0"),
        ("from" = Option<String>, Query, description = "YYYY-MM-DD"),
        ("to" = Option<String>, Query, description = "YYYY-MM-DD"),
        ("q" = Option<String>, Query, description = "words of the session name"),
        ("unrated" = Option<String>, Query, description = "1: sessions with images I have not rated"),
        ("cursor" = Option<String>, Query), ("limit" = Option<i64>, Query, description = "1 to 1000, default 100"),
    ),
    responses(
        (status = 200, body = Page<SessionItem>),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
    ))]
pub async fn list(
    state: web::Data<AppState>,
    identity: Identity,
    query: Pairs,
) -> Result<HttpResponse, ApiError> {
    let params = list_params(query.into_inner(), &["page", "per_page", "sort", "dir"])?;
    let filter = session_filter(params.filters)?;
    let (pool, me) = (state.pool.clone(), identity.user_id);
    let page = blocking(move || {
        let after = params.after.map(SessionId);
        let page = session_list::after(&mut *pool.get()?, &filter, me, after, params.limit + 1)?;
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

#[utoipa::path(get, path = "/api/sessions/{id}/images", tag = "sessions",
    params(("id" = i32, Path), ("cursor" = Option<String>, Query), ("limit" = Option<i64>, Query)),
    description = "The session's images, with the gallery's filters (status, quality, liked, \
        category, rater, unrated, var, whose, deleted).",
    responses(
        (status = 200, body = Page<ImageRecord>),
        (status = 400, body = ApiError), (status = 404, body = ApiError),
    ))]
pub async fn images(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    query: Pairs,
) -> Result<HttpResponse, ApiError> {
    image_page(
        state,
        identity,
        Some(SessionId(path.into_inner())),
        query.into_inner(),
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionChanges {
    /// null puts back the folder's name.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    display_name: Option<Option<String>>,
    /// null clears them.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    notes: Option<Option<String>>,
    /// The session's whole set of tags.
    tags: Option<Vec<String>>,
}

async fn detail(state: &AppState, id: SessionId) -> Result<SessionDetail, ApiError> {
    let pool = state.pool.clone();
    blocking(move || {
        let cached = session_records::session(&mut *pool.get()?, id)?
            .ok_or_else(|| ApiError::not_found(format!("there is no session {id}")))?;
        Ok(SessionDetail {
            session: Arc::unwrap_or_clone(cached.record),
            tags: Arc::unwrap_or_clone(cached.tags),
        })
    })
    .await
}

#[utoipa::path(patch, path = "/api/sessions/{id}/metadata", tag = "sessions",
    params(("id" = i32, Path)), request_body = SessionChanges,
    responses(
        (status = 200, body = SessionDetail), (status = 400, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
    ))]
pub async fn metadata(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    raw: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    require(&identity, Role::Reviewer)?;
    let id = SessionId(path.into_inner());
    let changes: SessionChanges = body::json(&raw)?;
    let name = match &changes.display_name {
        Some(name) => Some(
            session_edit::display_name(name.as_deref().unwrap_or(""))
                .map_err(|e| ApiError::bad("display_name", e))?,
        ),
        None => None,
    };
    let notes = match &changes.notes {
        Some(notes) => Some(
            session_edit::notes(notes.as_deref().unwrap_or(""))
                .map_err(|e| ApiError::bad("notes", e))?,
        ),
        None => None,
    };
    let tags = match &changes.tags {
        Some(tags) => Some(
            tags.iter()
                .map(|t| Tag::parse(t).map_err(|e| ApiError::bad("tags", e)))
                .collect::<Result<Vec<Tag>, _>>()?,
        ),
        None => None,
    };
    let pool = state.pool.clone();
    blocking(move || {
        let mut conn = pool.get()?;
        crate::db::write_transaction(&mut conn, |conn| {
            if !session_tags::exists(conn, id)? {
                return Err(ApiError::not_found(format!("there is no session {id}")));
            }
            if let Some(name) = &name {
                session_edits::set_display_name(conn, id, name.as_deref())?;
            }
            if let Some(notes) = &notes {
                session_edits::set_notes(conn, id, notes.as_deref())?;
            }
            if let Some(tags) = &tags {
                for old in session_tags::of_session(conn, id)? {
                    if let Ok(old) = Tag::parse(&old) {
                        session_tags::remove(conn, id, &old)?;
                    }
                }
                for tag in tags {
                    session_tags::add(conn, id, tag)?;
                }
            }
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(detail(&state, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionFlags {
    test: Option<bool>,
    failed: Option<bool>,
    archived: Option<bool>,
    starred: Option<bool>,
}

#[utoipa::path(post, path = "/api/sessions/{id}/flags", tag = "sessions",
    params(("id" = i32, Path)), request_body = SessionFlags,
    description = "Sets the flags given (true or false); the others stay as they are.",
    responses(
        (status = 200, body = SessionDetail), (status = 400, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
    ))]
pub async fn flags(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    raw: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    require(&identity, Role::Reviewer)?;
    let id = SessionId(path.into_inner());
    let flags: SessionFlags = body::json(&raw)?;
    if flags.test.is_none()
        && flags.failed.is_none()
        && flags.archived.is_none()
        && flags.starred.is_none()
    {
        return Err(ApiError::bad(
            "body",
            "give at least one of test, failed, archived, starred (true or false)",
        ));
    }
    let pool = state.pool.clone();
    blocking(move || {
        let mut conn = pool.get()?;
        crate::db::write_transaction(&mut conn, |conn| {
            if !session_tags::exists(conn, id)? {
                return Err(ApiError::not_found(format!("there is no session {id}")));
            }
            let set = [
                (SessionFlag::Test, flags.test),
                (SessionFlag::Failed, flags.failed),
                (SessionFlag::Archived, flags.archived),
            ];
            for (flag, value) in set {
                if let Some(on) = value {
                    session_edits::set_flag(conn, id, flag, on)?;
                }
            }
            if let Some(on) = flags.starred {
                session_edits::set_starred(conn, id, on)?;
            }
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(detail(&state, id).await?))
}
