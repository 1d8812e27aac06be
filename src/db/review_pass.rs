//! One review pass: the images I judged in the queue's scope since the pass started, for its
//! progress and its summary.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::caller::Caller;
use super::gallery::{GalleryItem, filtered};
use super::ids::ImageId;
use super::models::Judgement;
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
        .limit(MAX_PASS)
        .select(Judgement::as_select())
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
    Ok(out)
}
