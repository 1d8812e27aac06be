//! The single writer: applies session records in large `BEGIN IMMEDIATE` transactions while
//! the readers go on producing them.

use std::sync::mpsc::Receiver;

use diesel::SqliteConnection;

use super::read::SessionRecord;
use crate::db::prompt_texts::PromptCache;
use crate::db::variations::VariationCache;
use crate::db::{images, sessions};
use crate::error::AppResult;
use crate::library::scan::Problem;

/// Images per transaction: large enough to amortise the commit, small enough that a server
/// writing a rating meanwhile waits well under its busy timeout.
const BATCH_IMAGES: usize = 5_000;

/// Dictionaries of the rows images point into, kept in memory for the whole import.
struct Caches {
    variations: VariationCache,
    prompts: PromptCache,
}

#[derive(Debug, Default)]
pub struct WriteOutcome {
    pub sessions_new: usize,
    pub sessions_updated: usize,
    pub images_new: usize,
    pub images_updated: usize,
    /// Files that vanished between the listing and the read; known ones are marked gone.
    pub vanished: Vec<Problem>,
}

pub fn write_records(
    conn: &mut SqliteConnection,
    records: Receiver<SessionRecord>,
) -> AppResult<WriteOutcome> {
    let mut outcome = WriteOutcome::default();
    let mut caches = Caches {
        variations: VariationCache::load(conn)?,
        prompts: PromptCache::load(conn)?,
    };
    let mut records = records.into_iter().peekable();
    while records.peek().is_some() {
        conn.immediate_transaction(|conn| {
            let mut written = 0;
            for record in records.by_ref() {
                written += record.images.len() + 1;
                apply(conn, record, &mut caches, &mut outcome)?;
                if written >= BATCH_IMAGES {
                    break;
                }
            }
            caches.prompts.index_new_texts(conn)?;
            Ok::<_, crate::error::AppError>(())
        })?;
    }
    Ok(outcome)
}

fn apply(
    conn: &mut SqliteConnection,
    record: SessionRecord,
    caches: &mut Caches,
    outcome: &mut WriteOutcome,
) -> AppResult<()> {
    let session_id = match record.existing {
        Some(_) => sessions::upsert_scan(conn, &record.scan)?,
        None => sessions::insert_scan(conn, &record.scan)?,
    };
    match record.existing {
        Some(_) => outcome.sessions_updated += 1,
        None => outcome.sessions_new += 1,
    }
    for (existing, mut facts) in record.images {
        facts.scan.session_id = session_id;
        let mut text_id = |text: &Option<String>| {
            text.as_deref()
                .map(|t| caches.prompts.id_for(conn, t))
                .transpose()
        };
        facts.scan.prompt_id = text_id(&facts.prompt)?;
        facts.scan.negative_prompt_id = text_id(&facts.negative_prompt)?;
        let image_id = match existing {
            Some(id) => {
                images::update_scan(conn, id, &facts.scan)?;
                id
            }
            None => images::insert_scan(conn, &facts.scan)?,
        };
        let mut ids = Vec::with_capacity(facts.variations.len());
        for (placeholder, value) in &facts.variations {
            ids.push(caches.variations.id_for(conn, placeholder, value)?);
        }
        images::replace_variations(conn, image_id, &ids, existing.is_some())?;
        match existing {
            Some(_) => outcome.images_updated += 1,
            None => outcome.images_new += 1,
        }
    }
    let known: Vec<_> = record.vanished.iter().filter_map(|(_, id)| *id).collect();
    images::mark_vanished(conn, &known)?;
    outcome
        .vanished
        .extend(record.vanished.into_iter().map(|(problem, _)| problem));
    Ok(())
}
