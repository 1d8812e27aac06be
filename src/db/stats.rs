//! Library statistics: totals, judgements, and breakdowns per model and per sampler.
//! Soft-deleted sessions and images are left out (they are in the trash) and counted apart.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct Totals {
    #[diesel(sql_type = BigInt)]
    pub sessions: i64,
    #[diesel(sql_type = BigInt)]
    pub test_sessions: i64,
    #[diesel(sql_type = BigInt)]
    pub failed_sessions: i64,
    #[diesel(sql_type = BigInt)]
    pub archived_sessions: i64,
    #[diesel(sql_type = BigInt)]
    pub sessions_in_trash: i64,
    #[diesel(sql_type = BigInt)]
    pub images: i64,
    #[diesel(sql_type = BigInt)]
    pub broken_images: i64,
    #[diesel(sql_type = BigInt)]
    pub images_in_trash: i64,
    #[diesel(sql_type = BigInt)]
    pub rated: i64,
    #[diesel(sql_type = BigInt)]
    pub unrated: i64,
    #[diesel(sql_type = BigInt)]
    pub liked: i64,
    #[diesel(sql_type = BigInt)]
    pub perfect: i64,
    #[diesel(sql_type = BigInt)]
    pub imperfect: i64,
    #[diesel(sql_type = BigInt)]
    pub ok: i64,
    #[diesel(sql_type = BigInt)]
    pub ko: i64,
}

#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct Group {
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = BigInt)]
    pub sessions: i64,
    #[diesel(sql_type = BigInt)]
    pub images: i64,
    #[diesel(sql_type = BigInt)]
    pub rated: i64,
    #[diesel(sql_type = BigInt)]
    pub liked: i64,
    #[diesel(sql_type = BigInt)]
    pub ko: i64,
}

#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct CategoryCount {
    #[diesel(sql_type = Text)]
    pub category: String,
    #[diesel(sql_type = Text)]
    pub label: String,
    #[diesel(sql_type = BigInt)]
    pub images: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LibraryStats {
    pub totals: Totals,
    pub ko_by_category: Vec<CategoryCount>,
    pub by_model: Vec<Group>,
    pub by_sampler: Vec<Group>,
}

/// Live images (not deleted, in a live session) with one flag per kind of verdict.
const LIVE_IMAGES: &str = "
    WITH live AS (
        SELECT i.id, i.session_id, i.broken,
            EXISTS (SELECT 1 FROM judgements j WHERE j.image_id = i.id
                    AND (j.quality IS NOT NULL OR j.status IS NOT NULL OR j.liked)) AS rated,
            EXISTS (SELECT 1 FROM judgements j WHERE j.image_id = i.id AND j.liked) AS liked,
            EXISTS (SELECT 1 FROM judgements j WHERE j.image_id = i.id AND j.quality = 'perfect') AS perfect,
            EXISTS (SELECT 1 FROM judgements j WHERE j.image_id = i.id AND j.quality = 'imperfect') AS imperfect,
            EXISTS (SELECT 1 FROM judgements j WHERE j.image_id = i.id AND j.status = 'ok') AS ok,
            EXISTS (SELECT 1 FROM judgements j WHERE j.image_id = i.id AND j.status = 'ko') AS ko
        FROM images i JOIN sessions s ON s.id = i.session_id
        WHERE NOT i.is_deleted AND NOT s.is_deleted
    )";

pub fn library_stats(conn: &mut SqliteConnection) -> QueryResult<LibraryStats> {
    let totals = diesel::sql_query(format!(
        "{LIVE_IMAGES}
        SELECT
            (SELECT count(*) FROM sessions WHERE NOT is_deleted) AS sessions,
            (SELECT count(*) FROM sessions WHERE NOT is_deleted AND is_test) AS test_sessions,
            (SELECT count(*) FROM sessions WHERE NOT is_deleted AND is_failed) AS failed_sessions,
            (SELECT count(*) FROM sessions WHERE NOT is_deleted AND is_archived) AS archived_sessions,
            (SELECT count(*) FROM sessions WHERE is_deleted) AS sessions_in_trash,
            (SELECT count(*) FROM live) AS images,
            (SELECT count(*) FROM live WHERE broken IS NOT NULL) AS broken_images,
            (SELECT count(*) FROM images WHERE is_deleted) AS images_in_trash,
            (SELECT count(*) FROM live WHERE rated) AS rated,
            (SELECT count(*) FROM live WHERE NOT rated) AS unrated,
            (SELECT count(*) FROM live WHERE liked) AS liked,
            (SELECT count(*) FROM live WHERE perfect) AS perfect,
            (SELECT count(*) FROM live WHERE imperfect) AS imperfect,
            (SELECT count(*) FROM live WHERE ok) AS ok,
            (SELECT count(*) FROM live WHERE ko) AS ko"
    ))
    .get_result(conn)?;
    let ko_by_category = diesel::sql_query(format!(
        "{LIVE_IMAGES}
        SELECT c.name AS category, c.label AS label,
               (SELECT count(DISTINCT j.image_id) FROM judgements j JOIN live ON live.id = j.image_id
                 WHERE j.status = 'ko' AND j.failure_category = c.name) AS images
        FROM failure_categories c ORDER BY c.position"
    ))
    .load(conn)?;
    Ok(LibraryStats {
        totals,
        ko_by_category,
        by_model: grouped(conn, GroupBy::Model)?,
        by_sampler: grouped(conn, GroupBy::Sampler)?,
    })
}

#[derive(Clone, Copy)]
enum GroupBy {
    Model,
    Sampler,
}

fn grouped(conn: &mut SqliteConnection, by: GroupBy) -> QueryResult<Vec<Group>> {
    // A fixed column name chosen here, never text from a request.
    let column = match by {
        GroupBy::Model => "s.model_name",
        GroupBy::Sampler => "s.sampler",
    };
    diesel::sql_query(format!(
        "{LIVE_IMAGES}
        SELECT coalesce({column}, '(unknown)') AS name,
               count(DISTINCT s.id) AS sessions, count(live.id) AS images,
               coalesce(sum(live.rated), 0) AS rated, coalesce(sum(live.liked), 0) AS liked,
               coalesce(sum(live.ko), 0) AS ko
        FROM sessions s LEFT JOIN live ON live.session_id = s.id
        WHERE NOT s.is_deleted
        GROUP BY 1 ORDER BY images DESC, name"
    ))
    .load(conn)
}
