//! The review queue: the images a `ReviewQuery` passes, newest session first and within a
//! session in the query's order, paged with a cursor (the last image handed out) rather than
//! an offset, because judged images leave an "unrated" queue while the pass goes on.
//!
//! Sessions are walked in batches that grow, so a queue over the whole library reads only as
//! far as the page needs; with "unrated by me" on, the per-user counters skip sessions I
//! have rated completely without reading their images.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::caller::Caller;
use super::gallery::{GalleryItem, filtered};
use super::ids::{ImageId, SessionId, UserId};
use super::row_limit::RowLimit;
use super::schema::images::dsl as i;
use super::schema::session_stats::dsl as ss;
use super::schema::session_tags::dsl as tg;
use super::schema::sessions::dsl as s;
use super::schema::user_session_stats::dsl as us;
use crate::domain::gallery_filter::GalleryFilter;
use crate::domain::review_order::OrderKey;
use crate::domain::review_query::ReviewQuery;

const FIRST_BATCH: i64 = 4;
const MAX_BATCH: i64 = 512;

/// A session's place in the queue: newest first.
type SessionPlace = (NaiveDateTime, SessionId);

pub struct QueuePage {
    pub items: Vec<GalleryItem>,
    /// False when the queue ends with this page.
    pub more: bool,
}

fn key(query: &ReviewQuery, item: &GalleryItem) -> OrderKey {
    OrderKey::new(
        query.order,
        query.salt,
        item.id.0,
        &item.filename,
        item.seed,
    )
}

fn place_of(conn: &mut SqliteConnection, session: SessionId) -> QueryResult<Option<SessionPlace>> {
    s::sessions
        .find(session)
        .select((s::created_at, s::id))
        .first_row(conn)
        .optional()
}

/// The next sessions after `after` that may hold images of the queue.
fn next_sessions(
    conn: &mut SqliteConnection,
    query: &ReviewQuery,
    caller: Caller,
    after: Option<SessionPlace>,
    batch: i64,
) -> QueryResult<Vec<SessionPlace>> {
    let mut sessions = s::sessions
        .filter(s::is_deleted.eq(false))
        .select((s::created_at, s::id))
        .order((s::created_at.desc(), s::id.desc()))
        .into_boxed();
    if let Some(session) = query.filter.session {
        sessions = sessions.filter(s::id.eq(session));
    }
    if let Some((time, id)) = after {
        sessions = sessions.filter(
            s::created_at
                .lt(time)
                .or(s::created_at.eq(time).and(s::id.lt(id))),
        );
    }
    if let Some(tag) = &query.tag {
        let tagged = tg::session_tags
            .filter(tg::tag.eq(tag.as_str().to_owned()))
            .select(tg::session_id);
        sessions = sessions.filter(s::id.eq_any(tagged));
    }
    if query.filter.unrated_by_me {
        // Sessions whose every image I have rated, by the counters the triggers keep.
        let done = us::user_session_stats
            .inner_join(ss::session_stats.on(ss::session_id.eq(us::session_id)))
            .filter(us::user_id.eq(caller.user))
            .filter(us::rated_count.ge(ss::image_count))
            .select(us::session_id);
        sessions = sessions.filter(s::id.ne_all(done));
    }
    sessions.row_limit(batch).load(conn)
}

/// The queue's images in these sessions, in queue order.
fn images_in(
    conn: &mut SqliteConnection,
    query: &ReviewQuery,
    caller: Caller,
    sessions: &[SessionPlace],
) -> QueryResult<Vec<GalleryItem>> {
    let ids: Vec<SessionId> = sessions.iter().map(|(_, id)| *id).collect();
    let filter = GalleryFilter {
        session: None,
        ..query.filter.clone()
    };
    let mut items: Vec<GalleryItem> = filtered(&filter, caller)
        .filter(i::session_id.eq_any(&ids))
        .select(GalleryItem::as_select())
        .load(conn)?;
    let rank = |item: &GalleryItem| ids.iter().position(|id| *id == item.session_id);
    items.sort_by_cached_key(|item| (rank(item), key(query, item)));
    Ok(items)
}

/// Up to `limit` images of the queue after its cursor (or from its start), and the image the
/// query asks to see first (`at`), if it is there at all. Going through groups (`group=near`),
/// a page holds one image of each near-duplicate group: one decision on it is the group's, so
/// the others are not handed out again (an unrated queue drops them once decided).
pub fn page(
    conn: &mut SqliteConnection,
    query: &ReviewQuery,
    caller: Caller,
    limit: usize,
) -> QueryResult<QueuePage> {
    let mut page = page_of_images(conn, query, caller, limit)?;
    if query.filter.group_near {
        let ids: Vec<_> = page.items.iter().map(|item| item.id).collect();
        let groups = super::near_groups::groups_of(conn, &ids)?;
        let mut seen = std::collections::HashSet::new();
        page.items
            .retain(|item| groups.get(&item.id).is_none_or(|group| seen.insert(*group)));
    }
    page.items = super::gallery::seen_by(conn, caller, std::mem::take(&mut page.items))?;
    Ok(page)
}

fn page_of_images(
    conn: &mut SqliteConnection,
    query: &ReviewQuery,
    caller: Caller,
    limit: usize,
) -> QueryResult<QueuePage> {
    if query.order.by_prediction() {
        return super::review_predicted::page(conn, query, caller, limit);
    }
    let mut items = Vec::with_capacity(limit);
    let cursor_id = query.at.or(query.cursor);
    let cursor = match cursor_id {
        Some(id) => super::gallery::one(conn, caller, id)?,
        None => None,
    };
    if let (Some(at), Some(item)) = (query.at, &cursor)
        && item.id == at
        && !item.is_deleted
    {
        items.push(item.clone());
    }
    let mut after: Option<SessionPlace> = None;
    // A cursor outside the queue's session means nothing: the queue starts from the top.
    let cursor = cursor.filter(|c| query.filter.session.is_none_or(|s| s == c.session_id));
    if let Some(cursor) = cursor
        && let Some(place) = place_of(conn, cursor.session_id)?
    {
        let past = key(query, &cursor);
        items.extend(
            images_in(conn, query, caller, &[place])?
                .into_iter()
                .filter(|item| key(query, item) > past)
                .take(limit.saturating_sub(items.len())),
        );
        after = Some(place);
    }
    let mut batch = FIRST_BATCH;
    while items.len() < limit {
        let sessions = next_sessions(conn, query, caller, after, batch)?;
        let Some(last) = sessions.last().copied() else {
            return Ok(QueuePage { items, more: false });
        };
        let found = images_in(conn, query, caller, &sessions)?;
        let room = limit - items.len();
        if found.len() > room {
            items.extend(found.into_iter().take(room));
            return Ok(QueuePage { items, more: true });
        }
        items.extend(found);
        after = Some(last);
        batch = (batch * 2).min(MAX_BATCH);
        if query.filter.session.is_some() {
            return Ok(QueuePage { items, more: false });
        }
    }
    Ok(QueuePage { items, more: true })
}

/// The images the queue may hold, in no order: the filter's, of the tagged sessions, and
/// (in the predictor's orders) those it has scored.
pub fn in_queue(
    query: &ReviewQuery,
    caller: Caller,
) -> super::schema::images::BoxedQuery<'static, diesel::sqlite::Sqlite> {
    let mut images = filtered(&query.filter, caller);
    if let Some(tag) = &query.tag {
        let tagged = tg::session_tags
            .filter(tg::tag.eq(tag.as_str().to_owned()))
            .select(tg::session_id);
        images = images.filter(i::session_id.eq_any(tagged));
    }
    if query.order.by_prediction() {
        images = images.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
            "{} IS NOT NULL",
            super::ko_predictions::PREDICTED_KO
        )));
    }
    images
}

/// How many images the queue holds now, counting no further than `cap`.
pub fn count(
    conn: &mut SqliteConnection,
    query: &ReviewQuery,
    caller: Caller,
    cap: i64,
) -> QueryResult<(i64, bool)> {
    let found: Vec<ImageId> = in_queue(query, caller)
        .select(i::id)
        .row_limit(cap + 1)
        .load(conn)?;
    let len = found.len() as i64;
    Ok((len.min(cap), len > cap))
}

/// Images of a session I have not rated yet, by the counters ("Review 37 left").
pub fn unrated_in_session(
    conn: &mut SqliteConnection,
    session: SessionId,
    me: UserId,
) -> QueryResult<i64> {
    let images: i32 = ss::session_stats
        .find(session)
        .select(ss::image_count)
        .first_row(conn)
        .optional()?
        .unwrap_or(0);
    let rated: i32 = us::user_session_stats
        .find((me, session))
        .select(us::rated_count)
        .first_row(conn)
        .optional()?
        .unwrap_or(0);
    Ok(i64::from(images - rated).max(0))
}
