//! `/api/sessions/{id}/...`: one session's images, and what a reviewer may change in a
//! session (names, notes, tags, flags).

use std::sync::Arc;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::body::{self, blocking, present, require};
use super::error::ApiError;
use super::images::image_page;
use super::params::{NoQuery, Page, image_list_params};
use crate::db::ids::SessionId;
use crate::db::image_records::ImageRecord;
use crate::db::session_records::{self, SessionRecord};
use crate::db::{session_edits, session_tags};
use crate::domain::query_params::QueryParam;
use crate::domain::role::Role;
use crate::domain::session_edit::{self, SessionFlag};
use crate::domain::tag::Tag;
use crate::domain::trash_rule::Access;
use crate::web::{AppState, Identity};

type Pairs = web::Query<Vec<(String, String)>>;

/// One session with its tags, as the edit routes answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDetail {
    #[serde(flatten)]
    #[schema(inline)]
    pub session: SessionRecord,
    pub tags: Vec<String>,
}

/// What a session's images take: a list of images' parameters but `session`, which the path
/// gives.
pub fn image_query() -> Vec<QueryParam> {
    image_list_params()
        .into_iter()
        .filter(|p| p.name != "session")
        .collect()
}

#[utoipa::path(get, path = "/api/sessions/{id}/images", tag = "sessions",
    operation_id = "list_session_images", params(("id" = i32, Path)),
    description = "The session's images in id order, with the gallery's filters.",
    responses(
        (status = 200, body = Page<ImageRecord>, description = "a page of the session's images"),
        (status = 404, body = ApiError),
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
    operation_id = "edit_session", params(("id" = i32, Path)), request_body = SessionChanges,
    responses(
        (status = 200, body = SessionDetail, description = "the session as it is now"),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
    ))]
pub async fn metadata(
    _: NoQuery,
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    raw: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    require(&identity, Role::Reviewer)?;
    let role = identity.role;
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
            if crate::routes::shared::reach::session(conn, id, role, Access::Change).is_err() {
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
    operation_id = "set_session_flags", params(("id" = i32, Path)), request_body = SessionFlags,
    description = "Sets the flags given (true or false); the others stay as they are.",
    responses(
        (status = 200, body = SessionDetail, description = "the session as it is now"),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
    ))]
pub async fn flags(
    _: NoQuery,
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    raw: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    require(&identity, Role::Reviewer)?;
    let role = identity.role;
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
            if crate::routes::shared::reach::session(conn, id, role, Access::Change).is_err() {
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
