//! `GET /api/images/{id}/similar`: an image's near-duplicates by perceptual hash.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::ApiError;
use crate::db::ids::ImageId;
use crate::db::image_records;
use crate::domain::query_params::{QueryParam, Values};
use crate::similar::near::{Near, near};
use crate::similar::threshold::MAX_DISTANCE;
use crate::web::render::blocking;
use crate::web::{AppState, Identity};

#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarImage {
    pub id: ImageId,
    /// Bits that differ between the two 256-bit hashes: 0 is the same picture.
    pub distance: u32,
}

const MAX_DISTANCE_PARAM: QueryParam = QueryParam::new(
    "max_distance",
    Values::Integer,
    "0 to 64 bits; default: the owner's threshold (5 unless changed)",
    "5",
);

/// What the route takes.
pub fn query() -> Vec<QueryParam> {
    vec![MAX_DISTANCE_PARAM]
}

fn max_distance(pairs: &[(String, String)]) -> Result<Option<u32>, ApiError> {
    let mut found = None;
    for (key, value) in pairs {
        if key != MAX_DISTANCE_PARAM.name {
            return Err(ApiError::bad(
                key,
                format!("`{key}` is not a parameter of this route: it takes `max_distance` only"),
            ));
        }
        let distance = value
            .parse::<u32>()
            .ok()
            .filter(|d| *d <= MAX_DISTANCE)
            .ok_or_else(|| {
                ApiError::bad(
                    "max_distance",
                    format!(
                        "`{value}` is not a distance: give a whole number of bits from 0 to \
                         {MAX_DISTANCE} (2: very high, 5: high, 15: medium similarity)"
                    ),
                )
            })?;
        found = Some(distance);
    }
    Ok(found)
}

#[utoipa::path(get, path = "/api/images/{id}/similar", tag = "images",
    operation_id = "similar_images", params(("id" = i32, Path)),
    responses(
        (status = 200, body = Vec<SimilarImage>, description = "nearest first"),
        (status = 404, body = ApiError),
        (status = 409, body = ApiError, description = "the image has no hash yet"),
    ))]
pub async fn near_duplicates(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, ApiError> {
    let id = ImageId(path.into_inner());
    let max_distance = max_distance(&query)?;
    let caller = identity.caller();
    let pool = state.pool.clone();
    let similar = state.similar.clone();
    let found = blocking(move || {
        let mut conn = pool.get()?;
        if image_records::one(&mut conn, caller, id)?.is_none() {
            return Ok(None);
        }
        near(&mut conn, &similar, caller, id, max_distance).map(Some)
    })
    .await?
    .ok_or_else(|| ApiError::not_found(format!("there is no image {id}")))?;
    match found {
        Near::Found { neighbours, .. } => Ok(HttpResponse::Ok().json(
            neighbours
                .into_iter()
                .map(|n| SimilarImage {
                    id: ImageId(n.image_id),
                    distance: n.distance,
                })
                .collect::<Vec<_>>(),
        )),
        Near::NotHashed => {
            let progress = state.similar.progress();
            Err(ApiError::new(
                actix_web::http::StatusCode::CONFLICT,
                format!(
                    "image {id} has no hash yet ({} of {} images are hashed): try again once \
                     the background pass reaches it, or run `sdreview hash`",
                    progress.done, progress.total
                ),
                None,
            ))
        }
    }
}
