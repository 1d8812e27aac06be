//! The rows the statistics are computed from, each read in one pass: the filtered images with
//! their verdict flags, the sessions and their tags, placeholder values, and judgements. The
//! figures themselves are counted in Rust (`crate::analytics`): a million images are a few
//! megabytes there, and one pass serves every grouping at once.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};

use super::caller::Caller;
use super::ids::{SessionId, UserId};
use super::row_limit::RowLimit;
use super::schema::analytics_version::dsl as av;
use super::schema::image_variations::dsl as iv;
use super::schema::images::dsl as i;
use super::schema::judgements::dsl as j;
use super::schema::session_tags::dsl as tg;
use super::schema::sessions::dsl as s;
use super::schema::users::dsl as u;
use super::schema::variations::dsl as v;
use crate::domain::gallery_filter::GalleryFilter;

/// Bits of an image's verdict flags, from the counters triggers keep on the image.
pub mod flags {
    pub const BROKEN: u8 = 1;
    pub const RATED: u8 = 1 << 1;
    pub const LIKED: u8 = 1 << 2;
    pub const PERFECT: u8 = 1 << 3;
    pub const IMPERFECT: u8 = 1 << 4;
    pub const OK: u8 = 1 << 5;
    pub const KO: u8 = 1 << 6;
}

/// The same expression as the index `images_for_stats` holds (migration
/// `index_images_for_stats`), so that SQLite reads it from there instead of working it out for
/// each image: change both together (`the_image_read_is_served_by_its_index` checks it).
const FLAGS: &str = "(broken IS NOT NULL) | ((rater_count > 0) << 1) | ((like_count > 0) << 2) \
     | ((perfect_count > 0) << 3) | ((imperfect_count > 0) << 4) | ((ok_count > 0) << 5) \
     | ((ko_count > 0) << 6)";

/// One image that passes the filter: id, session, verdict flags.
pub type ImageRow = (i32, SessionId, i32);

/// The images that pass the filter, except that across the library the images of deleted
/// sessions are there too: the caller drops them (see `gallery::filtered_in_any_session`).
pub fn images(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
) -> QueryResult<Vec<ImageRow>> {
    super::gallery::filtered_in_any_session(filter, caller)
        .select((i::id, i::session_id, sql::<Integer>(FLAGS)))
        .load(conn)
}

/// Deleted images of live sessions and of deleted ones (the trash).
pub fn images_in_trash(conn: &mut SqliteConnection) -> QueryResult<i64> {
    // `is_deleted = 1` written literally so that the partial index `images_deleted` serves it.
    i::images
        .filter(sql::<diesel::sql_types::Bool>("is_deleted = 1"))
        .count()
        .get_result(conn)
}

#[derive(Debug, Clone, Queryable)]
pub struct SessionRow {
    pub id: SessionId,
    pub name: String,
    pub display_name: Option<String>,
    pub created_at: NaiveDateTime,
    pub model: Option<String>,
    pub sampler: Option<String>,
    pub scheduler: Option<String>,
    /// The prompt template (the manifest's text, or the name it gives): figures group by it.
    pub template: Option<String>,
    pub is_test: bool,
    pub is_failed: bool,
    pub is_archived: bool,
    pub is_deleted: bool,
}

pub fn sessions(conn: &mut SqliteConnection) -> QueryResult<Vec<SessionRow>> {
    s::sessions
        .select((
            s::id,
            s::name,
            s::display_name,
            s::created_at,
            s::model_name,
            s::sampler,
            s::scheduler,
            s::template_name,
            s::is_test,
            s::is_failed,
            s::is_archived,
            s::is_deleted,
        ))
        .load(conn)
}

pub fn tags(conn: &mut SqliteConnection) -> QueryResult<Vec<(SessionId, String)>> {
    tg::session_tags
        .select((tg::session_id, tg::tag))
        .load(conn)
}

/// Every placeholder value: id, placeholder, value.
pub fn variations(conn: &mut SqliteConnection) -> QueryResult<Vec<(i32, String, String)>> {
    v::variations
        .select((v::id, v::placeholder, v::value))
        .load(conn)
}

/// (image, variation) for every image, in image order (the table's key order: no sort).
pub fn image_variations(conn: &mut SqliteConnection) -> QueryResult<Vec<(i32, i32)>> {
    iv::image_variations
        .select((iv::image_id, iv::variation_id))
        .order((iv::image_id, iv::variation_id))
        .load(conn)
}

/// A judgement that says something: image, user, status (0 none, 1 OK, 2 KO), the failure
/// category of a KO, and the day it was first given (days since 1970-01-01).
pub type JudgementRow = (i32, UserId, i32, Option<String>, i64);

pub fn judgements(conn: &mut SqliteConnection) -> QueryResult<Vec<JudgementRow>> {
    j::judgements
        .filter(
            j::quality
                .is_not_null()
                .or(j::status.is_not_null())
                .or(j::liked.eq(true)),
        )
        .select((
            j::image_id,
            j::user_id,
            sql::<Integer>("CASE status WHEN 'ok' THEN 1 WHEN 'ko' THEN 2 ELSE 0 END"),
            sql::<Nullable<Text>>("CASE WHEN status = 'ko' THEN failure_category END"),
            sql::<BigInt>("CAST(julianday(date(created_at)) - 2440587.5 AS INTEGER)"),
        ))
        .load(conn)
}

pub fn users(conn: &mut SqliteConnection) -> QueryResult<Vec<(UserId, String)>> {
    u::users.select((u::id, u::name)).load(conn)
}

/// The number every change to the figures' inputs bumps (by trigger; see the migration
/// `count_analytics_changes`).
pub fn version(conn: &mut SqliteConnection) -> QueryResult<i64> {
    av::analytics_version
        .select(av::version)
        .first_row(conn)
        .optional()
        .map(|found| found.unwrap_or(0))
}

/// The models sessions name, for checking the `model` knob.
pub fn models(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    s::sessions
        .filter(s::model_name.is_not_null())
        .select(s::model_name.assume_not_null())
        .distinct()
        .order(s::model_name.asc())
        .load(conn)
}

/// The prompt templates sessions name, for refusing one that none used.
pub fn templates(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    s::sessions
        .filter(s::template_name.is_not_null())
        .select(s::template_name.assume_not_null())
        .distinct()
        .order(s::template_name.asc())
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::gallery_filter::GalleryFilter;

    fn plan(conn: &mut SqliteConnection, filter: &GalleryFilter) -> String {
        let query = super::super::gallery::filtered_in_any_session(
            filter,
            crate::db::caller::Caller::owner(UserId(1)),
        )
        .select((i::id, i::session_id, sql::<Integer>(FLAGS)));
        let text = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query).to_string();
        crate::db::query_plan::explain(conn, &text)
    }

    #[test]
    fn the_image_read_is_served_by_its_index() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::open(&dir.path().join("m.db")).unwrap();
        let mut conn = pool.get().unwrap();
        let plan = plan(&mut conn, &GalleryFilter::default());
        assert!(
            plan.contains("COVERING INDEX images_for_stats"),
            "the flags are worked out per image instead of read from the index: {plan}"
        );
    }
}
