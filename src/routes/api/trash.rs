//! Moving sessions and images to the trash and back (admins, as on the pages). Nothing on
//! disk is touched: "delete" sets a flag.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::body::{blocking, require};
use super::error::ApiError;
use super::params::NoQuery;
use crate::db::ids::{ImageId, SessionId};
use crate::db::image_flags;
use crate::domain::role::Role;
use crate::web::{AppState, Identity};

#[derive(Debug, Serialize, ToSchema)]
pub struct TrashState {
    pub id: i32,
    pub is_deleted: bool,
    /// False when it already was in that state.
    pub changed: bool,
}

async fn session(
    state: &AppState,
    identity: &Identity,
    id: i32,
    delete: bool,
) -> Result<HttpResponse, ApiError> {
    require(identity, Role::Admin)?;
    let id = SessionId(id);
    let pool = state.pool.clone();
    let changed = blocking(move || {
        let mut conn = pool.get()?;
        crate::db::session_moves::set_deleted(&mut conn, id, delete)?
            .ok_or_else(|| ApiError::not_found(format!("there is no session {id}")))
    })
    .await?;
    Ok(HttpResponse::Ok().json(TrashState {
        id: id.0,
        is_deleted: delete,
        changed,
    }))
}

async fn image(
    state: &AppState,
    identity: &Identity,
    id: i32,
    delete: bool,
) -> Result<HttpResponse, ApiError> {
    require(identity, Role::Admin)?;
    let id = ImageId(id);
    let pool = state.pool.clone();
    let changed = blocking(move || {
        let mut conn = pool.get()?;
        if crate::db::trash_state::image_place(&mut conn, id)?.is_none() {
            return Err(ApiError::not_found(format!("there is no image {id}")));
        }
        Ok(!image_flags::set_deleted(&mut conn, &[id], delete, crate::db::now())?.is_empty())
    })
    .await?;
    Ok(HttpResponse::Ok().json(TrashState {
        id: id.0,
        is_deleted: delete,
        changed,
    }))
}

#[utoipa::path(delete, path = "/api/sessions/{id}", tag = "trash", operation_id = "delete_session", params(("id" = i32, Path)),
    description = "Moves the session (and so its images) to the trash. Admins.",
    responses((status = 200, body = TrashState, description = "whether it is in the trash now"), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn delete_session(
    _: NoQuery,
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    session(&state, &identity, path.into_inner(), true).await
}

#[utoipa::path(post, path = "/api/sessions/{id}/restore", tag = "trash", operation_id = "restore_session", params(("id" = i32, Path)),
    responses((status = 200, body = TrashState, description = "whether it is in the trash now"), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn restore_session(
    _: NoQuery,
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    session(&state, &identity, path.into_inner(), false).await
}

#[utoipa::path(delete, path = "/api/images/{id}", tag = "trash", operation_id = "delete_image", params(("id" = i32, Path)),
    description = "Moves the image to the trash. Admins.",
    responses((status = 200, body = TrashState, description = "whether it is in the trash now"), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn delete_image(
    _: NoQuery,
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    image(&state, &identity, path.into_inner(), true).await
}

#[utoipa::path(post, path = "/api/images/{id}/restore", tag = "trash", operation_id = "restore_image", params(("id" = i32, Path)),
    responses((status = 200, body = TrashState, description = "whether it is in the trash now"), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn restore_image(
    _: NoQuery,
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    image(&state, &identity, path.into_inner(), false).await
}
