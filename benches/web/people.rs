//! What people added on top of the import: tags, stars (set with the sessions), three users
//! and their judgements. Judgements go in through the real triggers, which keep the counters.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use sdreview::auth::token::Token;
use sdreview::db::ids::UserId;
use sdreview::db::models::{NewApiToken, NewUser};
use sdreview::db::users;

use super::words::{self, list};

pub const ROLES: [&str; 3] = ["admin", "reviewer", "viewer"];

/// 15 % of the sessions get a tag, 5 % a second one.
pub fn tags(conn: &mut SqliteConnection) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT OR IGNORE INTO session_tags (session_id, tag)
         SELECT id, (?1 ->> ((h >> 4) % 12)) FROM
             (SELECT id, (id * 2654435761) % 4294967296 AS h FROM sessions) WHERE (h >> 25) % 100 < 15
         UNION ALL
         SELECT id, (?1 ->> ((h >> 8) % 12)) FROM
             (SELECT id, (id * 2654435761) % 4294967296 AS h FROM sessions) WHERE (h >> 25) % 100 < 5",
    )
    .bind::<Text, _>(serde_json::to_string(&list(words::TAGS)).unwrap())
    .execute(conn)
}

/// Users named after their role.
pub fn users(conn: &mut SqliteConnection) -> QueryResult<Vec<UserId>> {
    let now = sdreview::db::now();
    ROLES
        .iter()
        .map(|role| {
            users::insert(
                conn,
                &NewUser {
                    name: role,
                    role,
                    created_at: now,
                    updated_at: now,
                },
            )
            .map(|u| u.id)
        })
        .collect()
}

/// About 210,000 judgements: the reviewer went through every eighth session, the admin
/// through half of those images again, the viewer (a former reviewer) through 1 in 40.
pub fn judgements(conn: &mut SqliteConnection, ids: &[UserId]) -> QueryResult<usize> {
    let selectors = [
        "session_id % 8 = 1 AND id % 2 = 0",
        "session_id % 8 = 1",
        "session_id % 40 = 3",
    ];
    let mut total = 0;
    for (salt, (user, selector)) in ids.iter().zip(selectors).enumerate() {
        // The selector is one of the constants above, never outside input.
        let sql = format!(
            "INSERT INTO judgements (image_id, user_id, quality, liked, status, failure_category,
                 created_at, updated_at)
             SELECT id, ?1,
                 CASE WHEN r % 10 < 2 THEN 'perfect' WHEN r % 10 < 5 THEN 'imperfect' END,
                 r % 7 = 0,
                 CASE WHEN r % 10 >= 8 THEN 'ko' WHEN r % 10 >= 5 THEN 'ok' END,
                 CASE WHEN r % 10 >= 8 THEN (?2 ->> (r % 4)) END,
                 datetime(created_at, '+' || (r % 30) || ' days'),
                 datetime(created_at, '+' || (r % 30) || ' days')
             FROM (SELECT id, created_at, ((id + ?3) * 2654435761) % 4294967296 AS r
                   FROM images WHERE broken IS NULL AND {selector})"
        );
        total += diesel::sql_query(sql)
            .bind::<Integer, _>(user.0)
            .bind::<Text, _>(r#"["malformed","noise","incomplete","off_prompt"]"#)
            .bind::<BigInt, _>(salt as i64 * 7919)
            .execute(conn)?;
    }
    Ok(total)
}

/// A fresh sign-in token for `name` (the database is reused between runs; tokens are not).
pub fn token_for(conn: &mut SqliteConnection, name: &str) -> String {
    let user = users::find_by_name(conn, name).unwrap().unwrap();
    let token = Token::generate();
    users::insert_token(
        conn,
        &NewApiToken {
            user_id: user.id,
            label: "web benchmark",
            lookup: &token.lookup,
            secret_hash: &token.secret_hash(),
            created_at: sdreview::db::now(),
        },
    )
    .unwrap();
    token.reveal()
}
