//! Writing `ml_predictions` back: one image at a time (`PUT` replaces, `PATCH` merges), or
//! many as JSONL (`POST /api/predictions`), with a report of the lines applied and refused.

use std::future::poll_fn;
use std::pin::Pin;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use futures_core::Stream;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::body::{self, blocking, require};
use super::error::ApiError;
use super::params::NoQuery;
use crate::db::ids::ImageId;
use crate::db::predictions::{self, Import, ImportReport};
use crate::domain::bounded_lines::BoundedLines;
use crate::domain::predictions::{MAX_LINE, check};
use crate::domain::role::Role;
use crate::web::{AppState, Identity};

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
    operation_id = "replace_predictions", params(("id" = i32, Path)), request_body(content = Object, description = "the predictions, a JSON object"),
    responses((status = 200, body = Predictions, description = "the image's predictions as they are now"),
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
    operation_id = "merge_predictions", params(("id" = i32, Path)),
    request_body(content = Object, description = "a JSON merge patch (RFC 7396): null removes a key"),
    responses((status = 200, body = Predictions, description = "the image's predictions as they are now"),
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
    operation_id = "import_predictions",
    request_body(content = String, content_type = "application/x-ndjson",
        description = "one `{\"image_id\": 42, \"predictions\": {...}}` per line, each line at most 128 KiB"),
    description = "Replaces the predictions of every image named; bad lines and unknown images \
        are refused and listed, the rest are written. The body is read as it arrives and written \
        a chunk of lines at a time, so it may be of any size; a line over 128 KiB stops the \
        upload there with a 413 that says what was written before it.",
    responses((status = 200, body = ImportReport, description = "how many lines were written, and the refused ones"),
        (status = 403, body = ApiError),
        (status = 413, body = ApiError)))]
pub async fn bulk(
    _: NoQuery,
    state: web::Data<AppState>,
    identity: Identity,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    require(&identity, Role::Reviewer)?;
    let mut lines = BoundedLines::new(MAX_LINE);
    let mut import = Import::default();
    while let Some(chunk) = poll_fn(|cx| Pin::new(&mut payload).poll_next(cx)).await {
        let chunk =
            chunk.map_err(|e| ApiError::bad("body", format!("cannot read the body: {e}")))?;
        if let Err(too_long) = lines.push(&chunk, &mut |n, line| import.add(n, line)) {
            // The rest of the body is left unread: actix-web reads and drops it after the
            // answer, or closes the connection.
            let report = finish(&state, import).await?;
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                predictions::stopped_at(too_long, &report),
                Some("body"),
            ));
        }
        if import.is_full() {
            import = write_chunk(&state, import).await?;
        }
    }
    lines.finish(&mut |n, line| import.add(n, line));
    Ok(HttpResponse::Ok().json(finish(&state, import).await?))
}

async fn write_chunk(state: &AppState, mut import: Import) -> Result<Import, ApiError> {
    let pool = state.pool.clone();
    blocking(move || {
        import.write(&mut *pool.get()?)?;
        Ok(import)
    })
    .await
}

async fn finish(state: &AppState, import: Import) -> Result<ImportReport, ApiError> {
    let pool = state.pool.clone();
    blocking(move || Ok(import.finish(&mut *pool.get()?)?)).await
}
