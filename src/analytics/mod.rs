//! The statistics: one computation behind the statistics page, `GET /api/analytics/stats` and
//! `sdreview stats`. Rows come from `db::stats`, the maths from `domain::stats`; the result is
//! cached (`cache`) until a judgement, an import or an edit changes what it counts.

pub mod cache;
pub mod check;
mod group_once;
mod groups;
mod inputs;
pub mod pair_grid;
mod pairs;
mod placeholders;
mod raters;
pub mod recommend;
pub mod report;
pub mod tables;

use diesel::SqliteConnection;

use crate::db::caller::Caller;
use crate::domain::stats_request::StatsRequest;
use crate::error::AppResult;
use inputs::Inputs;
pub use report::Report;

/// Every figure for the images `request.filter` keeps, as `caller` sees them.
pub fn compute(
    conn: &mut SqliteConnection,
    request: &StatsRequest,
    caller: Caller,
) -> AppResult<Report> {
    let inputs = Inputs::load(conn, &request.filter, request.rule, caller)?;
    let sessions = groups::per_session(&inputs);
    let totals = groups::totals(&inputs, &sessions);
    let (by_session, sessions_judged) = groups::by_session(&inputs, &sessions);
    Ok(Report {
        query: request.query_string(),
        rule: request.rule,
        knobs: request.knobs.clone(),
        computed_at: crate::clock::utc_now(),
        ko_by_category: groups::ko_by_category(&inputs, totals.counted),
        totals,
        by_model: groups::by_model(&inputs, &sessions),
        by_sampler: groups::by_sampler(&inputs, &sessions),
        by_scheduler: groups::by_scheduler(&inputs, &sessions),
        by_template: groups::by_template(&inputs, &sessions),
        by_tag: groups::by_tag(&inputs, &sessions),
        by_week: groups::by_week(&inputs, &sessions),
        by_session,
        sessions_judged,
        placeholders: placeholders::placeholders(&inputs),
        failing_pairs: pairs::failing_pairs(&inputs, &request.knobs),
        raters: raters::raters(&inputs),
    })
}
