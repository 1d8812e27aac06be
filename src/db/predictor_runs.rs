//! Each training of the KO predictor (`predictor_runs`): its report and its model.

use diesel::prelude::*;

use super::row_limit::RowLimit;
use crate::db::schema::predictor_runs::dsl as r;

/// Trainings kept: the newest, for the statistics page and the scoring of new images.
const KEPT: i64 = 20;

#[derive(Debug, Clone, Queryable)]
pub struct Run {
    pub id: i32,
    pub trained_at: chrono::NaiveDateTime,
    pub version: i32,
    pub judgements: i32,
    pub report: String,
    pub model: String,
}

/// Stores a training (in the caller's write transaction) and forgets the oldest.
pub fn insert(
    conn: &mut SqliteConnection,
    version: i32,
    judgements: i64,
    report: &str,
    model: &str,
) -> QueryResult<i32> {
    let id = diesel::insert_into(r::predictor_runs)
        .values((
            r::trained_at.eq(crate::db::now()),
            r::version.eq(version),
            r::judgements.eq(i32::try_from(judgements).unwrap_or(i32::MAX)),
            r::report.eq(report),
            r::model.eq(model),
        ))
        .returning(r::id)
        .get_result(conn)?;
    let keep_from: Option<i32> = r::predictor_runs
        .select(r::id)
        .order(r::id.desc())
        .page(1, KEPT - 1)
        .get_result(conn)
        .optional()?;
    if let Some(oldest_kept) = keep_from {
        diesel::delete(r::predictor_runs.filter(r::id.lt(oldest_kept))).execute(conn)?;
    }
    Ok(id)
}

/// The newest training made with this `version` of the features.
pub fn latest(conn: &mut SqliteConnection, version: i32) -> QueryResult<Option<Run>> {
    r::predictor_runs
        .filter(r::version.eq(version))
        .order(r::id.desc())
        .first_row(conn)
        .optional()
}
