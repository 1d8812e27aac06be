//! The review queue in the KO predictor's order, across the library rather than session by
//! session: `likely_ko` walks the images from the highest predicted probability down;
//! `uncertain` from the predictions nearest 0.5 outwards (two walks of the same index, one up
//! from 0.5 and one down, merged). Both read the index `images_by_predicted_ko`, and page by
//! the last image handed out. Images the predictor has not scored are not in these queues.

use diesel::prelude::*;
use diesel::sql_types::{Bool, Double, Nullable};

use super::caller::Caller;
use super::gallery::GalleryItem;
use super::ids::ImageId;
use super::ko_predictions::PREDICTED_KO;
use super::review_queue::QueuePage;
use super::schema::images::dsl as i;
use crate::domain::review_order::ReviewOrder;
use crate::domain::review_query::ReviewQuery;

fn predicted(expression: &str) -> diesel::expression::SqlLiteral<Nullable<Double>> {
    diesel::dsl::sql::<Nullable<Double>>(expression)
}

/// The image's predicted KO probability, if it has one.
fn probability_of(conn: &mut SqliteConnection, id: ImageId) -> QueryResult<Option<f64>> {
    i::images
        .filter(i::id.eq(id))
        .select(predicted(PREDICTED_KO))
        .first::<Option<f64>>(conn)
        .optional()
        .map(Option::flatten)
}

/// One walk along the index: images with probability beyond `from` (strictly, or equal with a
/// greater id), going `up` or down, at most `limit`.
fn walk(
    conn: &mut SqliteConnection,
    query: &ReviewQuery,
    caller: Caller,
    from: Option<(f64, i32)>,
    up: bool,
    limit: usize,
) -> QueryResult<Vec<(f64, GalleryItem)>> {
    let mut images = super::review_queue::in_queue(query, caller);
    if let Some((p, id)) = from {
        let beyond = if up { ">" } else { "<" };
        images = images.filter(diesel::dsl::sql::<Bool>(&format!(
            "({PREDICTED_KO} {beyond} {p:?} OR ({PREDICTED_KO} = {p:?} AND images.id > {id}))"
        )));
    }
    let images = if up {
        images.order((predicted(PREDICTED_KO).asc(), i::id.asc()))
    } else {
        images.order((predicted(PREDICTED_KO).desc(), i::id.asc()))
    };
    let rows: Vec<(Option<f64>, GalleryItem)> = images
        .select((predicted(PREDICTED_KO), GalleryItem::as_select()))
        .limit(i64::try_from(limit).unwrap_or(i64::MAX))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(p, item)| p.map(|p| (p, item)))
        .collect())
}

/// Up to `limit` images after the cursor (or from the start), and the image asked to be seen
/// first (`at`) ahead of them.
pub fn page(
    conn: &mut SqliteConnection,
    query: &ReviewQuery,
    caller: Caller,
    limit: usize,
) -> QueryResult<QueuePage> {
    let mut items = Vec::with_capacity(limit);
    if let Some(at) = query.at
        && let Some(item) = super::gallery::one(conn, caller, at)?
        && !item.is_deleted
    {
        items.push(item);
    }
    let cursor = match query.at.or(query.cursor) {
        Some(id) => probability_of(conn, id)?.map(|p| (p, id.0)),
        None => None,
    };
    let room = limit.saturating_sub(items.len());
    // One more than asked: whether the queue goes on.
    let found: Vec<GalleryItem> = match query.order {
        ReviewOrder::Uncertain => uncertain(conn, query, caller, cursor, room + 1)?,
        _ => walk(conn, query, caller, cursor, false, room + 1)?
            .into_iter()
            .map(|(_, item)| item)
            .collect(),
    };
    let more = found.len() > room;
    items.extend(found.into_iter().take(room));
    Ok(QueuePage { items, more })
}

/// Nearest 0.5 first: the images at or above 0.5 going up and those below going down, merged
/// by distance from 0.5 (then id). The cursor's distance starts both walks.
fn uncertain(
    conn: &mut SqliteConnection,
    query: &ReviewQuery,
    caller: Caller,
    cursor: Option<(f64, i32)>,
    limit: usize,
) -> QueryResult<Vec<GalleryItem>> {
    let distance = cursor.map(|(p, _)| (p - 0.5).abs());
    // Both walks start at the cursor's distance from 0.5, on either side, past the cursor's
    // id at that very distance: the merged order is (distance, id).
    let (above_from, below_from) = match (cursor, distance) {
        (Some((p, id)), Some(d)) if p >= 0.5 => (Some((p, id)), Some((0.5 - d, id))),
        (Some((p, id)), Some(d)) => (Some((0.5 + d, id)), Some((p, id))),
        _ => (Some((0.5, i32::MIN)), Some((0.5, i32::MAX))),
    };
    let above: Vec<(f64, GalleryItem)> = walk(conn, query, caller, above_from, true, limit)?
        .into_iter()
        .filter(|(p, _)| *p >= 0.5)
        .collect();
    let below: Vec<(f64, GalleryItem)> = walk(conn, query, caller, below_from, false, limit)?
        .into_iter()
        .filter(|(p, _)| *p < 0.5)
        .collect();
    let mut merged: Vec<(f64, GalleryItem)> = above.into_iter().chain(below).collect();
    merged.sort_by(|(a, x), (b, y)| {
        (a - 0.5)
            .abs()
            .total_cmp(&(b - 0.5).abs())
            .then(x.id.cmp(&y.id))
    });
    Ok(merged
        .into_iter()
        .take(limit)
        .map(|(_, item)| item)
        .collect())
}
