//! `GET /api/analytics/stats`: every figure of the statistics page as one JSON document (the
//! same `Report` that `sdreview stats --json` prints), for the images any gallery filter keeps.
//! Errors are the API's (`ApiError`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use serde::Serialize;
use utoipa::ToSchema;

use super::error::ApiError;
use crate::analytics::Report;
use crate::domain::gallery_filter;
use crate::domain::query_params::QueryParam;
use crate::domain::stats_request::{DOWNLOAD, FieldError, KNOBS};
use crate::error::AppError;
use crate::predict::train::Report as PredictorReport;
use crate::routes::shared::stats_request::{Download, Outcome, csv_response, download, figures};
use crate::web::{AppState, Identity};

fn refused(status: StatusCode, refused: FieldError) -> ApiError {
    ApiError {
        valid: (!refused.valid.is_empty()).then_some(refused.valid),
        ..ApiError::new(status, refused.message, Some(&refused.field))
    }
}

/// What the statistics take: the knobs, a download's format and table, and every gallery
/// filter.
pub fn query() -> Vec<QueryParam> {
    KNOBS
        .iter()
        .chain(DOWNLOAD)
        .chain(gallery_filter::PARAMS)
        .copied()
        .collect()
}

/// The answer: the statistics' report, with the KO predictor's held-out accuracy beside it.
#[derive(Serialize, ToSchema)]
pub struct StatsAnswer<'a> {
    #[serde(flatten)]
    report: &'a Report,
    /// Null until the predictor is trained; not filtered.
    predictor: Option<&'a PredictorReport>,
}

#[utoipa::path(get, path = "/api/analytics/stats", tag = "statistics", operation_id = "statistics",
    description = "Under the KO `rule`, with coverage (raters per image) beside each rate: totals, KO rate per failure category, per model, sampler, scheduler, session, tag \
        and week, every placeholder value with its 95% Wilson interval, failing pairs (Fisher's \
        exact test with Benjamini-Hochberg, every tested pair in `tested_pairs`, ranked by a \
        beta-binomial shrunk rate when the pairs differ beyond chance) and rater \
        agreement (Cohen's and Fleiss' kappa, Krippendorff's alpha), for the images the filters \
        keep (`sort` and `page` are taken and ignored, so a gallery's address works as it is); \
        and `predictor`, the KO predictor's accuracy on judgements it was not trained on \
        (null until it is trained; not filtered). docs/statistics.md and docs/insights.md \
        describe every field.",
    responses(
        (status = 200, description = "the figures (JSON), or one table (CSV) with format=csv",
            content((StatsAnswer = "application/json"), (String = "text/csv"))),
        (status = 403, body = ApiError),
        (status = 422, body = ApiError),
    ))]
pub async fn stats(
    state: web::Data<AppState>,
    identity: Identity,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, ApiError> {
    let (wanted, pairs) = download(&query).map_err(|e| refused(StatusCode::BAD_REQUEST, e))?;
    match (figures(&state, &identity, &pairs).await, wanted) {
        (Ok(Outcome::Figures(_, report)), Some(Download::Csv(name))) => {
            Ok(csv_response(&report, name)?)
        }
        (Ok(Outcome::Figures(_, report)), _) => {
            let pool = state.pool.clone();
            let predictor = crate::web::render::blocking(move || {
                crate::predict::run::latest_report(&mut *pool.get()?)
            })
            .await?;
            Ok(HttpResponse::Ok()
                .insert_header(("Cache-Control", "no-store"))
                .json(StatsAnswer {
                    report: &report,
                    predictor: predictor.as_ref().map(|(report, _)| report),
                }))
        }
        (Ok(Outcome::Refused(status, field)), _) => Err(refused(status, field)),
        (Err(AppError::Forbidden(message)), _) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            message,
            Some("deleted"),
        )),
        (Err(error), _) => Err(error.into()),
    }
}
