//! The server keeps the predictor current: it trains again when enough new verdicts have come
//! in since the last training (and at first, once enough images are judged), and otherwise
//! scores the images imported since. One thread at the lowest priority; each batch of
//! predictions is one short write turn, so a rating never waits long for it.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use diesel::SqliteConnection;

use super::run::{RunOutcome, latest, train_and_score};
use super::{labels, score};
use crate::background::{Running, Signal};
use crate::error::{AppResult, error_chain};

#[derive(Debug, Clone)]
pub struct PredictSettings {
    /// How often it looks at the verdicts and the new images.
    pub every: Duration,
    /// New judgements that make it train again: at least this many...
    pub min_new: i64,
    /// ...and at least this share of those it last trained on (so 100,000 judgements are not
    /// retrained on for every 50 more).
    pub min_new_share: f64,
}

impl Default for PredictSettings {
    fn default() -> PredictSettings {
        PredictSettings {
            every: Duration::from_secs(60),
            min_new: 50,
            min_new_share: 0.1,
        }
    }
}

/// What the admin page says about the predictor's background work.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PredictorStatus {
    pub training: bool,
    /// The last outcome, in words ("trained on 1,204 judged images", "not enough...").
    pub last: Option<String>,
    pub last_error: Option<String>,
}

#[derive(Default)]
pub struct PredictorState {
    status: Mutex<PredictorStatus>,
    pub signal: Arc<Signal>,
}

impl PredictorState {
    pub fn status(&self) -> PredictorStatus {
        self.status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn update(&self, change: impl FnOnce(&mut PredictorStatus)) {
        change(&mut self.status.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

pub fn spawn(
    db_path: PathBuf,
    state: Arc<PredictorState>,
    settings: PredictSettings,
) -> AppResult<Running> {
    let signal = state.signal.clone();
    crate::background::spawn("predictor", signal, move || {
        while !state.signal.stopped() {
            if let Err(error) = step(&db_path, &state, &settings) {
                tracing::warn!(
                    "the predictor's background work failed: {}",
                    error_chain(&error)
                );
                state.update(|s| {
                    s.training = false;
                    s.last_error = Some(error_chain(&error));
                });
            }
            state.signal.sleep(settings.every);
        }
    })
}

/// Whether the judgements grew enough since the last training to train again.
pub fn due(judgements_now: i64, judgements_then: Option<i64>, settings: &PredictSettings) -> bool {
    match judgements_then {
        None => true,
        Some(then) => {
            let new = judgements_now - then;
            new >= settings.min_new && new as f64 >= then as f64 * settings.min_new_share
        }
    }
}

fn connect(db_path: &std::path::Path) -> AppResult<SqliteConnection> {
    let url = crate::db::pool::database_url(db_path)?;
    crate::db::pool::establish(&url)
}

fn step(
    db_path: &std::path::Path,
    state: &PredictorState,
    settings: &PredictSettings,
) -> AppResult<()> {
    let mut conn = connect(db_path)?;
    let now = labels::judgement_count(&mut conn)?;
    let last = latest(&mut conn)?;
    if due(
        now,
        last.as_ref().map(|(.., judgements)| i64::from(*judgements)),
        settings,
    ) {
        state.update(|s| s.training = true);
        let stop = state.signal.clone();
        let outcome = train_and_score(&mut conn, false, |_| !stop.stopped())?;
        state.update(|s| {
            s.training = false;
            s.last_error = None;
            s.last = Some(match outcome {
                RunOutcome::Trained { report, scored, .. } => format!(
                    "trained on {} judged images; {scored} images scored",
                    report.judged
                ),
                RunOutcome::NotEnough(why) => why,
            });
        });
    } else if let Some((run, predictor, ..)) = last {
        score::score_new(&mut conn, &predictor, run)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_trains_again_when_the_judgements_grew_by_enough_of_both_kinds() {
        let settings = PredictSettings::default();
        assert!(due(10, None, &settings), "never trained");
        assert!(!due(140, Some(100), &settings), "40 new: fewer than 50");
        assert!(due(150, Some(100), &settings));
        assert!(
            !due(100_060, Some(100_000), &settings),
            "60 new of 100,000: under a tenth"
        );
        assert!(due(110_000, Some(100_000), &settings));
    }
}
