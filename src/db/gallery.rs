//! The gallery query: one session's images or the whole library's search results, filtered,
//! sorted and paged by a `GalleryFilter`. Verdict filters on "mine" read the judgements table;
//! on "anyone" they read the per-image counters that triggers keep.

use std::collections::HashMap;
use std::sync::Arc;

use diesel::expression::SqlLiteral;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer};
use diesel::sqlite::Sqlite;

use super::caller::Caller;
use super::ids::{ImageId, SessionId};
use super::prompt_search::{Matches, prompts_fts};
use super::row_limit::RowLimit;
use super::schema::image_variations::dsl as iv;
use super::schema::images::{self, dsl as i};
use super::schema::judgements::dsl as j;
use super::schema::users::dsl as u;
use super::schema::variations::dsl as v;
use crate::domain::blind_rule::Sight;
use crate::domain::gallery_filter::{
    GalleryFilter, GallerySort, PAGE_SIZE, QualityFilter, StatusFilter, Whose,
};
use crate::domain::search_query::SearchIn;

/// An image as a tile. Its counts are everyone's verdicts: every function that loads items
/// ends with `seen_by`, which hides them on an image the caller has not judged while blind
/// mode binds them.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = images, check_for_backend(Sqlite))]
pub struct GalleryItem {
    pub id: ImageId,
    pub session_id: SessionId,
    pub filename: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub seed: Option<i64>,
    pub prompt_id: Option<i32>,
    pub negative_prompt_id: Option<i32>,
    pub broken: Option<String>,
    pub is_deleted: bool,
    pub like_count: i32,
    pub perfect_count: i32,
    pub imperfect_count: i32,
    pub ok_count: i32,
    pub ko_count: i32,
}

impl GalleryItem {
    /// The counts as someone sees them who may not know others' verdicts: none, since they
    /// have given none either.
    fn has_verdicts(&self) -> bool {
        [
            self.like_count,
            self.perfect_count,
            self.imperfect_count,
            self.ok_count,
            self.ko_count,
        ]
        .iter()
        .any(|&count| count > 0)
    }

    fn blinded(mut self) -> GalleryItem {
        self.like_count = 0;
        self.perfect_count = 0;
        self.imperfect_count = 0;
        self.ok_count = 0;
        self.ko_count = 0;
        self
    }
}

/// The blind rule on loaded items (`db::blind_review`): an image the caller has not judged
/// shows no count while blind mode binds them.
pub fn seen_by(
    conn: &mut SqliteConnection,
    caller: Caller,
    items: Vec<GalleryItem>,
) -> QueryResult<Vec<GalleryItem>> {
    // Only an image someone has judged has anything to hide: a page of unjudged images (most
    // of a library) costs no query.
    let ids: Vec<ImageId> = items
        .iter()
        .filter(|item| item.has_verdicts())
        .map(|item| item.id)
        .collect();
    if ids.is_empty() {
        return Ok(items);
    }
    let revealed = super::blind_review::revealed(conn, caller, &ids)?;
    Ok(items
        .into_iter()
        .map(|item| match revealed.shows(item.id) {
            true => item,
            false => item.blinded(),
        })
        .collect())
}

/// Raters disagree: at least one said OK and one KO (the image's counters).
fn split() -> diesel::dsl::And<diesel::dsl::Gt<i::ok_count, i32>, diesel::dsl::Gt<i::ko_count, i32>>
{
    i::ok_count.gt(0).and(i::ko_count.gt(0))
}

/// Which images count by their file: the gallery shows the files on disk; an export also
/// keeps the images whose file is gone (their folder deleted or renamed) but which hold
/// people's work, a verdict or notes, so no rating vanishes from the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Files {
    OnDisk,
    OnDiskOrRated,
}

/// The images that pass the filter, unsorted (the review queue orders them itself; also the
/// row source of the API).
pub fn filtered(filter: &GalleryFilter, caller: Caller) -> images::BoxedQuery<'static, Sqlite> {
    filtered_files(filter, caller, Files::OnDisk)
}

/// `filtered`, with the images whose file is gone as `files` says (exports).
pub fn filtered_files(
    filter: &GalleryFilter,
    caller: Caller,
    files: Files,
) -> images::BoxedQuery<'static, Sqlite> {
    let query = in_any_session(filter, caller, files);
    if filter.session.is_some() {
        return query;
    }
    // Across the library, a deleted session's images are in the trash with it.
    query.filter(
        i::session_id.ne_all(
            super::schema::sessions::table
                .filter(super::schema::sessions::is_deleted.eq(true))
                .select(super::schema::sessions::id),
        ),
    )
}

/// `filtered`, except that across the library it also keeps the images of deleted sessions.
/// For a caller that reads every session anyway (the statistics): it drops them itself, which
/// costs less than SQLite checking each of a million images against the deleted ones.
pub fn filtered_in_any_session(
    filter: &GalleryFilter,
    caller: Caller,
) -> images::BoxedQuery<'static, Sqlite> {
    // Statistics are sums over many images, not one image's verdicts: blind mode leaves their
    // filters as they are.
    let aggregate = Caller {
        sight: Sight::Everything,
        ..caller
    };
    in_any_session(filter, aggregate, Files::OnDisk)
}

/// SQL true on an image whose other verdicts the caller may see (`db::blind_review`): a
/// filter or an order that reads others' verdicts holds to it, so that "KO by anyone" cannot
/// point at an image blind mode hides the KO of.
fn others_shown(caller: Caller) -> SqlLiteral<Bool> {
    diesel::dsl::sql::<Bool>(&super::blind_review::others_shown_sql(caller, "images.id"))
}

fn in_any_session(
    filter: &GalleryFilter,
    caller: Caller,
    files: Files,
) -> images::BoxedQuery<'static, Sqlite> {
    let mut query = images::table.into_boxed();
    query = match files {
        Files::OnDisk => query.filter(i::on_disk.eq(true)),
        Files::OnDiskOrRated => query.filter(
            i::on_disk
                .eq(true)
                .or(i::rater_count.gt(0))
                .or(i::notes.is_not_null().and(i::notes.ne(""))),
        ),
    };
    query = query.filter(i::is_deleted.eq(filter.deleted));
    if filter.deleted && !caller.sees_trash() {
        // The trash rule: only an admin reads the trash, whatever the filter asks.
        query = query.filter(diesel::dsl::sql::<diesel::sql_types::Bool>("0"));
    }
    if let Some(session) = filter.session {
        query = query.filter(i::session_id.eq(session));
        if !caller.sees_trash() {
            // A deleted session's images are in the trash with it, even asked for by id.
            query = query.filter(
                i::session_id.eq_any(
                    super::schema::sessions::table
                        .filter(super::schema::sessions::id.eq(session))
                        .filter(super::schema::sessions::is_deleted.eq(false))
                        .select(super::schema::sessions::id),
                ),
            );
        }
    }
    if let Some(search) = &filter.search {
        let matching = || {
            prompts_fts::table
                .filter(Matches::new(
                    prompts_fts::text,
                    search.fts.clone().into_sql::<diesel::sql_types::Text>(),
                ))
                .select(prompts_fts::rowid.nullable())
        };
        query = match filter.search_in {
            SearchIn::Prompt => query.filter(i::prompt_id.eq_any(matching())),
            SearchIn::Negative => query.filter(i::negative_prompt_id.eq_any(matching())),
            SearchIn::Both => query.filter(
                i::prompt_id
                    .eq_any(matching())
                    .or(i::negative_prompt_id.eq_any(matching())),
            ),
        };
    }
    let mine = || {
        j::judgements
            .filter(j::user_id.eq(caller.user))
            .select(j::image_id)
    };
    match filter.whose {
        Whose::Mine => {
            match filter.status {
                Some(StatusFilter::Ok) => {
                    query = query.filter(i::id.eq_any(mine().filter(j::status.eq("ok"))))
                }
                Some(StatusFilter::Ko) => {
                    query = query.filter(i::id.eq_any(mine().filter(j::status.eq("ko"))))
                }
                Some(StatusFilter::Split) => {
                    query = query.filter(split()).filter(others_shown(caller))
                }
                Some(StatusFilter::None) => {
                    query = query.filter(i::id.ne_all(mine().filter(j::status.is_not_null())))
                }
                None => {}
            }
            match filter.quality {
                Some(QualityFilter::Perfect) => {
                    query = query.filter(i::id.eq_any(mine().filter(j::quality.eq("perfect"))))
                }
                Some(QualityFilter::Imperfect) => {
                    query = query.filter(i::id.eq_any(mine().filter(j::quality.eq("imperfect"))))
                }
                None => {}
            }
            if filter.liked {
                query = query.filter(i::id.eq_any(mine().filter(j::liked.eq(true))));
            }
            if let Some(category) = &filter.category {
                query = query
                    .filter(i::id.eq_any(mine().filter(j::failure_category.eq(category.clone()))));
            }
        }
        Whose::Anyone => {
            // What anyone decided, as far as the caller may know it: blind mode hides others'
            // verdicts on an image the caller has not judged, so it passes "nobody" and no other.
            if filter.status.is_some_and(|s| s != StatusFilter::None)
                || filter.quality.is_some()
                || filter.liked
                || filter.category.is_some()
            {
                query = query.filter(others_shown(caller));
            }
            match filter.status {
                Some(StatusFilter::Ok) => query = query.filter(i::ok_count.gt(0)),
                Some(StatusFilter::Ko) => query = query.filter(i::ko_count.gt(0)),
                Some(StatusFilter::Split) => query = query.filter(split()),
                Some(StatusFilter::None) => {
                    query = query.filter(
                        i::ok_count
                            .eq(0)
                            .and(i::ko_count.eq(0))
                            .or(others_shown(caller).eq(false)),
                    )
                }
                None => {}
            }
            match filter.quality {
                Some(QualityFilter::Perfect) => query = query.filter(i::perfect_count.gt(0)),
                Some(QualityFilter::Imperfect) => query = query.filter(i::imperfect_count.gt(0)),
                None => {}
            }
            if filter.liked {
                query = query.filter(i::like_count.gt(0));
            }
            if let Some(category) = &filter.category {
                query = query.filter(
                    i::id.eq_any(
                        j::judgements
                            .filter(j::failure_category.eq(category.clone()))
                            .select(j::image_id),
                    ),
                );
            }
        }
    }
    let rated = j::quality
        .is_not_null()
        .or(j::status.is_not_null())
        .or(j::liked.eq(true));
    if let Some(rater) = &filter.rater {
        query = query.filter(others_shown(caller));
        let raters = u::users.filter(u::name.eq(rater.clone())).select(u::id);
        query = query.filter(
            i::id.eq_any(
                j::judgements
                    .filter(j::user_id.eq_any(raters))
                    .filter(rated)
                    .select(j::image_id),
            ),
        );
    }
    if filter.unrated_by_me {
        query = query.filter(i::id.ne_all(mine().filter(rated)));
    }
    for (placeholder, value) in &filter.variations {
        let variation = v::variations
            .filter(v::placeholder.eq(placeholder.clone()))
            .filter(v::value.eq(value.clone()))
            .select(v::id);
        query = query.filter(
            i::id.eq_any(
                iv::image_variations
                    .filter(iv::variation_id.eq_any(variation))
                    .select(iv::image_id),
            ),
        );
    }
    query = super::gallery_narrow::by_session_facts(query, &filter.sessions);
    if let Some((a, b)) = &filter.disagree {
        query = super::gallery_narrow::by_disagreement(query, a, b).filter(others_shown(caller));
    }
    if let Some(predicted) = filter.predicted {
        query = super::gallery_narrow::by_prediction(query, predicted);
    }
    query
}

fn sorted(filter: &GalleryFilter, caller: Caller) -> images::BoxedQuery<'static, Sqlite> {
    let query = filtered(filter, caller);
    match (filter.sort, filter.session.is_some()) {
        (GallerySort::File, true) => query.order((i::filename.asc(), i::id.asc())),
        (GallerySort::File, false) => query.order(i::id.desc()),
        (GallerySort::Seed, _) => query.order((i::seed.asc(), i::id.asc())),
        // Counts blind mode hides count as none, as the tiles show them.
        (GallerySort::Rating, _) => query.order((
            shown_count(caller, "like_count").desc(),
            shown_count(caller, "perfect_count").desc(),
            shown_count(caller, "ko_count").asc(),
            i::id.asc(),
        )),
        (GallerySort::LikelyKo, _) => query.order((
            diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::Double>>(
                super::ko_predictions::PREDICTED_KO,
            )
            // SQLite puts NULL (not scored) last in a descending order.
            .desc(),
            i::id.asc(),
        )),
    }
}

/// One of the image's counters (`column`, ours), or 0 where blind mode hides it.
fn shown_count(caller: Caller, column: &'static str) -> SqlLiteral<Integer> {
    let shown = super::blind_review::others_shown_sql(caller, "images.id");
    diesel::dsl::sql::<Integer>(&format!(
        "(CASE WHEN {shown} THEN images.{column} ELSE 0 END)"
    ))
}

/// A search with nothing else to filter on (the common case, and the one that must be fast
/// across a million images): all matching ids in order, so a page is a slice and the count
/// exact. None when other filters apply and the general query must run.
fn plain_search(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
) -> QueryResult<Option<Arc<Vec<ImageId>>>> {
    let Some(search) = &filter.search else {
        return Ok(None);
    };
    if filter.session.is_some()
        || filter.is_filtered()
        || filter.sort != GallerySort::File
        || filter.deleted
    {
        return Ok(None);
    }
    super::prompt_search::matching_images(conn, &search.fts, filter.search_in).map(Some)
}

/// `limit` ids from `offset` on, in the filter's order (the grouped gallery walks them).
pub fn ordered_ids(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<ImageId>> {
    if let Some(all) = plain_search(conn, filter)? {
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(all.len());
        let end = start
            .saturating_add(usize::try_from(limit).unwrap_or(0))
            .min(all.len());
        return Ok(all[start..end].to_vec());
    }
    sorted(filter, caller)
        .select(i::id)
        .page(limit, offset)
        .load(conn)
}

/// One page of images, and whether there is another page after it.
pub fn page(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
) -> QueryResult<(Vec<GalleryItem>, bool)> {
    if let Some(all) = plain_search(conn, filter)? {
        let start = (filter.offset() as usize).min(all.len());
        let end = (start + PAGE_SIZE as usize).min(all.len());
        let wanted = &all[start..end];
        let mut found: HashMap<ImageId, GalleryItem> = i::images
            .filter(i::id.eq_any(wanted))
            .select(GalleryItem::as_select())
            .load(conn)?
            .into_iter()
            .map(|item: GalleryItem| (item.id, item))
            .collect();
        // In the search's own order, matched by id rather than trusting a second ORDER BY.
        let items = wanted.iter().filter_map(|id| found.remove(id)).collect();
        return Ok((seen_by(conn, caller, items)?, end < all.len()));
    }
    let mut items: Vec<GalleryItem> = sorted(filter, caller)
        .select(GalleryItem::as_select())
        .page(PAGE_SIZE + 1, filter.offset())
        .load(conn)?;
    let more = items.len() as i64 > PAGE_SIZE;
    items.truncate(PAGE_SIZE as usize);
    Ok((seen_by(conn, caller, items)?, more))
}

/// Every id that passes the filter, in order (for "select all matching"), up to `limit`.
pub fn ids(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
    limit: i64,
) -> QueryResult<Vec<ImageId>> {
    if let Some(all) = plain_search(conn, filter)? {
        let keep = usize::try_from(limit).unwrap_or(usize::MAX).min(all.len());
        return Ok(all[..keep].to_vec());
    }
    sorted(filter, caller)
        .select(i::id)
        .row_limit(limit)
        .load(conn)
}

/// The images before and after `image` in the filter's order, for previous / next.
pub fn neighbours(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
    image: ImageId,
) -> QueryResult<(Option<ImageId>, Option<ImageId>)> {
    const SCAN_LIMIT: i64 = 200_000;
    let order = match plain_search(conn, filter)? {
        // Grouped, previous / next go from stack to stack.
        _ if filter.group_near => Arc::new(super::gallery_groups::representatives(
            conn, filter, caller, SCAN_LIMIT,
        )?),
        Some(all) => all,
        None => Arc::new(ids(conn, filter, caller, SCAN_LIMIT)?),
    };
    Ok(match order.iter().position(|&id| id == image) {
        Some(at) => (
            at.checked_sub(1).map(|p| order[p]),
            order.get(at + 1).copied(),
        ),
        None => (None, None),
    })
}

/// One image as a gallery tile, for refreshing a tile after it was rated.
pub fn one(
    conn: &mut SqliteConnection,
    caller: Caller,
    image: ImageId,
) -> QueryResult<Option<GalleryItem>> {
    let found: Vec<GalleryItem> = i::images
        .find(image)
        .select(GalleryItem::as_select())
        .load(conn)?;
    Ok(seen_by(conn, caller, found)?.pop())
}

/// How many images pass the filter, by the very query that lists them (no cached search), so
/// an export can check that it wrote each of them.
pub fn count(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
) -> QueryResult<i64> {
    filtered(filter, caller).count().get_result(conn)
}

/// How many images pass the filter, counting no further than `cap` (a search across a large
/// library must not count a million rows to print "1,000+").
pub fn count_capped(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    caller: Caller,
    cap: i64,
) -> QueryResult<(i64, bool)> {
    if let Some(all) = plain_search(conn, filter)? {
        let len = all.len() as i64;
        return Ok((len.min(cap), len > cap));
    }
    let found: Vec<ImageId> = filtered(filter, caller)
        .select(i::id)
        .row_limit(cap + 1)
        .load(conn)?;
    let len = found.len() as i64;
    Ok((len.min(cap), len > cap))
}
