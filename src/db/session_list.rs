//! The sessions list: one boxed query built from a `SessionFilter`, counted once and read one
//! page at a time. Badge counts come from the trigger-kept `session_stats`, never aggregated.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Double, Text};
use diesel::sqlite::Sqlite;

use super::caller::Caller;
use super::ids::{SessionId, UserId};
use super::row_limit::RowLimit;
use super::schema::{
    session_stats as st, session_tags as tg, sessions as s, user_session_stats as us,
};
use crate::domain::session_filter::{SessionFilter, Show, Sort};

#[derive(Debug, Clone, Queryable)]
pub struct SessionRow {
    pub id: SessionId,
    pub name: String,
    pub display_name: Option<String>,
    pub created_at: NaiveDateTime,
    pub model_name: Option<String>,
    pub sampler: Option<String>,
    pub theme: Option<String>,
    pub style: Option<String>,
    pub images_requested: Option<i32>,
    pub is_test: bool,
    pub is_failed: bool,
    pub is_archived: bool,
    pub is_deleted: bool,
    pub is_starred: bool,
    pub image_count: i32,
    pub liked_count: i32,
    pub perfect_count: i32,
    pub ko_count: i32,
    /// Images of this session the signed-in user has rated.
    pub my_rated: Option<i32>,
}

#[derive(Default)]
pub struct SessionPage {
    pub rows: Vec<SessionRow>,
    /// Tags of the rows on this page, by session, sorted.
    pub tags: Vec<(SessionId, String)>,
    pub total: i64,
}

/// The `show` filter as SQL. With `walk_counters` every column is written `+column`, which
/// SQLite cannot serve from an index: it then has no reason to read every session through the
/// flags' index and sort them all, and walks a counters' index in the sort's own order
/// instead, stopping after one page (migration `index_session_counters`).
fn show_condition(show: Show, walk_counters: bool) -> String {
    let p = if walk_counters { "+" } else { "" };
    match show {
        Show::Active => format!("{p}sessions.is_deleted = 0 AND {p}sessions.is_archived = 0"),
        Show::Archived => format!("{p}sessions.is_deleted = 0 AND {p}sessions.is_archived = 1"),
        Show::Test => format!("{p}sessions.is_deleted = 0 AND {p}sessions.is_test = 1"),
        Show::Failed => format!("{p}sessions.is_deleted = 0 AND {p}sessions.is_failed = 1"),
        Show::Deleted => format!("{p}sessions.is_deleted = 1"),
        Show::All => format!("{p}sessions.is_deleted = 0"),
    }
}

/// Narrows a boxed query over `sessions` (joined or not) by every filter on the sessions'
/// own columns. A macro because the joined and the plain boxed queries are different types.
macro_rules! session_filters {
    ($query:expr, $filter:expr, $walk_counters:expr) => {{
        let filter: &SessionFilter = $filter;
        let mut query = $query;
        query = query.filter(sql::<diesel::sql_types::Bool>(&show_condition(
            filter.show,
            $walk_counters,
        )));
        if let Some(model) = &filter.model {
            query = query.filter(s::model_name.eq(model.clone()));
        }
        if let Some(sampler) = &filter.sampler {
            query = query.filter(s::sampler.eq(sampler.clone()));
        }
        if let Some(tag) = &filter.tag {
            let tagged = tg::table
                .select(tg::session_id)
                .filter(tg::tag.eq(tag.as_str().to_owned()));
            query = query.filter(s::id.eq_any(tagged));
        }
        if filter.starred {
            query = query.filter(s::is_starred.eq(true));
        }
        if let Some(from) = filter.from {
            query = query.filter(s::created_at.ge(from.and_time(chrono::NaiveTime::MIN)));
        }
        if let Some(next_day) = filter.to.and_then(|d| d.succ_opt()) {
            query = query.filter(s::created_at.lt(next_day.and_time(chrono::NaiveTime::MIN)));
        }
        if let Some(expression) = filter.fts_expression() {
            query = query.filter(
                sql::<Bool>(
                    "sessions.id IN (SELECT rowid FROM sessions_fts WHERE sessions_fts MATCH ",
                )
                .bind::<Text, _>(expression)
                .sql(")"),
            );
        }
        query
    }};
}

/// The sessions the filter keeps, joined to their counters and to what `me` has rated.
macro_rules! filtered {
    ($filter:expr, $me:expr, $walk_counters:expr) => {{
        let filter: &SessionFilter = $filter;
        let joined = s::table
            .inner_join(st::table)
            .left_join(us::table.on(us::session_id.eq(s::id).and(us::user_id.eq($me))))
            .into_boxed::<Sqlite>();
        let mut query = session_filters!(joined, filter, $walk_counters);
        if filter.unrated {
            query = query.filter(st::image_count.gt(
                diesel::dsl::sql::<diesel::sql_types::Integer>(
                    "coalesce(user_session_stats.rated_count, 0)",
                ),
            ));
        }
        query
    }};
}

/// The columns of a `SessionRow`.
macro_rules! row_columns {
    () => {
        (
            s::id,
            s::name,
            s::display_name,
            s::created_at,
            s::model_name,
            s::sampler,
            s::theme,
            s::style,
            s::images_requested,
            s::is_test,
            s::is_failed,
            s::is_archived,
            s::is_deleted,
            s::is_starred,
            st::image_count,
            st::liked_count,
            st::perfect_count,
            st::ko_count,
            us::rated_count.nullable(),
        )
    };
}

/// How many sessions the filter keeps. Every session has its counters row, so unless the
/// filter reads the counters the count needs no join: a covering index scan, not 30,000
/// lookups.
fn count(conn: &mut SqliteConnection, filter: &SessionFilter, me: UserId) -> QueryResult<i64> {
    if filter.unrated {
        filtered!(filter, me, false).count().get_result(conn)
    } else {
        session_filters!(s::table.into_boxed::<Sqlite>(), filter, false)
            .count()
            .get_result(conn)
    }
}

/// One page's query: the filter in the sort's order (a macro for the same reason as
/// `session_filters!`). The id breaks ties, so pages never repeat or skip a row.
macro_rules! sorted {
    ($filter:expr, $me:expr, $columns:expr) => {{
        let filter: &SessionFilter = $filter;
        let walk_counters = walks_counters(filter.sort);
        let query = filtered!(filter, $me, walk_counters).select($columns);
        let asc = filter.ascending;
        let query = match filter.sort {
            Sort::Date if asc => query.order_by((s::created_at.asc(), s::id.asc())),
            Sort::Date => query.order_by((s::created_at.desc(), s::id.desc())),
            // By the counters' own session id, so the order is exactly their index's.
            Sort::Images if asc => query.order_by((st::image_count.asc(), st::session_id.asc())),
            Sort::Images => query.order_by((st::image_count.desc(), st::session_id.desc())),
            Sort::Name => {
                let name =
                    sql::<Text>("coalesce(sessions.display_name, sessions.name) COLLATE NOCASE");
                if asc {
                    query.order_by((name.asc(), s::id.asc()))
                } else {
                    query.order_by((name.desc(), s::id.desc()))
                }
            }
            Sort::LikeRate | Sort::KoRate => {
                let count = if filter.sort == Sort::LikeRate {
                    "liked_count"
                } else {
                    "ko_count"
                };
                let rate = sql::<Double>(&format!(
                    "CAST(session_stats.{count} AS REAL) / max(session_stats.image_count, 1)"
                ));
                if asc {
                    query.order_by((rate.asc(), st::session_id.asc()))
                } else {
                    query.order_by((rate.desc(), st::session_id.desc()))
                }
            }
        };
        query
    }};
}

fn walks_counters(sort: Sort) -> bool {
    matches!(sort, Sort::Images | Sort::LikeRate | Sort::KoRate)
}

/// The trash rule: only an admin lists deleted sessions.
fn out_of_reach(filter: &SessionFilter, caller: Caller) -> bool {
    filter.show == Show::Deleted && !caller.sees_trash()
}

pub fn list(
    conn: &mut SqliteConnection,
    filter: &SessionFilter,
    caller: Caller,
) -> QueryResult<SessionPage> {
    if out_of_reach(filter, caller) {
        return Ok(SessionPage::default());
    }
    let me = caller.user;
    let total = super::session_totals::get_or_count(conn, filter, |conn| count(conn, filter, me))?;
    let rows: Vec<SessionRow> = if walks_counters(filter.sort) {
        // The page's ids first, from the counters' index and the sessions' flags alone; the
        // wide rows then for those 50 only, not for every row the offset skips (a deep page of
        // a sort by KO rate read four rows for each one shown).
        let page = sorted!(filter, me, s::id).page(filter.per_page, filter.offset());
        sorted!(filter, me, row_columns!())
            .filter(page.contains(s::id))
            .load(conn)?
    } else {
        sorted!(filter, me, row_columns!())
            .page(filter.per_page, filter.offset())
            .load(conn)?
    };
    let tags = tags_of(conn, &rows)?;
    Ok(SessionPage { rows, tags, total })
}

fn tags_of(
    conn: &mut SqliteConnection,
    rows: &[SessionRow],
) -> QueryResult<Vec<(SessionId, String)>> {
    let ids: Vec<SessionId> = rows.iter().map(|r| r.id).collect();
    tg::table
        .select((tg::session_id, tg::tag))
        .filter(tg::session_id.eq_any(&ids))
        .order_by((tg::session_id, tg::tag))
        .load(conn)
}

/// Up to `limit` sessions the filter keeps with an id above `after`, in id order: the API's
/// cursor pages, an index seek however deep. The total is not counted (0).
pub fn after(
    conn: &mut SqliteConnection,
    filter: &SessionFilter,
    caller: Caller,
    after: Option<SessionId>,
    limit: i64,
) -> QueryResult<SessionPage> {
    if out_of_reach(filter, caller) {
        return Ok(SessionPage::default());
    }
    let me = caller.user;
    let rows: Vec<SessionRow> = filtered!(filter, me, false)
        .select(row_columns!())
        .filter(s::id.gt(after.unwrap_or(SessionId(0))))
        .order_by(s::id.asc())
        .row_limit(limit)
        .load(conn)?;
    let tags = tags_of(conn, &rows)?;
    Ok(SessionPage {
        rows,
        tags,
        total: 0,
    })
}

/// The models and samplers in use, for the filter's select boxes (read from covering indexes).
pub fn models_and_samplers(conn: &mut SqliteConnection) -> QueryResult<(Vec<String>, Vec<String>)> {
    let models = s::table
        .select(s::model_name.assume_not_null())
        .filter(s::model_name.is_not_null())
        .distinct()
        .order_by(s::model_name)
        .load(conn)?;
    let samplers = s::table
        .select(s::sampler.assume_not_null())
        .filter(s::sampler.is_not_null())
        .distinct()
        .order_by(s::sampler)
        .load(conn)?;
    Ok((models, samplers))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use diesel::connection::SimpleConnection;

    use super::*;

    /// SQLite's plan of one page of the sessions list, binds written in.
    fn plan(conn: &mut SqliteConnection, filter: &SessionFilter) -> String {
        let query = sorted!(filter, UserId(1), row_columns!()).page(50, 200);
        let text = diesel::debug_query::<Sqlite, _>(&query).to_string();
        crate::db::query_plan::explain(conn, &text)
    }

    #[test]
    fn sorts_by_the_counters_walk_their_index_instead_of_sorting_every_session() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::open(&dir.path().join("metadata.db")).unwrap();
        let mut conn = pool.get().unwrap();
        conn.batch_execute(
            "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 3000)
             INSERT INTO sessions (folder_name, name, created_at, source, scanned_at, updated_at, is_archived)
             SELECT 'f' || k, 'n' || k, '2026-01-01', 'manifest', '2026-01-01', '2026-01-01', k % 10 = 0 FROM n;
             UPDATE session_stats SET image_count = session_id % 97, ko_count = session_id % 13;
             ANALYZE;",
        )
        .unwrap();
        for (sort, index) in [
            (Sort::Images, "session_stats_by_images"),
            (Sort::LikeRate, "session_stats_by_like_rate"),
            (Sort::KoRate, "session_stats_by_ko_rate"),
        ] {
            for ascending in [false, true] {
                let filter = SessionFilter {
                    sort,
                    ascending,
                    ..SessionFilter::default()
                };
                let plan = plan(&mut conn, &filter);
                assert!(plan.contains(index), "{sort:?}: {plan}");
                assert!(!plan.contains("TEMP B-TREE"), "{sort:?}: {plan}");
            }
        }
    }
}
