//! `LIMIT` written into the SQL instead of bound. SQLite (3.47 on) reads a bound LIMIT's value
//! while planning and marks the statement to be prepared again whenever that parameter is
//! bound, and diesel binds it on every run: each `.first()` and `.limit()` was compiled anew
//! every time, kept statement or not (a tenth of a rating's time, inside its write turn). With
//! the number in the text, the statement is kept and reused like any other; the few limits in
//! use make few texts. OFFSET stays bound: SQLite does not plan on it.

use diesel::expression::{AppearsOnTable, Expression, ValidGrouping, is_aggregate};
use diesel::prelude::*;
use diesel::query_builder::{AsQuery, AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Bool};
use diesel::sqlite::Sqlite;

/// `query` with `LIMIT n` (and `OFFSET ?` when it skips rows).
#[derive(Debug, Clone, Copy)]
pub struct Limited<Q> {
    query: Q,
    limit: i64,
    offset: i64,
}

/// `.row_limit(n)`, `.page(n, skip)` and `.first_row(conn)` on any query without a LIMIT.
pub trait RowLimit: AsQuery + Sized {
    /// At most `limit` rows.
    fn row_limit(self, limit: i64) -> Limited<Self::Query> {
        self.page(limit, 0)
    }

    /// At most `limit` rows after the first `offset`.
    fn page(self, limit: i64, offset: i64) -> Limited<Self::Query> {
        Limited {
            query: self.as_query(),
            limit,
            offset,
        }
    }

    /// The first row, as diesel's `.first()` gives it, from a statement that is kept.
    fn first_row<'query, U>(self, conn: &mut SqliteConnection) -> QueryResult<U>
    where
        Limited<Self::Query>: diesel::query_dsl::LoadQuery<'query, SqliteConnection, U>,
    {
        self.row_limit(1).get_result(conn)
    }
}

impl<Q: AsQuery> RowLimit for Q {}

impl<Q> Limited<Q> {
    /// `column IN (this query)`, as a filter: a page's ids found by a narrow query, so that a
    /// wide query reads its rows for that page alone.
    pub fn contains<C>(self, column: C) -> InPage<C, Q> {
        InPage { column, page: self }
    }
}

/// `column IN (page)`.
#[derive(Debug, Clone, Copy)]
pub struct InPage<C, Q> {
    column: C,
    page: Limited<Q>,
}

impl<C, Q> Expression for InPage<C, Q> {
    type SqlType = Bool;
}

impl<C, Q, From> AppearsOnTable<From> for InPage<C, Q> where C: AppearsOnTable<From> {}

impl<C, Q, GroupBy> ValidGrouping<GroupBy> for InPage<C, Q> {
    type IsAggregate = is_aggregate::Never;
}

impl<C, Q> QueryId for InPage<C, Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C: QueryFragment<Sqlite>, Q: QueryFragment<Sqlite>> QueryFragment<Sqlite> for InPage<C, Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (");
        self.page.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}

impl<Q: Query> Query for Limited<Q> {
    type SqlType = Q::SqlType;
}

// Kept by its SQL text (which holds the limit), not by its type.
impl<Q> QueryId for Limited<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q> RunQueryDsl<SqliteConnection> for Limited<Q> {}

impl<Q: QueryFragment<Sqlite>> QueryFragment<Sqlite> for Limited<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.query.walk_ast(out.reborrow())?;
        // A number, never text from outside: nothing to escape.
        out.push_sql(&format!(" LIMIT {}", self.limit));
        if self.offset != 0 {
            out.push_sql(" OFFSET ");
            out.push_bind_param::<BigInt, _>(&self.offset)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use diesel::connection::SimpleConnection;
    use diesel::sql_types::Integer;

    use super::*;

    diesel::table! {
        numbers (n) {
            n -> Integer,
        }
    }

    fn counted() -> SqliteConnection {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        conn.batch_execute(
            "CREATE TABLE numbers (n INTEGER PRIMARY KEY);
             WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 20)
             INSERT INTO numbers SELECT n FROM c;",
        )
        .unwrap();
        conn
    }

    #[test]
    fn limits_and_pages_read_the_rows_diesels_own_would() {
        let mut conn = counted();
        let page: Vec<i32> = numbers::table
            .select(numbers::n)
            .order_by(numbers::n)
            .page(5, 10)
            .load(&mut conn)
            .unwrap();
        assert_eq!(page, vec![11, 12, 13, 14, 15]);
        let boxed: Vec<i32> = numbers::table
            .select(numbers::n)
            .filter(numbers::n.gt(17))
            .into_boxed()
            .row_limit(10)
            .load(&mut conn)
            .unwrap();
        assert_eq!(boxed, vec![18, 19, 20]);
        let first: i32 = numbers::table
            .select(numbers::n)
            .order_by(numbers::n.desc())
            .first_row(&mut conn)
            .unwrap();
        assert_eq!(first, 20);
        let none: Option<i32> = numbers::table
            .select(numbers::n)
            .filter(numbers::n.gt(20))
            .first_row(&mut conn)
            .optional()
            .unwrap();
        assert_eq!(none, None);
    }

    #[test]
    fn a_page_of_ids_filters_a_wider_query_to_that_page() {
        let mut conn = counted();
        let page = numbers::table
            .select(numbers::n)
            .order_by(numbers::n.desc())
            .into_boxed()
            .page(3, 2);
        let rows: Vec<i32> = numbers::table
            .select(numbers::n)
            .filter(page.contains(numbers::n))
            .order_by(numbers::n.desc())
            .load(&mut conn)
            .unwrap();
        assert_eq!(rows, vec![18, 17, 16]);
    }

    #[test]
    fn the_limit_is_in_the_text_and_the_offset_bound() {
        let query = numbers::table.select(numbers::n).page(7, 3);
        let sql = diesel::debug_query::<Sqlite, _>(&query).to_string();
        assert!(sql.contains("LIMIT 7 OFFSET ?"), "{sql}");
        let sql = diesel::debug_query::<Sqlite, _>(&numbers::table.row_limit(2)).to_string();
        assert!(sql.ends_with("LIMIT 2 -- binds: []"), "{sql}");
        let _: Option<i32> = diesel::select(diesel::dsl::sql::<Integer>("1"))
            .first_row(&mut counted())
            .optional()
            .unwrap();
    }
}
