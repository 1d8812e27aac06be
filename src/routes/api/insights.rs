//! `GET /api/insights/recommendations`: the placeholder values to drop or keep for a model (and
//! a template), with the evidence; `GET /api/images/{id}/like-this`: the judged-OK images whose
//! prompts are most like an image's. docs/insights.md#recommendations describes both.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::error::ApiError;
use crate::analytics::recommend::Recommendations;
use crate::analytics::recommend::{Scope, load, names_nothing};
use crate::db::ids::ImageId;
use crate::domain::query_params::{QueryParam, Values};
use crate::domain::stats_request::FieldError;
use crate::insights::like_this::{LikeThis, for_image};
use crate::web::render::blocking;
use crate::web::{AppState, Identity};

/// The list's length unless `limit` says otherwise, and its most.
pub const DEFAULT_LIKE_THIS: usize = 12;
pub const MAX_LIKE_THIS: usize = 50;

/// What the recommendations take: [`PARAMETERS`], described.
pub fn recommendations_query() -> Vec<QueryParam> {
    vec![
        QueryParam::new(
            "model",
            Values::Text,
            "the model's sessions only (recommended: values behave differently per model)",
            "sd_v15",
        ),
        QueryParam::new(
            "template",
            Values::Text,
            "the sessions made from this prompt template only",
            "portrait",
        ),
    ]
}

const LIMIT: QueryParam = QueryParam::new("limit", Values::Integer, "1 to 50, default 12", "12");

/// What the images like this one take.
pub fn like_this_query() -> Vec<QueryParam> {
    vec![LIMIT]
}

/// A parameter that names nothing here is a 400; a model or template no session used, a 422
/// with the ones that exist.
fn refused(refused: FieldError) -> ApiError {
    let status = if names_nothing(&refused) {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::BAD_REQUEST
    };
    ApiError {
        valid: (!refused.valid.is_empty()).then_some(refused.valid),
        ..ApiError::new(status, refused.message, Some(&refused.field))
    }
}

#[utoipa::path(get, path = "/api/insights/recommendations", tag = "statistics",
    operation_id = "recommendations",
    description = "The placeholder values to drop (their KO rate's 95% Wilson interval lies above \
        the scope's KO rate) and to keep (below it), each judged on at least `min_judged` images, \
        the pairs of values to drop (the statistics' failing pairs), each with its evidence in \
        words and the KO predictor's weight; `undecided` and `too_few` count the values with no \
        call. docs/insights.md#recommendations.",
    responses(
        (status = 200, description = "the recommendations", body = Recommendations),
        (status = 422, body = ApiError),
    ))]
pub async fn recommendations(
    state: web::Data<AppState>,
    identity: Identity,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, ApiError> {
    let scope = Scope::parse(&query).map_err(refused)?;
    let (pool, cache, caller) = (state.pool.clone(), state.stats.clone(), identity.caller());
    let found = blocking(move || load(&mut *pool.get()?, &cache, &scope, caller)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(found.map_err(refused)?))
}

fn limit(pairs: &[(String, String)]) -> Result<usize, ApiError> {
    let mut limit = DEFAULT_LIKE_THIS;
    for (key, value) in pairs {
        if key != LIMIT.name {
            return Err(ApiError::bad(
                key,
                format!("`{key}` is not a parameter of this route: it takes `limit` only"),
            ));
        }
        limit = value
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=MAX_LIKE_THIS).contains(n))
            .ok_or_else(|| {
                ApiError::bad(
                    "limit",
                    format!("`limit` is a number from 1 to {MAX_LIKE_THIS}, not `{value}`"),
                )
            })?;
    }
    Ok(limit)
}

#[utoipa::path(get, path = "/api/images/{id}/like-this", tag = "images",
    operation_id = "images_like_this", params(("id" = i32, Path)),
    description = "Judged-OK images (some rater said OK, none KO) whose prompts share the most \
        words with this image's, by TF-IDF cosine, most similar first, with their settings and \
        placeholder values. The trash is left out for anyone but an admin.",
    responses(
        (status = 200, body = Vec<LikeThis>, description = "most similar first"),
        (status = 404, body = ApiError),
    ))]
pub async fn like_this(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, ApiError> {
    let id = ImageId(path.into_inner());
    let limit = limit(&query)?;
    let (pool, caller) = (state.pool.clone(), identity.caller());
    let found = blocking(move || for_image(&mut *pool.get()?, caller, id, limit))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no image {id}")))?;
    Ok(HttpResponse::Ok().json(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recommendations_document_the_parameters_their_parser_takes() {
        let documented: Vec<&str> = recommendations_query().iter().map(|p| p.name).collect();
        assert_eq!(documented, crate::analytics::recommend::PARAMETERS);
    }
}
