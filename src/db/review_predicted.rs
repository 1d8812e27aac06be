//! The review queue in the KO predictor's order, across the library rather than session by
//! session: `likely_ko` walks the images from the highest predicted probability down;
//! `uncertain` from the predictions nearest 0.5 outwards. Each walks its own index
//! (`images_by_predicted_ko`, `images_by_prediction_doubt`) and pages by the last image handed
//! out. Images the predictor has not scored are not in these queues.

use diesel::prelude::*;
use diesel::sql_types::{Bool, Double, Nullable};

use super::caller::Caller;
use super::gallery::GalleryItem;
use super::ids::ImageId;
use super::ko_predictions::{PREDICTED_KO, PREDICTION_DOUBT};
use super::review_queue::QueuePage;
use super::row_limit::RowLimit;
use super::schema::images::dsl as i;
use crate::domain::review_order::ReviewOrder;
use crate::domain::review_query::ReviewQuery;

fn predicted(expression: &str) -> diesel::expression::SqlLiteral<Nullable<Double>> {
    diesel::dsl::sql::<Nullable<Double>>(expression)
}

/// Whether the image has a prediction (a cursor without one starts the queue afresh).
fn is_scored(conn: &mut SqliteConnection, id: ImageId) -> QueryResult<bool> {
    i::images
        .filter(i::id.eq(id))
        .select(predicted(PREDICTED_KO))
        .first_row::<Option<f64>>(conn)
        .optional()
        .map(|p| p.flatten().is_some())
}

/// The images of the queue in the order of `key` (an indexed expression; descending or
/// ascending), then id, starting past the image `from`, at most `limit`. The cursor's key is
/// read by SQLite from its row, never written back as decimal text, so an image whose key
/// equals the cursor's is compared exactly and comes once, in id order.
fn walk(
    conn: &mut SqliteConnection,
    query: &ReviewQuery,
    caller: Caller,
    (key, descending): (&str, bool),
    from: Option<ImageId>,
    limit: usize,
) -> QueryResult<Vec<GalleryItem>> {
    let mut images = super::review_queue::in_queue(query, caller);
    if let Some(ImageId(id)) = from {
        let beyond = if descending { "<" } else { ">" };
        let cursor = format!("(SELECT {key} FROM images WHERE id = {id})");
        // The first comparison is the index's range (a seek, not a scan from the start);
        // the second leaves out the cursor's equals up to its id.
        images = images.filter(diesel::dsl::sql::<Bool>(&format!(
            "{key} {beyond}= {cursor} AND ({key} {beyond} {cursor} OR images.id > {id})"
        )));
    }
    let images = if descending {
        images.order((predicted(key).desc(), i::id.asc()))
    } else {
        images.order((predicted(key).asc(), i::id.asc()))
    };
    images
        .select(GalleryItem::as_select())
        .row_limit(i64::try_from(limit).unwrap_or(i64::MAX))
        .load(conn)
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
        Some(id) if is_scored(conn, id)? => Some(id),
        _ => None,
    };
    let room = limit.saturating_sub(items.len());
    let order = match query.order {
        // Nearest 0.5 first.
        ReviewOrder::Uncertain => (PREDICTION_DOUBT, false),
        _ => (PREDICTED_KO, true),
    };
    // One more than asked: whether the queue goes on.
    let found = walk(conn, query, caller, order, cursor, room + 1)?;
    let more = found.len() > room;
    items.extend(found.into_iter().take(room));
    Ok(QueuePage { items, more })
}
