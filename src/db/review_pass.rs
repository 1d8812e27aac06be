//! One review pass: the images I judged in the queue's scope since the pass started, for its
//! progress and its summary.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::caller::Caller;
use super::gallery::{GalleryItem, filtered};
use super::ids::ImageId;
use super::models::Judgement;
use super::row_limit::RowLimit;
use super::schema::images::dsl as i;
use super::schema::judgements::dsl as j;
use super::schema::session_tags::dsl as tg;
use crate::domain::rating::Verdict;
use crate::domain::review_query::ReviewQuery;

/// More than anyone judges in one sitting; the summary says when it stopped counting.
pub const MAX_PASS: i64 = 20_000;
/// SQLite's limit on bound parameters is far above this.
const CHUNK: usize = 5_000;

/// My judgements since `since` on images of the queue's scope (its verdict filters left out,
/// since judging is what moves an image out of them), oldest first, with their images.
pub fn judged_since(
    conn: &mut SqliteConnection,
    query: &ReviewQuery,
    caller: Caller,
    since: NaiveDateTime,
) -> QueryResult<Vec<(GalleryItem, Verdict)>> {
    let rows: Vec<Judgement> = j::judgements
        .filter(j::user_id.eq(caller.user))
        .filter(j::updated_at.ge(since))
        .order(j::updated_at.asc())
        .select(Judgement::as_select())
        .row_limit(MAX_PASS)
        .load(conn)?;
    let scope = query.scope();
    let mut out = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(CHUNK) {
        let ids: Vec<ImageId> = chunk.iter().map(|row| row.image_id).collect();
        let mut images = filtered(&scope, caller)
            .filter(i::id.eq_any(&ids))
            .select(GalleryItem::as_select());
        if let Some(tag) = &query.tag {
            let tagged = tg::session_tags
                .filter(tg::tag.eq(tag.as_str().to_owned()))
                .select(tg::session_id);
            images = images.filter(i::session_id.eq_any(tagged));
        }
        let mut found: std::collections::HashMap<ImageId, GalleryItem> = images
            .load(conn)?
            .into_iter()
            .map(|item: GalleryItem| (item.id, item))
            .collect();
        for row in chunk {
            if let Some(item) = found.remove(&row.image_id) {
                out.push((item, row.verdict()));
            }
        }
    }
    // A verdict taken back in the pass leaves an image the caller has not judged.
    let (items, verdicts): (Vec<GalleryItem>, Vec<Verdict>) = out.into_iter().unzip();
    let items = super::gallery::seen_by(conn, caller, items)?;
    Ok(items.into_iter().zip(verdicts).collect())
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};
    use diesel::connection::SimpleConnection;

    use super::*;
    use crate::clock::fake;
    use crate::db::ids::UserId;
    use crate::db::judgements::{self, Mode};
    use crate::domain::rating::RatingAction;
    use crate::domain::role::Role;

    #[test]
    fn decisions_made_across_the_paris_switch_to_winter_time_come_out_in_order_and_all_count() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::open(&dir.path().join("metadata.db")).unwrap();
        let mut conn = pool.get().unwrap();
        conn.batch_execute(
            "INSERT INTO users (name, role, created_at, updated_at)
                 VALUES ('rita', 'reviewer', '2026-10-01 00:00:00', '2026-10-01 00:00:00');
             INSERT INTO sessions (folder_name, name, created_at, source, scanned_at, updated_at)
                 VALUES ('20261024_120000-s', 's', '2026-10-24 12:00:00', 'images_only',
                         '2026-10-24 12:00:00', '2026-10-24 12:00:00');
             WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 10)
             INSERT INTO images (session_id, filename, format, file_size, file_mtime_ns, listed, on_disk)
                 SELECT 1, printf('%02d.png', k), 'png', 1, 0, 1, 1 FROM n;",
        )
        .unwrap();
        let caller = Caller::new(UserId(1), Role::Reviewer);
        // Paris clocks go back from 03:00 summer time to 02:00 winter time at 01:00 UTC: one
        // decision a minute from 00:55 UTC reads 02:55 to 02:59, then 02:00 to 02:04 there.
        let first = Utc.with_ymd_and_hms(2026, 10, 25, 0, 55, 0).unwrap();
        fake::set(first - Duration::minutes(5));
        let since = crate::db::now();
        for k in 0..10 {
            fake::set(first + Duration::minutes(k.into()));
            let image = ImageId(k + 1);
            judgements::rate(
                &mut conn,
                caller,
                &[image],
                &RatingAction::Perfect,
                Mode::Set,
            )
            .unwrap();
        }

        let query = ReviewQuery::parse(&[]).unwrap();
        let judged = judged_since(&mut conn, &query, caller, since).unwrap();
        let order: Vec<i32> = judged.iter().map(|(item, _)| item.id.0).collect();
        assert_eq!(order, (1..=10).collect::<Vec<_>>());
    }
}
