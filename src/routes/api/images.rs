//! `/api/images`: search and filter images across the library, one image whole, its notes,
//! and rating it through the same function as the pages.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::body::{self, blocking, present, require};
use super::error::ApiError;
use super::params::{IMAGE_PAGING, NoQuery, gallery_filter, list_params, page_of};
use crate::db::caller::Caller;
use crate::db::ids::{ImageId, SessionId};
use crate::db::image_records::{self, ImageRecord, SessionCache};
use crate::db::judgements::{self, Mode};
use crate::db::{image_metadata, images};
use crate::domain::rating_form::RatingForm;
use crate::domain::role::Role;
use crate::domain::trash_rule::Access;
use crate::routes::image_page::MAX_NOTES;
use crate::web::{AppState, Identity};

type Pairs = web::Query<Vec<(String, String)>>;

/// A page of images of the gallery's filter (`session` fixed when given).
pub async fn image_page(
    state: web::Data<AppState>,
    identity: Identity,
    session: Option<SessionId>,
    pairs: Vec<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let params = list_params(pairs, IMAGE_PAGING)?;
    if session.is_some() && params.filters.iter().any(|(key, _)| key == "session") {
        return Err(ApiError::bad(
            "session",
            "the session is in the path already: leave out `session`",
        ));
    }
    let mut filter = gallery_filter(&params.filters)?;
    if filter.deleted {
        require(&identity, Role::Admin)?;
    }
    if session.is_some() {
        filter.session = session;
    }
    let (pool, caller, role) = (state.pool.clone(), identity.caller(), identity.role);
    let page = blocking(move || {
        let mut conn = pool.get()?;
        if let Some(id) = session
            && crate::routes::shared::reach::session(&mut conn, id, role, Access::Look).is_err()
        {
            return Err(ApiError::not_found(format!("there is no session {id}")));
        }
        let after = params.after.map(ImageId);
        let records = image_records::page(
            &mut conn,
            &filter,
            caller,
            after,
            params.limit + 1,
            &mut SessionCache::default(),
        )?;
        Ok(page_of(records, params.limit, |r: &ImageRecord| r.id.0))
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(get, path = "/api/images", tag = "images", operation_id = "list_images",
    description = "Images across the library in id order, with the gallery's and search's filters.",
    responses((status = 200, body = super::params::Page<ImageRecord>, description = "a page of images")))]
pub async fn list(
    state: web::Data<AppState>,
    identity: Identity,
    query: Pairs,
) -> Result<HttpResponse, ApiError> {
    image_page(state, identity, None, query.into_inner()).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImageDetail {
    #[serde(flatten)]
    #[schema(inline)]
    pub image: ImageRecord,
    /// Everything stored about the file (docs/database.md), the A1111 text included.
    #[schema(value_type = Object)]
    pub metadata: Option<Value>,
}

async fn detail(state: &AppState, caller: Caller, id: ImageId) -> Result<ImageDetail, ApiError> {
    let pool = state.pool.clone();
    blocking(move || {
        let mut conn = pool.get()?;
        let image = image_records::one(&mut conn, caller, id)?
            .ok_or_else(|| ApiError::not_found(format!("there is no image {id}")))?;
        let metadata = image_metadata::full_metadata(&mut conn, id)?;
        Ok(ImageDetail { image, metadata })
    })
    .await
}

#[utoipa::path(get, path = "/api/images/{id}", tag = "images", operation_id = "show_image",
    params(("id" = i32, Path)),
    responses((status = 200, body = ImageDetail, description = "the image"),
        (status = 404, body = ApiError)))]
pub async fn show(
    _: NoQuery,
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let id = ImageId(path.into_inner());
    Ok(HttpResponse::Ok().json(detail(&state, identity.caller(), id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageChanges {
    /// null clears them.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    notes: Option<Option<String>>,
}

#[utoipa::path(patch, path = "/api/images/{id}/metadata", tag = "images",
    operation_id = "edit_image_notes", params(("id" = i32, Path)), request_body = ImageChanges,
    responses(
        (status = 200, body = ImageDetail, description = "the image as it is now"),
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
    let id = ImageId(path.into_inner());
    let changes: ImageChanges = body::json(&raw)?;
    if let Some(notes) = changes.notes {
        // The image page's rule: trimmed, empty clears, at most MAX_NOTES characters.
        let notes = notes
            .map(|text| text.trim().to_owned())
            .filter(|text| !text.is_empty());
        let length = notes.as_deref().map_or(0, |n| n.chars().count());
        if length > MAX_NOTES {
            return Err(ApiError::bad(
                "notes",
                format!("notes are limited to {MAX_NOTES} characters; these have {length}"),
            ));
        }
        let pool = state.pool.clone();
        let found = blocking(move || {
            let mut conn = pool.get()?;
            Ok(crate::db::write_transaction(&mut conn, |conn| {
                images::set_notes(conn, id, notes.as_deref(), crate::db::now())
            })?)
        })
        .await?;
        if !found {
            return Err(ApiError::not_found(format!("there is no image {id}")));
        }
    }
    Ok(HttpResponse::Ok().json(detail(&state, identity.caller(), id).await?))
}

/// A rating, as the page's form sends it, in JSON.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingRequest {
    /// perfect, imperfect, like, ok, ko, not_ko, or restore (sets the whole verdict from
    /// quality, liked, status, category and notes).
    action: String,
    /// The failure category of a KO (see the 422 for the valid ones).
    category: Option<String>,
    notes: Option<String>,
    quality: Option<String>,
    status: Option<String>,
    liked: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RatingResult {
    /// False when the image already had this rating.
    pub changed: bool,
    pub image: ImageRecord,
}

#[utoipa::path(post, path = "/api/images/{id}/rating", tag = "images", operation_id = "rate_image",
    params(("id" = i32, Path)), request_body = RatingRequest,
    description = "Rates as the caller. Unlike the page's buttons, a rating is never taken back \
        by sending it again (thumbs up twice stays thumbs up); use `restore` to set a whole verdict.",
    responses(
        (status = 200, body = RatingResult, description = "the rating and the image as it is now"),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 422, body = ApiError, description = "unknown failure category; `valid` lists them"),
    ))]
pub async fn rate(
    _: NoQuery,
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    raw: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    require(&identity, Role::Reviewer)?;
    let id = ImageId(path.into_inner());
    let request: RatingRequest = body::json(&raw)?;
    let form = RatingForm {
        action: request.action,
        category: request.category,
        notes: request.notes,
        quality: request.quality,
        status: request.status,
        liked: request.liked.map(|l| if l { "1" } else { "0" }.to_owned()),
    };
    let action = form
        .parse()
        .map_err(|e| ApiError::bad(e.field, e.message))?;
    let (pool, caller) = (state.pool.clone(), identity.caller());
    let result = blocking(move || {
        let mut conn = pool.get()?;
        let changes = judgements::rate(&mut conn, caller, &[id], &action, Mode::Set)?;
        let changed = changes.iter().any(|(_, before, after)| before != after);
        let image = image_records::one(&mut conn, caller, id)?
            .ok_or_else(|| ApiError::not_found(format!("there is no image {id}")))?;
        Ok(RatingResult { changed, image })
    })
    .await?;
    Ok(HttpResponse::Ok().json(result))
}
