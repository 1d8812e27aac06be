//! `GET /review/queue?<queue>&cursor=<id>`: the next page of a review queue as JSON, for the
//! script to preload as the pass goes on. Blind mode is applied here: others' verdicts on an
//! image I have not judged are not in the answer at all.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::review::{PAGE, parse};
use crate::db::{review_items, review_queue};
use crate::error::AppError;
use crate::views::review_item::ReviewItem;
use crate::web::render::blocking;
use crate::web::{AppState, Identity};

#[derive(Serialize)]
struct QueueJson {
    items: Vec<ReviewItem>,
    /// False when the queue ends with these.
    more: bool,
}

pub async fn next(
    state: web::Data<AppState>,
    identity: Identity,
    pairs: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let query = parse(&pairs)?;
    let pool = state.pool.clone();
    let caller = identity.caller();
    let is_admin = identity.role == crate::domain::role::Role::Admin;
    let answer = blocking(move || {
        let conn = &mut *pool.get()?;
        let page = review_queue::page(conn, &query, caller, PAGE)?;
        let mut facts = review_items::facts(conn, &page.items, caller)?;
        let mut items: Vec<ReviewItem> = page
            .items
            .iter()
            .map(|item| {
                let facts = facts.remove(&item.id).unwrap_or_default();
                ReviewItem::new(item, facts, query.blind)
            })
            .collect();
        crate::routes::shared::review_group::attach(conn, &query, &mut items, is_admin)?;
        Ok(QueueJson {
            items,
            more: page.more,
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(answer))
}
