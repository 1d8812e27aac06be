//! Images people judged OK (some rater said OK, nobody KO), outside the trash: what the
//! recommendations offer as prompts that worked. Read here: the best rated of a model's, those
//! whose prompt holds a word, and the settings and placeholder values to show with them.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text};

use super::caller::Caller;
use super::gallery_narrow::by_session_facts;
use super::row_limit::RowLimit;
use super::schema::images::dsl as i;
use super::schema::sessions::dsl as s;
use crate::domain::gallery_filter::SessionFacts;

/// A judged-OK image, best rated first: (image id, prompt id).
pub fn best_rated(
    conn: &mut SqliteConnection,
    facts: &SessionFacts,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<(i32, Option<i32>)>> {
    let live = s::sessions.filter(s::is_deleted.eq(false)).select(s::id);
    by_session_facts(i::images.into_boxed(), facts)
        .filter(i::on_disk.eq(true))
        .filter(i::is_deleted.eq(false))
        .filter(i::session_id.eq_any(live))
        .filter(i::ok_count.gt(0))
        .filter(i::ko_count.eq(0))
        .order((
            i::like_count.desc(),
            i::perfect_count.desc(),
            i::ok_count.desc(),
            i::id.asc(),
        ))
        .select((i::id, i::prompt_id))
        .page(limit, offset)
        .load(conn)
}

#[derive(QueryableByName)]
struct IdPrompt {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Integer)]
    prompt_id: i32,
}

/// Up to `limit` judged-OK images (id, prompt id) that `caller` may see, whose prompt matches
/// `fts` (an FTS5 expression), other than `except`.
pub fn matching(
    conn: &mut SqliteConnection,
    caller: Caller,
    fts: &str,
    except: i32,
    limit: i64,
) -> QueryResult<Vec<(i32, i32)>> {
    let trash = if caller.sees_trash() {
        ""
    } else {
        "AND i.is_deleted = 0 AND i.session_id NOT IN (SELECT id FROM sessions WHERE is_deleted = 1)"
    };
    let rows: Vec<IdPrompt> = diesel::sql_query(format!(
        "SELECT i.id, i.prompt_id FROM images i
         WHERE i.prompt_id IN (SELECT rowid FROM prompts_fts WHERE prompts_fts MATCH ?1)
           AND i.on_disk = 1 AND i.ok_count > 0 AND i.ko_count = 0 AND i.id <> ?2 {trash}
         LIMIT ?3"
    ))
    .bind::<Text, _>(fts)
    .bind::<Integer, _>(except)
    .bind::<BigInt, _>(limit)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.id, r.prompt_id)).collect())
}

/// How many prompt texts match `fts`, counting no further than `cap` (a word in every prompt
/// would otherwise cost a walk of the whole index).
pub fn texts_matching(conn: &mut SqliteConnection, fts: &str, cap: i64) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    diesel::sql_query(
        "SELECT count(*) AS n FROM (SELECT 1 FROM prompts_fts WHERE prompts_fts MATCH ?1 LIMIT ?2)",
    )
    .bind::<Text, _>(fts)
    .bind::<BigInt, _>(cap)
    .get_result::<Count>(conn)
    .map(|c| c.n)
}

/// The number of prompt texts (the highest id: texts are never deleted but by a purge, which
/// this estimate can bear).
pub fn text_count(conn: &mut SqliteConnection) -> QueryResult<i64> {
    use super::schema::prompt_texts::dsl as p;
    p::prompt_texts
        .select(diesel::dsl::max(p::id))
        .first_row::<Option<i32>>(conn)
        .map(|max| i64::from(max.unwrap_or(0)))
}

pub fn texts(conn: &mut SqliteConnection, ids: &[i32]) -> QueryResult<HashMap<i32, String>> {
    use super::schema::prompt_texts::dsl as p;
    let mut found = HashMap::new();
    for chunk in ids.chunks(500) {
        found.extend(
            p::prompt_texts
                .filter(p::id.eq_any(chunk))
                .select((p::id, p::text))
                .load::<(i32, String)>(conn)?,
        );
    }
    Ok(found)
}

/// Each image's placeholder values, (placeholder, value) in placeholder order.
pub fn values(
    conn: &mut SqliteConnection,
    ids: &[i32],
) -> QueryResult<HashMap<i32, Vec<(String, String)>>> {
    use super::schema::image_variations::dsl as iv;
    use super::schema::variations::dsl as v;
    let mut found: HashMap<i32, Vec<(String, String)>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i32, String, String)> = iv::image_variations
            .inner_join(v::variations.on(v::id.eq(iv::variation_id)))
            .filter(iv::image_id.eq_any(chunk))
            .order((iv::image_id, v::placeholder))
            .select((iv::image_id, v::placeholder, v::value))
            .load(conn)?;
        for (image, placeholder, value) in rows {
            found.entry(image).or_default().push((placeholder, value));
        }
    }
    Ok(found)
}

/// What a generator needs to make an image again: the session's settings and the image's seed.
#[derive(Debug, Clone, QueryableByName)]
pub struct Settings {
    #[diesel(sql_type = Integer)]
    pub id: i32,
    #[diesel(sql_type = Nullable<Text>)]
    pub model: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub sampler: Option<String>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub steps: Option<i32>,
    #[diesel(sql_type = Nullable<Double>)]
    pub cfg: Option<f64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub seed: Option<i64>,
    #[diesel(sql_type = Integer)]
    pub likes: i32,
}

pub fn settings(conn: &mut SqliteConnection, ids: &[i32]) -> QueryResult<HashMap<i32, Settings>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(500) {
        let list = chunk
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let rows: Vec<Settings> = diesel::sql_query(format!(
            "SELECT i.id, s.model_name AS model, s.sampler, s.steps, s.cfg_scale AS cfg, i.seed,
                    i.like_count AS likes
             FROM images i JOIN sessions s ON s.id = i.session_id WHERE i.id IN ({list})"
        ))
        .load(conn)?;
        found.extend(rows.into_iter().map(|r| (r.id, r)));
    }
    Ok(found)
}
