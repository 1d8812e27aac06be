//! The single writer: applies session parts in short `BEGIN IMMEDIATE` transactions while the
//! readers go on producing them.
//!
//! A transaction only ever covers parts already read: the writer waits for the readers with no
//! transaction open, then writes what has arrived, for at most [`TRANSACTION_TIME`], so a rating
//! made meanwhile waits a few tens of milliseconds at worst, never for a slow disk. Each image is
//! written in its own savepoint: a row the database refuses is reported with its file and the
//! rest of the import goes on.

use std::collections::HashMap;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use diesel::{Connection, SqliteConnection};

use super::read::SessionPart;
use crate::budget::Budget;
use crate::db::ids::{ImageId, SessionId};
use crate::db::prompt_texts::PromptCache;
use crate::db::variations::VariationCache;
use crate::db::{images, sessions, write_group, write_turn};
use crate::error::{AppError, AppResult, error_chain};
use crate::import::image_facts::ImageFacts;
use crate::library::scan::Problem;

/// How long one transaction may go on taking new parts.
const TRANSACTION_TIME: Duration = Duration::from_millis(40);
/// Images per transaction at most, whatever the time.
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
    /// Files whose text was cut, and rows the database refused (with the reason).
    pub problems: Vec<Problem>,
}

impl WriteOutcome {
    fn note_committed(&self, committed: &mut super::Committed) {
        committed.sessions_new = self.sessions_new;
        committed.sessions_updated = self.sessions_updated;
        committed.images_new = self.images_new;
        committed.images_updated = self.images_updated;
    }
}

/// Writes every part `parts` brings, giving its bytes back to `budget` once written.
pub fn write_parts(
    conn: &mut SqliteConnection,
    parts: Receiver<SessionPart>,
    budget: &Budget,
    committed: &mut super::Committed,
) -> AppResult<WriteOutcome> {
    // Whatever happens here, readers waiting for room must not wait for ever.
    struct CloseOnExit<'a>(&'a Budget);
    impl Drop for CloseOnExit<'_> {
        fn drop(&mut self) {
            self.0.close();
        }
    }
    let _close = CloseOnExit(budget);

    let mut writer = Writer {
        caches: Caches {
            variations: VariationCache::load(conn)?,
            prompts: PromptCache::load(conn)?,
        },
        session_ids: HashMap::new(),
        outcome: WriteOutcome::default(),
    };
    while let Ok(first) = parts.recv() {
        let turn = write_group::take_turn(conn)?;
        conn.immediate_transaction(|conn| {
            let started = Instant::now();
            let mut written = writer.apply(conn, first, budget)?;
            while started.elapsed() < TRANSACTION_TIME && written < BATCH_IMAGES {
                match parts.try_recv() {
                    Ok(part) => written += writer.apply(conn, part, budget)?,
                    Err(_) => break,
                }
            }
            writer.caches.prompts.index_new_texts(conn)?;
            Ok::<_, AppError>(())
        })?;
        drop(turn);
        writer.outcome.note_committed(committed);
        write_turn::let_waiting_writers_go_first(conn)?;
    }
    Ok(writer.outcome)
}

struct Writer {
    caches: Caches,
    /// The row of each session already written, by its place in the plan.
    session_ids: HashMap<usize, SessionId>,
    outcome: WriteOutcome,
}

impl Writer {
    /// Writes one part; returns how many rows it wrote.
    fn apply(
        &mut self,
        conn: &mut SqliteConnection,
        part: SessionPart,
        budget: &Budget,
    ) -> AppResult<usize> {
        let bytes = part.bytes;
        let written = self.apply_part(conn, part);
        budget.give_back(bytes);
        written
    }

    fn apply_part(&mut self, conn: &mut SqliteConnection, part: SessionPart) -> AppResult<usize> {
        self.outcome.problems.extend(part.text_cuts);
        let known = self.session_ids.get(&part.work).copied();
        let session_id = match (part.scan, known) {
            (Some(scan), _) => {
                let upsert = known.is_some() || part.existing.is_some();
                let saved = conn.transaction(|conn| match upsert {
                    true => sessions::upsert_scan(conn, &scan),
                    false => sessions::insert_scan(conn, &scan),
                });
                match saved {
                    Ok(id) => {
                        if known.is_none() {
                            match part.existing {
                                Some(_) => self.outcome.sessions_updated += 1,
                                None => self.outcome.sessions_new += 1,
                            }
                        }
                        self.session_ids.insert(part.work, id);
                        Some(id)
                    }
                    Err(error) => {
                        self.refused(&scan.folder_name, "its session row", &error.into());
                        known
                    }
                }
            }
            (None, known) => known,
        };
        let Some(session_id) = session_id else {
            // The session row was refused: its images have nowhere to go (already reported).
            return Ok(0);
        };
        let mut written = 1;
        for (existing, facts) in part.images {
            let filename = facts.scan.filename.clone();
            match self.write_image(conn, session_id, existing, facts) {
                Ok(()) => written += 1,
                Err(error) => self.refused(&filename, "its row", &error),
            }
        }
        let known: Vec<_> = part.vanished.iter().filter_map(|(_, id)| *id).collect();
        images::mark_vanished(conn, &known)?;
        self.outcome
            .vanished
            .extend(part.vanished.into_iter().map(|(problem, _)| problem));
        Ok(written)
    }

    /// The image's texts and variations first, each a single statement the caches only learn
    /// of once it succeeded; then its rows in a savepoint, so that a refused row leaves
    /// nothing behind and the caches stay true.
    fn write_image(
        &mut self,
        conn: &mut SqliteConnection,
        session_id: SessionId,
        existing: Option<ImageId>,
        mut facts: ImageFacts,
    ) -> AppResult<()> {
        facts.scan.session_id = session_id;
        let prompts = &mut self.caches.prompts;
        let mut text_id =
            |text: &Option<String>| text.as_deref().map(|t| prompts.id_for(conn, t)).transpose();
        facts.scan.prompt_id = text_id(&facts.prompt)?;
        facts.scan.negative_prompt_id = text_id(&facts.negative_prompt)?;
        let mut ids = Vec::with_capacity(facts.variations.len());
        for (placeholder, value) in &facts.variations {
            ids.push(self.caches.variations.id_for(conn, placeholder, value)?);
        }
        conn.transaction(|conn| {
            let image_id = match existing {
                Some(id) => {
                    images::update_scan(conn, id, &facts.scan)?;
                    id
                }
                None => images::insert_scan(conn, &facts.scan)?,
            };
            images::replace_variations(conn, image_id, &ids, existing.is_some())
        })?;
        match existing {
            Some(_) => self.outcome.images_updated += 1,
            None => self.outcome.images_new += 1,
        }
        Ok(())
    }

    fn refused(&mut self, path: &str, what: &str, error: &AppError) {
        tracing::warn!(
            "the database refused {what} for {path}: {}",
            error_chain(error)
        );
        self.outcome.problems.push(Problem {
            path: path.to_owned(),
            reason: format!(
                "not stored: the database refused {what} ({})",
                error_chain(error)
            ),
        });
    }
}
