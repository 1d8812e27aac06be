//! The statistics page: the same figures as `GET /api/analytics/stats`, drawn, for the images
//! any gallery filter keeps (the page takes the gallery's parameters and the pair knobs).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::shared::stats_request::{Download, Outcome, csv_response, download, figures};
use crate::error::AppError;
use crate::predict::train::MIN_JUDGED;
use crate::views::predictor::PredictorView;
use crate::views::stats::headline;
use crate::web::render::{blocking, html};
use crate::web::stats_body::{self, PLACE};
use crate::web::{AppState, Identity, Layout};

#[derive(Template)]
#[template(path = "pages/stats.html")]
struct StatsPage<'a> {
    layout: Layout,
    /// Why the figures could not be computed; the page still shows how to start over.
    error: Option<String>,
    headline: String,
    export_href: Option<String>,
    /// The figures, drawn once per report (`web::stats_body`): here only their place.
    body: &'a str,
    /// The KO predictor's held-out accuracy (not cached with the figures: it changes with
    /// each training, not with each rating).
    predictor: Option<PredictorView>,
    min_judged: usize,
}

/// The newest training's report, drawn.
async fn predictor(state: &AppState) -> Result<Option<PredictorView>, AppError> {
    let pool = state.pool.clone();
    blocking(move || {
        let conn = &mut *pool.get()?;
        let labels: Vec<(String, String)> = crate::db::judgements::failure_categories(conn)?
            .into_iter()
            .map(|c| (c.name, c.label))
            .collect();
        Ok::<_, AppError>(
            crate::predict::run::latest_report(conn)?
                .map(|(report, trained_at)| PredictorView::new(&report, trained_at, &labels)),
        )
    })
    .await
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let layout = Layout::new(&identity, &state, "stats", "Statistics");
    let (wanted, pairs) = match download(&query) {
        Ok(split) => split,
        Err(refused) => {
            return refused_page(layout, StatusCode::BAD_REQUEST, refused.message);
        }
    };
    let (status, message) = match (figures(&state, &identity, &pairs).await?, wanted) {
        (Outcome::Figures(_, report), Some(Download::Json)) => {
            return Ok(HttpResponse::Ok()
                .insert_header(("Cache-Control", "no-store"))
                .json(&*report));
        }
        (Outcome::Figures(_, report), Some(Download::Csv(name))) => {
            return csv_response(&report, name);
        }
        (Outcome::Figures(request, report), None) => {
            let page = StatsPage {
                layout,
                error: None,
                headline: headline(&report),
                export_href: Some(crate::views::gallery::export_href(&request.filter)),
                body: PLACE,
                predictor: predictor(&state).await?,
                min_judged: MIN_JUDGED,
            }
            .render()
            .map_err(|e| AppError::Task(format!("template: {e}")))?;
            let body = match state.stats_bodies.kept(&request, &report) {
                Some(body) => body,
                None => {
                    let bodies = state.stats_bodies.clone();
                    blocking(move || bodies.render(&request, &report)).await?
                }
            };
            return stats_body::response(req.headers(), &page, &body);
        }
        (Outcome::Refused(status, refused), _) => (status, refused.message),
    };
    refused_page(layout, status, message)
}

/// The page saying why the figures could not be computed, and how to start over.
fn refused_page(
    layout: Layout,
    status: StatusCode,
    message: String,
) -> Result<HttpResponse, AppError> {
    let mut response = html(&StatsPage {
        layout,
        error: Some(message),
        headline: String::new(),
        export_href: None,
        body: "",
        predictor: None,
        min_judged: MIN_JUDGED,
    })?;
    *response.status_mut() = status;
    Ok(response)
}
