//! The queries the pages will need, as they can be anticipated, with SQLite's plan and time on
//! the million-image database: a full scan of `images` or a sort of many rows shows here
//! long before it shows in a page's p99.

use std::time::Instant;

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::picks::{Picks, SEARCH_WORD};
use super::sql::{self, Param};

#[derive(QueryableByName)]
struct PlanRow {
    #[diesel(sql_type = Text)]
    detail: String,
}

const ACTIVE: &str = "s.is_deleted = 0 AND s.is_archived = 0 AND s.is_test = 0 AND s.is_failed = 0";

pub fn print(conn: &mut SqliteConnection, picks: &Picks) {
    let model = || Param::Text(picks.model.clone());
    let word = || Param::Text(SEARCH_WORD.to_owned());
    let sessions = |filter: &str, order: &str| {
        format!(
            "SELECT s.*, st.* FROM sessions s JOIN session_stats st ON st.session_id = s.id
             WHERE {ACTIVE} {filter} ORDER BY {order} LIMIT 50 OFFSET 100"
        )
    };
    let gallery = |filter: &str, order: &str| {
        format!(
            "SELECT * FROM images WHERE session_id = ?1 AND is_deleted = 0 AND on_disk = 1
             {filter} ORDER BY {order} LIMIT 100 OFFSET 1000"
        )
    };
    let search_in = "SELECT * FROM images i WHERE i.is_deleted = 0 AND
         (i.prompt_id IN (SELECT rowid FROM prompts_fts WHERE prompts_fts MATCH ?1)
          OR i.negative_prompt_id IN (SELECT rowid FROM prompts_fts WHERE prompts_fts MATCH ?1))
         ORDER BY i.id LIMIT 100";
    let big = || Param::Int(picks.big_session);
    let probes: Vec<(&str, String, Vec<Param>)> = vec![
        ("sessions: active, one model, by date, page 3",
         sessions("AND s.model_name = ?1", "s.created_at DESC, s.id DESC"), vec![model()]),
        ("sessions: the pager's count, same filter",
         format!("SELECT count(*) FROM sessions s WHERE {ACTIVE} AND s.model_name = ?1"), vec![model()]),
        ("sessions: active, by date", sessions("", "s.created_at DESC, s.id DESC"), vec![]),
        ("sessions: active, by like rate",
         sessions("", "CAST(st.liked_count AS REAL) / max(st.image_count, 1) DESC, s.id"), vec![]),
        ("sessions: one tag, by date",
         sessions("AND s.id IN (SELECT session_id FROM session_tags WHERE tag = ?1)", "s.created_at DESC"),
         vec![Param::Text("keeper".to_owned())]),
        ("sessions: with images not rated by me",
         sessions("AND st.image_count > coalesce((SELECT rated_count FROM user_session_stats u
                   WHERE u.user_id = ?1 AND u.session_id = s.id), 0)", "s.created_at DESC"),
         vec![Param::Int(picks.reviewer)]),
        ("gallery: big session by file name, page 11", gallery("", "filename"), vec![big()]),
        ("gallery: big session by rating",
         gallery("", "like_count DESC, perfect_count DESC, id"), vec![big()]),
        ("gallery: big session, not rated by me",
         gallery("AND NOT EXISTS (SELECT 1 FROM judgements j WHERE j.image_id = images.id
                  AND j.user_id = ?2)", "filename"), vec![big(), Param::Int(picks.reviewer)]),
        ("gallery: big session, one placeholder value",
         gallery("AND id IN (SELECT image_id FROM image_variations WHERE variation_id = ?2)", "filename"),
         vec![big(), Param::Int(1)]),
        ("search: images IN (FTS) OR negative IN (FTS), by id", search_in.to_owned(), vec![word()]),
        ("search: the same for a word found nowhere", search_in.to_owned(),
         vec![Param::Text("nowhereword".to_owned())]),
        ("search: FTS JOIN images, by id",
         "SELECT i.* FROM prompts_fts JOIN images i ON i.prompt_id = prompts_fts.rowid
          WHERE prompts_fts MATCH ?1 AND i.is_deleted = 0 ORDER BY i.id LIMIT 100".to_owned(), vec![word()]),
        ("search: FTS JOIN images, a word in 19 % of prompts",
         "SELECT i.* FROM prompts_fts JOIN images i ON i.prompt_id = prompts_fts.rowid
          WHERE prompts_fts MATCH ?1 AND i.is_deleted = 0 ORDER BY i.id LIMIT 100".to_owned(),
         vec![Param::Text("masterpiece".to_owned())]),
        ("image page: next image in its session",
         "SELECT id FROM images WHERE session_id = ?1 AND filename > '00042.png' AND is_deleted = 0
          ORDER BY filename LIMIT 1".to_owned(), vec![Param::Int(picks.session)]),
        ("image page: every rater's verdict",
         "SELECT j.*, u.name FROM judgements j JOIN users u ON u.id = j.user_id WHERE j.image_id = ?1"
             .to_owned(), vec![Param::Int(picks.image)]),
        ("trash: deleted images, newest first",
         "SELECT * FROM images WHERE is_deleted = 1 ORDER BY updated_at DESC LIMIT 50".to_owned(), vec![]),
        ("filters: tags in use with counts",
         "SELECT tag, count(*) FROM session_tags GROUP BY tag ORDER BY tag".to_owned(), vec![]),
    ];
    println!("\nquery plans on the benchmark database (median of 3 runs):");
    for (label, query, params) in &probes {
        let millis = time(conn, query, params);
        let plan: Vec<PlanRow> = sql::query(&format!("EXPLAIN QUERY PLAN {query}"), params)
            .load(conn)
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        let slow = plan.iter().any(|r| is_slow(&r.detail));
        println!(
            "  {label:<52} {millis:>8.2} ms{}",
            if slow { "  <- scan or sort" } else { "" }
        );
        for row in &plan {
            println!("      {}", row.detail);
        }
    }
}

/// A scan of a whole big table, or a sort (a temporary B-tree) not served by an index.
fn is_slow(detail: &str) -> bool {
    let scan = detail.starts_with("SCAN")
        && !detail.contains("USING")
        && !detail.contains("VIRTUAL")
        && !detail.contains("CONSTANT");
    let sort = detail.starts_with("USE TEMP B-TREE");
    scan || sort
}

/// Runs the query and reads every row (as a count over it, which keeps its ORDER BY and LIMIT).
fn time(conn: &mut SqliteConnection, query: &str, params: &[Param]) -> f64 {
    let wrapped = format!("SELECT count(*) AS n FROM ({query})");
    let mut times: Vec<f64> = (0..3)
        .map(|_| {
            let started = Instant::now();
            sql::number(conn, &wrapped, params);
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[1]
}
