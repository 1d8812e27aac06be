//! Stored perceptual hashes (`image_hashes`): which images still need one, writing a batch,
//! and reading them all back into the in-memory index at start.

use diesel::prelude::*;
use diesel::upsert::excluded;

use super::row_limit::RowLimit;
use crate::db::ids::ImageId;
use crate::db::images::ImageFile;
use crate::db::schema::image_hashes::dsl as h;
use crate::db::schema::images::dsl as i;
use crate::db::schema::sessions::dsl as s;
use crate::similar::hash::PerceptualHash;

/// What the hashing pass made of one image's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashOutcome {
    Hashed(PerceptualHash),
    /// It could not be decoded; the words say why (kept so it is not tried again and again).
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashRecord {
    pub image_id: ImageId,
    /// The file's mtime the outcome is for: a later rewrite makes the image pending again.
    pub file_mtime_ns: i64,
    pub outcome: HashOutcome,
}

/// Images on disk, not broken, whose hash is missing or older than their file, from id
/// `after` on, in id order: the pass walks the library in batches and can stop at any point.
pub fn pending(
    conn: &mut SqliteConnection,
    after: ImageId,
    limit: i64,
) -> QueryResult<Vec<ImageFile>> {
    i::images
        .inner_join(s::sessions)
        .left_join(h::image_hashes)
        .filter(i::id.gt(after))
        .filter(i::on_disk.eq(true))
        .filter(i::broken.is_null())
        .filter(
            h::image_id
                .is_null()
                .or(h::file_mtime_ns.nullable().ne(i::file_mtime_ns.nullable())),
        )
        .order(i::id)
        .select(crate::db::images::file_columns())
        .row_limit(limit)
        .load(conn)
}

/// How far the pass has come: images that have an up-to-date outcome, and all that should.
pub fn progress(conn: &mut SqliteConnection) -> QueryResult<(i64, i64)> {
    let eligible = i::images
        .filter(i::on_disk.eq(true))
        .filter(i::broken.is_null());
    let total: i64 = eligible.count().get_result(conn)?;
    let done: i64 = eligible
        .inner_join(h::image_hashes)
        .filter(h::file_mtime_ns.eq(i::file_mtime_ns))
        .count()
        .get_result(conn)?;
    Ok((done, total))
}

/// Stores a batch of outcomes (one statement per row, in the caller's transaction). An image
/// removed since it was read is skipped: its hash has nowhere to go.
pub fn store(conn: &mut SqliteConnection, records: &[HashRecord]) -> QueryResult<usize> {
    let mut stored = 0;
    for record in records {
        let (hash, failure) = match &record.outcome {
            HashOutcome::Hashed(hash) => (Some(hash.to_bytes().to_vec()), None),
            HashOutcome::Failed(why) => (None, Some(why.as_str())),
        };
        let exists: bool = diesel::select(diesel::dsl::exists(
            i::images.filter(i::id.eq(record.image_id)),
        ))
        .get_result(conn)?;
        if !exists {
            continue;
        }
        stored += diesel::insert_into(h::image_hashes)
            .values((
                h::image_id.eq(record.image_id.0),
                h::file_mtime_ns.eq(record.file_mtime_ns),
                h::hash.eq(hash),
                h::failure.eq(failure),
            ))
            .on_conflict(h::image_id)
            .do_update()
            .set((
                h::file_mtime_ns.eq(excluded(h::file_mtime_ns)),
                h::hash.eq(excluded(h::hash)),
                h::failure.eq(excluded(h::failure)),
            ))
            .execute(conn)?;
    }
    Ok(stored)
}

/// Every stored hash, for the in-memory index; rows that are not 32 bytes are skipped (and
/// will not match the pending filter either, since their mtime is current: a damaged row
/// stays out of every group rather than stopping the start).
pub fn all(conn: &mut SqliteConnection) -> QueryResult<Vec<(i32, PerceptualHash)>> {
    let rows: Vec<(i32, Option<Vec<u8>>)> = h::image_hashes
        .filter(h::hash.is_not_null())
        .select((h::image_id, h::hash))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, bytes)| Some((id, PerceptualHash::from_slice(&bytes?)?)))
        .collect())
}

/// Images whose current file could not be decoded for a hash.
pub fn failed(conn: &mut SqliteConnection) -> QueryResult<i64> {
    h::image_hashes
        .inner_join(i::images)
        .filter(h::failure.is_not_null())
        .filter(h::file_mtime_ns.eq(i::file_mtime_ns))
        .filter(i::on_disk.eq(true))
        .count()
        .get_result(conn)
}
