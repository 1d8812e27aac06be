//! For tests that check SQLite's plan of a query the code builds: the plan as one line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::prelude::*;
use diesel::sql_types::Text;

#[derive(QueryableByName)]
struct Step {
    #[diesel(sql_type = Text)]
    detail: String,
}

/// The plan of a query as `diesel::debug_query` prints it ("SELECT ... -- binds: [..]"), its
/// binds written in: booleans as 1 and 0, typed ids (`UserId(1)`) as their number.
pub fn explain(conn: &mut SqliteConnection, debug: &str) -> String {
    let (sql, binds) = debug.split_once(" -- binds: ").unwrap();
    let mut binds = binds
        .trim_matches(|c| c == '[' || c == ']')
        .split(", ")
        .map(|b| match b {
            "true" => "1".to_owned(),
            "false" => "0".to_owned(),
            other => other
                .split_once('(')
                .map_or(other, |(_, inner)| inner.trim_end_matches(')'))
                .to_owned(),
        });
    let sql: String = sql
        .split('?')
        .enumerate()
        .map(|(at, part)| match at {
            0 => part.to_owned(),
            _ => format!("{}{part}", binds.next().unwrap()),
        })
        .collect();
    diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
        .load::<Step>(conn)
        .unwrap()
        .into_iter()
        .map(|s| s.detail)
        .collect::<Vec<_>>()
        .join(" | ")
}
