//! `GET /api/analytics/stats`: every figure of the statistics page as one JSON document (the
//! same `Report` that `sdreview stats --json` prints), for the images any gallery filter keeps.
//! Errors are the API's: `{"error": "...", "field": "...", "valid": [...]}`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::error::ApiError;
use crate::domain::stats_request::FieldError;
use crate::error::AppError;
use crate::routes::shared::stats_request::{Download, Outcome, csv_response, download, figures};
use crate::web::{AppState, Identity};

fn refused(status: StatusCode, refused: FieldError) -> ApiError {
    ApiError {
        valid: (!refused.valid.is_empty()).then_some(refused.valid),
        ..ApiError::new(status, refused.message, Some(&refused.field))
    }
}

#[utoipa::path(get, path = "/api/analytics/stats", tag = "statistics",
    params(
        ("rule" = Option<String>, Query, description = "what makes an image KO: any (default; anyone said KO), majority (more than half of its raters; a tie is not), each (every judgement counts once)"),
        ("format" = Option<String>, Query, description = "json (default: the whole report) or csv (one table, named by `table`)"),
        ("table" = Option<String>, Query, description = "with format=csv: totals, ko_by_category, by_model, by_sampler, by_scheduler, by_tag, by_week, by_session, placeholders, tested_pairs, pair_grid, raters, rater_activity, rater_pairs"),
        ("pairs_sort" = Option<String>, Query, description = "the page's order of tested pairs (q, p, rate, shrunk, n, pattern); accepted and ignored here"),
        ("min_occurrences" = Option<u32>, Query, description = "failing pairs: images a pair needs at least"),
        ("failure_threshold" = Option<f64>, Query, description = "failing pairs: the lowest KO rate shown, 0 to 1"),
        ("model" = Option<String>, Query, description = "and every other filter of GET /api/images"),
    ),
    description = "Under the KO `rule`, with coverage (raters per image) beside each rate: totals, KO rate per failure category, per model, sampler, scheduler, session, tag \
        and week, every placeholder value with its 95% Wilson interval, failing pairs (Fisher's \
        exact test with Benjamini-Hochberg, every tested pair in `tested_pairs`, ranked by a \
        beta-binomial shrunk rate when the pairs differ beyond chance) and rater \
        agreement (Cohen's and Fleiss' kappa, Krippendorff's alpha), for the images the filters \
        keep; and `predictor`, the KO predictor's accuracy on judgements it was not trained on \
        (null until it is trained; not filtered). docs/statistics.md and docs/insights.md \
        describe every field.",
    responses(
        (status = 200, description = "the figures (JSON), or one table (CSV)", content_type = "application/json"),
        (status = 400, body = ApiError), (status = 403, body = ApiError),
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
            let mut body = serde_json::to_value(&*report)
                .map_err(|e| AppError::Task(format!("the figures could not be written: {e}")))?;
            let pool = state.pool.clone();
            let predictor = crate::web::render::blocking(move || {
                crate::predict::run::latest_report(&mut *pool.get()?)
            })
            .await?;
            if let Some(fields) = body.as_object_mut() {
                fields.insert(
                    "predictor".to_owned(),
                    serde_json::to_value(predictor.map(|(report, _)| report)).unwrap_or_default(),
                );
            }
            Ok(HttpResponse::Ok()
                .insert_header(("Cache-Control", "no-store"))
                .json(body))
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
