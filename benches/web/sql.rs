//! One-value queries for the checks and for choosing what to request, with parameters.

use diesel::prelude::*;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::Sqlite;

#[derive(Clone, Debug)]
pub enum Param {
    Int(i64),
    Text(String),
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Words {
    #[diesel(sql_type = Text)]
    t: String,
}

/// `sql` with `params` bound to `?1`, `?2`... in order.
pub fn query<'a>(sql: &'a str, params: &[Param]) -> BoxedSqlQuery<'a, Sqlite, SqlQuery> {
    params
        .iter()
        .fold(diesel::sql_query(sql).into_boxed(), |q, p| match p {
            Param::Int(n) => q.bind::<BigInt, _>(*n),
            Param::Text(t) => q.bind::<Text, _>(t.clone()),
        })
}

/// The value of `SELECT ... AS n` (one row, one integer).
pub fn number(conn: &mut SqliteConnection, sql: &str, params: &[Param]) -> i64 {
    query(sql, params)
        .get_result::<Number>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .n
}

/// The value of `SELECT ... AS t` (one row, one text).
pub fn text(conn: &mut SqliteConnection, sql: &str, params: &[Param]) -> String {
    query(sql, params)
        .get_result::<Words>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .t
}
