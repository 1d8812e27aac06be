//! Scoring: every image's KO probability and most likely category, from a trained predictor,
//! written in batches, each in one short write turn.

use diesel::SqliteConnection;
use rayon::prelude::*;

use super::Predictor;
use super::features::{FeatureReader, NamedRows};
use crate::db::ko_predictions;
use crate::error::AppResult;

/// Images per batch in the background: one read of their features, one write turn of about
/// 10 ms, so a rating made meanwhile waits for one batch at most.
const BATCH: usize = 500;
/// Images per batch for `sdreview predict`, which has the machine to itself: fewer, larger
/// transactions.
const BATCH_ALONE: usize = 5_000;
/// The prompts' words are forgotten every so many images, so memory stays flat.
const FORGET_EVERY: usize = 100_000;

fn write(
    conn: &mut SqliteConnection,
    predictor: &Predictor,
    run: i32,
    rows: &NamedRows,
    all_cores: bool,
) -> AppResult<usize> {
    let predict = |(id, names): (&i32, &Vec<String>)| (*id, predictor.predict(names, run));
    let predictions: Vec<_> = if all_cores {
        rows.ids
            .par_iter()
            .zip(rows.names.par_iter())
            .map(predict)
            .collect()
    } else {
        rows.ids.iter().zip(&rows.names).map(predict).collect()
    };
    Ok(crate::db::write_transaction(conn, |conn| {
        ko_predictions::write(conn, &predictions)
    })?)
}

/// Scores every image; returns how many were written. `stop` is asked between batches.
pub fn score_all(
    conn: &mut SqliteConnection,
    predictor: &Predictor,
    run: i32,
    all_cores: bool,
    mut progress: impl FnMut(usize) -> bool,
) -> AppResult<usize> {
    let mut reader = FeatureReader::new(conn)?;
    let (mut after, mut written, mut read) = (0, 0, 0);
    let batch = if all_cores { BATCH_ALONE } else { BATCH };
    loop {
        let rows = reader.rows_after(conn, after, batch)?;
        let Some(&last) = rows.ids.last() else {
            return Ok(written);
        };
        after = last;
        read += rows.ids.len();
        written += write(conn, predictor, run, &rows, all_cores)?;
        if read % FORGET_EVERY < batch {
            reader.forget_prompts();
        }
        if !progress(written) {
            return Ok(written);
        }
    }
}

/// Scores the images that have no prediction yet (imported since the last scoring).
pub fn score_new(conn: &mut SqliteConnection, predictor: &Predictor, run: i32) -> AppResult<usize> {
    // Asked every minute: the sessions' facts are read only when there is something to score.
    let mut reader = None;
    let mut written = 0;
    loop {
        let ids = ko_predictions::unscored(conn, BATCH as i64)?;
        if ids.is_empty() {
            return Ok(written);
        }
        let reader = match &mut reader {
            Some(reader) => reader,
            None => reader.insert(FeatureReader::new(conn)?),
        };
        let rows = reader.rows_of(conn, &ids)?;
        let wrote = write(conn, predictor, run, &rows, false)?;
        written += wrote;
        if wrote == 0 {
            // Nothing of this batch could be written (moved to the trash meanwhile).
            return Ok(written);
        }
    }
}
