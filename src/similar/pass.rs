//! The hashing pass: walks the images that have no up-to-date hash, in id order and in small
//! batches, decodes each at thumbnail size, hashes it, and stores the batch in one short write
//! turn. The import reads no pixels; this runs after it, on one thread at the lowest priority,
//! so a rating never waits for it. It resumes where the database says it is: what was stored
//! is never hashed again, unless its file changes.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use rayon::prelude::*;

use super::SimilarImages;
use super::hash::PerceptualHash;
use super::index::HashIndex;
use crate::db::ids::ImageId;
use crate::db::image_hashes::{self, HashOutcome, HashRecord};
use crate::db::images::ImageFile;
use crate::db::row_limit::RowLimit;
use crate::error::{AppError, AppResult, error_chain};
use crate::library::resolve::file_inside;
use crate::thumbs::ThumbnailCache;

/// Images per batch: each batch's outcomes are stored in one write turn.
const BATCH: i64 = 64;

/// What the pass works on.
#[derive(Clone)]
pub struct Target {
    pub db_path: PathBuf,
    pub root: PathBuf,
    pub thumbnails: Arc<ThumbnailCache>,
    pub similar: Arc<SimilarImages>,
}

#[derive(Debug, Clone)]
pub struct PassSettings {
    /// How often an idle pass looks for images newer than the newest it has seen (cheap).
    pub look_for_new: Duration,
    /// How often an idle pass walks the whole library for rewritten files (a scan).
    pub full_walk: Duration,
}

impl Default for PassSettings {
    fn default() -> PassSettings {
        PassSettings {
            look_for_new: Duration::from_secs(5),
            full_walk: Duration::from_secs(600),
        }
    }
}

/// Starts the pass on a thread of its own at the lowest priority; dropping what it returns
/// ends the pass after its current image.
pub fn spawn(target: Target, settings: PassSettings) -> AppResult<crate::background::Running> {
    let signal = target.similar.signal.clone();
    crate::background::spawn("hashing", signal, move || run(&target, &settings))
}

fn run(target: &Target, settings: &PassSettings) {
    let similar = &target.similar;
    let mut conn = loop {
        match connect(target) {
            Ok(conn) => break conn,
            Err(error) => {
                similar.update_progress(|p| p.last_error = Some(error_chain(&error)));
                similar.signal.sleep(settings.full_walk);
                if similar.signal.stopped() {
                    return;
                }
            }
        }
    };
    let mut newest_seen = 0;
    let mut last_walk: Option<Instant> = None;
    while !similar.signal.stopped() {
        let newest = newest_image(&mut conn).unwrap_or(newest_seen);
        let walk_due = last_walk.is_none_or(|at| at.elapsed() >= settings.full_walk);
        if walk_due || newest > newest_seen {
            match walk(&mut conn, target, false) {
                Ok(()) => {
                    newest_seen = newest;
                    last_walk = Some(Instant::now());
                }
                Err(error) => {
                    tracing::warn!("the hashing pass stopped a walk: {}", error_chain(&error));
                    similar.update_progress(|p| p.last_error = Some(error_chain(&error)));
                }
            }
        } else if let Err(error) = store_fresh(&mut conn, target) {
            tracing::warn!("thumbnail hashes not stored: {}", error_chain(&error));
        }
        if !similar.signal.stopped() && similar.take_groups_due() {
            match super::regroup::regroup(&mut conn, similar, false) {
                Ok(done) => tracing::debug!("near-duplicate groups: {done:?}"),
                Err(error) => {
                    // Asked again at the next look: the groups stay as they were meanwhile.
                    tracing::warn!("near-duplicate groups not stored: {}", error_chain(&error));
                    similar.groups_changed();
                }
            }
        }
        similar.signal.sleep(settings.look_for_new);
    }
}

fn connect(target: &Target) -> AppResult<SqliteConnection> {
    let url = crate::db::pool::database_url(&target.db_path)?;
    let mut conn = crate::db::pool::establish(&url)?;
    let stored = HashIndex::from_entries(image_hashes::all(&mut conn)?);
    target.similar.with_index(|index| *index = stored);
    refresh_counts(&mut conn, &target.similar)?;
    target.similar.update_progress(|p| p.loaded = true);
    // Once per start: the threshold or the marks may have changed in another process.
    target.similar.groups_changed();
    Ok(conn)
}

fn newest_image(conn: &mut SqliteConnection) -> QueryResult<i32> {
    use crate::db::schema::images::dsl as i;
    i::images
        .select(diesel::dsl::max(i::id))
        .first_row::<Option<i32>>(conn)
        .map(Option::unwrap_or_default)
}

/// Counts what is hashed and what should be (two scans of the images on a large library: done
/// at load and after each walk, not per batch).
pub fn refresh_counts(conn: &mut SqliteConnection, similar: &SimilarImages) -> AppResult<()> {
    let (done, total) = image_hashes::progress(conn)?;
    let failed = image_hashes::failed(conn)?;
    similar.update_progress(|p| {
        p.done = done;
        p.total = total;
        p.failed = failed;
    });
    Ok(())
}

/// Hashes every pending image, batch by batch, until none is left or the pass is stopped;
/// `all_cores` decodes a batch on every core (the command line's `sdreview hash`).
pub fn walk(conn: &mut SqliteConnection, target: &Target, all_cores: bool) -> AppResult<()> {
    let similar = &target.similar;
    similar.update_progress(|p| {
        p.running = true;
        p.last_error = None;
    });
    let mut after = ImageId(0);
    let walked = loop {
        if similar.signal.stopped() {
            break Ok(());
        }
        store_fresh(conn, target)?;
        let batch = image_hashes::pending(conn, after, BATCH)?;
        let Some(last) = batch.last() else {
            break Ok(());
        };
        after = last.id;
        let started = Instant::now();
        let hash = |file: &ImageFile| outcome_of(target, file);
        let records: Vec<HashRecord> = if all_cores {
            batch.par_iter().filter_map(hash).collect()
        } else {
            batch.iter().filter_map(hash).collect()
        };
        if let Err(error) = store(conn, target, &records) {
            break Err(error);
        }
        let seconds = started.elapsed().as_secs_f64().max(1e-6);
        let failed = records
            .iter()
            .filter(|r| matches!(r.outcome, HashOutcome::Failed(_)))
            .count();
        similar.update_progress(|p| {
            p.done = (p.done + records.len() as i64).min(p.total);
            p.failed += failed as i64;
            p.per_second = records.len() as f64 / seconds;
        });
    };
    let counted = refresh_counts(conn, similar);
    similar.update_progress(|p| p.running = false);
    walked.and(counted)
}

/// One image's outcome; None when its file cannot be read now (gone, or the library is
/// offline): it stays pending rather than being marked as failed.
fn outcome_of(target: &Target, file: &ImageFile) -> Option<HashRecord> {
    let path = file_inside(&target.root, &file.folder_name, &file.filename).ok()?;
    let outcome = match target.thumbnails.pixels_for_hash(&path) {
        Ok(pixels) => HashOutcome::Hashed(PerceptualHash::of_pixels(&pixels)),
        Err(AppError::BadInput(why)) => HashOutcome::Failed(why),
        Err(error) => {
            tracing::debug!("image {} not hashed now: {}", file.id, error_chain(&error));
            return None;
        }
    };
    Some(HashRecord {
        image_id: file.id,
        file_mtime_ns: file.file_mtime_ns,
        outcome,
    })
}

/// Stores the hashes of thumbnails made since the last look.
fn store_fresh(conn: &mut SqliteConnection, target: &Target) -> AppResult<()> {
    let records: Vec<HashRecord> = target
        .thumbnails
        .take_fresh_hashes()
        .into_iter()
        .map(|fresh| HashRecord {
            image_id: ImageId(fresh.image_id),
            file_mtime_ns: fresh.file_mtime_ns,
            outcome: HashOutcome::Hashed(fresh.hash),
        })
        .collect();
    if records.is_empty() {
        return Ok(());
    }
    store(conn, target, &records)
}

/// One write turn for the batch, then the index learns it.
fn store(conn: &mut SqliteConnection, target: &Target, records: &[HashRecord]) -> AppResult<()> {
    crate::db::write_transaction(conn, |conn| image_hashes::store(conn, records))?;
    if !records.is_empty() {
        target.similar.groups_changed();
    }
    target.similar.with_index(|index| {
        for record in records {
            match record.outcome {
                HashOutcome::Hashed(hash) => index.insert(record.image_id.0, hash),
                HashOutcome::Failed(_) => index.remove(record.image_id.0),
            }
        }
    });
    Ok(())
}
