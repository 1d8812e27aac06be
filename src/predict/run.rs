//! One training and scoring, as `sdreview predict` and the server's background both do it:
//! train, store the run (report and model), then write every image's prediction.

use diesel::SqliteConnection;

use super::train::{Outcome, Report, train};
use super::{Predictor, VERSION, labels, score};
use crate::db::predictor_runs;
use crate::error::AppResult;

pub enum RunOutcome {
    Trained {
        run: i32,
        report: Box<Report>,
        scored: usize,
    },
    /// Why nothing was trained, in words.
    NotEnough(String),
}

pub fn train_and_score(
    conn: &mut SqliteConnection,
    all_cores: bool,
    progress: impl FnMut(usize) -> bool,
) -> AppResult<RunOutcome> {
    let judgements = labels::judgement_count(conn)?;
    let (predictor, report) = match train(conn)? {
        Outcome::NotEnough(why) => return Ok(RunOutcome::NotEnough(why)),
        Outcome::Trained(predictor, report) => (predictor, report),
    };
    let report_json = serde_json::to_string(&report).unwrap_or_default();
    let run = crate::db::write_transaction(conn, |conn| {
        predictor_runs::insert(
            conn,
            VERSION,
            judgements,
            &report_json,
            &predictor.to_json(),
        )
    })?;
    let scored = score::score_all(conn, &predictor, run, all_cores, progress)?;
    Ok(RunOutcome::Trained {
        run,
        report,
        scored,
    })
}

/// The newest run's predictor and report, if one was trained with the current features.
pub fn latest(conn: &mut SqliteConnection) -> AppResult<Option<(i32, Predictor, Report, i32)>> {
    let Some(run) = predictor_runs::latest(conn, VERSION)? else {
        return Ok(None);
    };
    let predictor = Predictor::from_json(&run.model);
    let report: Option<Report> = serde_json::from_str(&run.report).ok();
    Ok(predictor
        .zip(report)
        .map(|(predictor, report)| (run.id, predictor, report, run.judgements)))
}

/// The newest run's report and when it was trained, for the statistics.
pub fn latest_report(
    conn: &mut SqliteConnection,
) -> AppResult<Option<(Report, chrono::NaiveDateTime)>> {
    Ok(predictor_runs::latest(conn, VERSION)?.and_then(|run| {
        serde_json::from_str::<Report>(&run.report)
            .ok()
            .map(|report| (report, run.trained_at))
    }))
}
