//! The statistics page: the same figures as `GET /api/analytics/stats`, drawn, for the images
//! any gallery filter keeps (the page takes the gallery's parameters and the pair knobs).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::stats_request::{Outcome, figures};
use crate::error::AppError;
use crate::web::render::html;
use crate::web::stats_view::{StatsView, headline};
use crate::web::{AppState, Identity, Layout};

#[derive(Template)]
#[template(path = "pages/stats.html")]
struct StatsPage {
    layout: Layout,
    /// Why the figures could not be computed; the page still shows how to start over.
    error: Option<String>,
    headline: String,
    view: Option<StatsView>,
}

pub async fn show(
    state: web::Data<AppState>,
    identity: Identity,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let layout = Layout::new(&identity, &state, "stats", "Statistics");
    let (status, message) = match figures(&state, &identity, &query).await? {
        Outcome::Figures(request, report) => {
            return html(&StatsPage {
                layout,
                error: None,
                headline: headline(&report),
                view: Some(StatsView::new(&request, &report)),
            });
        }
        Outcome::Refused(status, refused) => (status, refused.message),
    };
    let mut response = html(&StatsPage {
        layout,
        error: Some(message),
        headline: String::new(),
        view: None,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// Bad parameters are a 400 naming the parameter; a model or category that does not exist, a 422.
pub fn refused_status(unknown: bool) -> StatusCode {
    if unknown {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::BAD_REQUEST
    }
}
