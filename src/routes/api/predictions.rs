//! Writing `ml_predictions` back: one image at a time (`PUT` replaces, `PATCH` merges), or
//! many as JSONL (`POST /api/predictions`), with a report of the lines applied and refused.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::body::{self, blocking, require};
use super::error::ApiError;
use super::params::NoQuery;
use crate::db::ids::ImageId;
use crate::db::predictions::{self, ImportReport};
use crate::domain::predictions::check;
use crate::domain::role::Role;
use crate::web::{AppState, Identity};

/// A JSONL upload is at most this large; send more in several requests.
pub const MAX_UPLOAD: usize = 64 * 1024 * 1024;

#[derive(Debug, Serialize, ToSchema)]
pub struct Predictions {
    pub image_id: ImageId,
    #[schema(value_type = Object)]
    pub ml_predictions: Map<String, Value>,
}

async fn write(
    state: &AppState,
    identity: &Identity,
    id: i32,
    raw: &[u8],
    merge: bool,
) -> Result<HttpResponse, ApiError> {
    require(identity, Role::Reviewer)?;
    let id = ImageId(id);
    let value: Value = body::json(raw)?;
    let map = check(value).map_err(|e| ApiError::bad("body", e))?;
    let pool = state.pool.clone();
    let stored = blocking(move || {
        let mut conn = pool.get()?;
        crate::db::write_transaction(&mut conn, |conn| {
            let stored = if merge {
                predictions::patch(conn, id, &map)?
            } else {
                predictions::set(conn, id, Some(&map))?.then_some(map)
            };
            Ok::<_, ApiError>(stored)
        })
    })
    .await?
    .ok_or_else(|| ApiError::not_found(format!("there is no image {id}")))?;
    Ok(HttpResponse::Ok().json(Predictions {
        image_id: id,
        ml_predictions: stored,
    }))
}

#[utoipa::path(put, path = "/api/images/{id}/predictions", tag = "predictions",
    params(("id" = i32, Path)), request_body(content = Object, description = "the predictions, a JSON object"),
    responses((status = 200, body = Predictions), (status = 400, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn replace(
    _: NoQuery,
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    raw: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    write(&state, &identity, path.into_inner(), &raw, false).await
}

#[utoipa::path(patch, path = "/api/images/{id}/predictions", tag = "predictions",
    params(("id" = i32, Path)),
    request_body(content = Object, description = "a JSON merge patch (RFC 7396): null removes a key"),
    responses((status = 200, body = Predictions), (status = 400, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn merge(
    _: NoQuery,
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    raw: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    write(&state, &identity, path.into_inner(), &raw, true).await
}

#[utoipa::path(post, path = "/api/predictions", tag = "predictions",
    request_body(content = String, content_type = "application/x-ndjson",
        description = "one `{\"image_id\": 42, \"predictions\": {...}}` per line, at most 64 MiB"),
    description = "Replaces the predictions of every image named; bad lines and unknown images \
        are refused and listed, the rest are written.",
    responses((status = 200, body = ImportReport), (status = 403, body = ApiError),
        (status = 413, body = ApiError)))]
pub async fn bulk(
    _: NoQuery,
    state: web::Data<AppState>,
    identity: Identity,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    require(&identity, Role::Reviewer)?;
    let body = match payload.to_bytes_limited(MAX_UPLOAD).await {
        Ok(read) => {
            read.map_err(|e| ApiError::bad("body", format!("cannot read the body: {e}")))?
        }
        Err(_) => {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "an upload is limited to {} MiB: split the file and send it in parts",
                    MAX_UPLOAD / (1024 * 1024)
                ),
                Some("body"),
            ));
        }
    };
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::bad("body", "the upload is not UTF-8 text"))?;
    let pool = state.pool.clone();
    let report =
        blocking(move || Ok(predictions::import_lines(&mut *pool.get()?, text.lines())?)).await?;
    Ok(HttpResponse::Ok().json(report))
}
