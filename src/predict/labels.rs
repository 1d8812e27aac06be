//! What people said, as the predictor learns it: an image is **judged** when some rater gave
//! it OK or KO, and **KO** when any rater called it KO (the statistics page's rule); it is in a
//! failure category when some rater filed their KO under it. Each judged image carries the
//! time of its latest judgement, for the time split.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer, Text, Timestamp};

#[derive(Debug, Clone, QueryableByName)]
pub struct Judged {
    #[diesel(sql_type = Integer)]
    pub image_id: i32,
    #[diesel(sql_type = Bool)]
    pub ko: bool,
    #[diesel(sql_type = Timestamp)]
    pub judged_at: chrono::NaiveDateTime,
}

#[derive(QueryableByName)]
struct Filed {
    #[diesel(sql_type = Integer)]
    image_id: i32,
    #[diesel(sql_type = Text)]
    category: String,
}

/// Every judged image the predictor may learn from (on disk, readable, outside the trash),
/// oldest judgement first.
pub fn judged(conn: &mut SqliteConnection) -> QueryResult<Vec<Judged>> {
    diesel::sql_query(
        "SELECT i.id AS image_id, i.ko_count > 0 AS ko, max(j.updated_at) AS judged_at
         FROM images i JOIN sessions s ON s.id = i.session_id
         JOIN judgements j ON j.image_id = i.id AND j.status IS NOT NULL
         WHERE (i.ok_count > 0 OR i.ko_count > 0)
           AND i.on_disk AND i.broken IS NULL AND NOT i.is_deleted AND NOT s.is_deleted
         GROUP BY i.id ORDER BY judged_at, i.id",
    )
    .load(conn)
}

/// The failure categories each KO image was filed under.
pub fn categories(conn: &mut SqliteConnection) -> QueryResult<HashMap<i32, Vec<String>>> {
    let rows: Vec<Filed> = diesel::sql_query(
        "SELECT DISTINCT image_id, failure_category AS category FROM judgements
         WHERE status = 'ko' AND failure_category IS NOT NULL",
    )
    .load(conn)?;
    let mut filed: HashMap<i32, Vec<String>> = HashMap::new();
    for row in rows {
        filed.entry(row.image_id).or_default().push(row.category);
    }
    Ok(filed)
}

/// How many judgements there are now: the background retrains when this grows enough.
pub fn judgement_count(conn: &mut SqliteConnection) -> QueryResult<i64> {
    use crate::db::schema::judgements::dsl as j;
    j::judgements
        .filter(j::status.is_not_null())
        .count()
        .get_result(conn)
}
