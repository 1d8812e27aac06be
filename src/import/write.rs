//! The single writer: applies session records in large `BEGIN IMMEDIATE` transactions while
//! the readers go on producing them.

use std::sync::mpsc::Receiver;

use diesel::SqliteConnection;

use super::read::SessionRecord;
use crate::db::variations::VariationCache;
use crate::db::{images, sessions};
use crate::error::AppResult;
use crate::library::scan::Problem;

/// Images per transaction: large enough to amortise the commit, small enough that a server
/// writing a rating meanwhile waits well under its busy timeout.
const BATCH_IMAGES: usize = 5_000;

#[derive(Debug, Default, Clone, Copy)]
pub struct WriteCounts {
    pub sessions_new: usize,
    pub sessions_updated: usize,
    pub images_new: usize,
    pub images_updated: usize,
}

pub fn write_records(
    conn: &mut SqliteConnection,
    records: Receiver<SessionRecord>,
    vanished: &mut Vec<Problem>,
) -> AppResult<WriteCounts> {
    let mut counts = WriteCounts::default();
    let mut variations = VariationCache::load(conn)?;
    let mut records = records.into_iter().peekable();
    while records.peek().is_some() {
        conn.immediate_transaction(|conn| {
            let mut written = 0;
            for record in records.by_ref() {
                written += record.images.len() + 1;
                apply(conn, record, &mut variations, &mut counts, vanished)?;
                if written >= BATCH_IMAGES {
                    break;
                }
            }
            Ok::<_, crate::error::AppError>(())
        })?;
    }
    Ok(counts)
}

fn apply(
    conn: &mut SqliteConnection,
    record: SessionRecord,
    variations: &mut VariationCache,
    counts: &mut WriteCounts,
    vanished: &mut Vec<Problem>,
) -> AppResult<()> {
    let session_id = sessions::upsert_scan(conn, &record.scan)?;
    match record.existing {
        Some(_) => counts.sessions_updated += 1,
        None => counts.sessions_new += 1,
    }
    for (existing, mut facts) in record.images {
        facts.scan.session_id = session_id;
        let image_id = images::upsert_scan(conn, &facts.scan)?;
        let mut ids = Vec::with_capacity(facts.variations.len());
        for (placeholder, value) in &facts.variations {
            ids.push(variations.id_for(conn, placeholder, value)?);
        }
        images::replace_variations(conn, image_id, &ids, existing.is_some())?;
        match existing {
            Some(_) => counts.images_updated += 1,
            None => counts.images_new += 1,
        }
    }
    vanished.extend(record.vanished);
    Ok(())
}
