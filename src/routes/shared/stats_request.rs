//! What the statistics page and `GET /api/analytics/stats` share: parse the request, check its
//! values against the library, and get the report from the cache (or compute it).

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::web;

use crate::analytics::Report;
use crate::analytics::check::unknown_value;
use crate::domain::role::Role;
use crate::domain::stats_request::{FieldError, StatsRequest};
use crate::error::AppError;
use crate::web::render::blocking;
use crate::web::{AppState, Identity};

pub enum Outcome {
    Figures(Box<StatsRequest>, Arc<Report>),
    /// The request names a bad or unknown value: the status to answer and what to say.
    Refused(StatusCode, FieldError),
}

pub async fn figures(
    state: &web::Data<AppState>,
    identity: &Identity,
    pairs: &[(String, String)],
) -> Result<Outcome, AppError> {
    let request = match StatsRequest::parse(pairs) {
        Ok(request) => request,
        Err(refused) => return Ok(Outcome::Refused(refused_status(false), refused)),
    };
    if request.filter.deleted {
        // Deleted images are the trash: only admins see them, in figures as in the gallery.
        identity.require(Role::Admin)?;
    }
    let (pool, cache, caller) = (state.pool.clone(), state.stats.clone(), identity.caller());
    blocking(move || {
        let mut conn = pool.get()?;
        if let Some(refused) = unknown_value(&mut conn, &request)? {
            return Ok(Outcome::Refused(refused_status(true), refused));
        }
        let report = cache.report(&mut conn, &request, caller)?;
        Ok(Outcome::Figures(Box::new(request), report))
    })
    .await
}

/// Bad parameters are a 400 naming the parameter; a model or category that does not exist, a 422.
pub fn refused_status(unknown: bool) -> StatusCode {
    if unknown {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::BAD_REQUEST
    }
}
