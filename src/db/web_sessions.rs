//! Queries on `web_sessions`: browser sign-ins, stored by the hash of their cookie.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ids::UserId;
use super::models::User;
use super::schema::users::dsl as u;
use super::schema::web_sessions::dsl as w;

pub fn insert(
    conn: &mut SqliteConnection,
    id_hash: &str,
    user_id: UserId,
    csrf_token: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(w::web_sessions)
        .values((
            w::id_hash.eq(id_hash),
            w::user_id.eq(user_id),
            w::csrf_token.eq(csrf_token),
            w::created_at.eq(now),
            w::expires_at.eq(expires_at),
        ))
        .execute(conn)
}

/// The signed-in user and the sign-in's CSRF token, while it is neither expired nor revoked.
pub fn find_live(
    conn: &mut SqliteConnection,
    id_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<(User, String)>> {
    w::web_sessions
        .inner_join(u::users)
        .filter(w::id_hash.eq(id_hash))
        .filter(w::revoked_at.is_null())
        .filter(w::expires_at.gt(now))
        .filter(u::is_disabled.eq(false))
        .select((User::as_select(), w::csrf_token))
        .first(conn)
        .optional()
}

pub fn revoke(
    conn: &mut SqliteConnection,
    id_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(w::web_sessions.filter(w::id_hash.eq(id_hash)))
        .set(w::revoked_at.eq(now))
        .execute(conn)
}

/// Signs a user out everywhere (used when an admin disables them or they ask for it).
pub fn revoke_all_of(
    conn: &mut SqliteConnection,
    user: UserId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        w::web_sessions
            .filter(w::user_id.eq(user))
            .filter(w::revoked_at.is_null()),
    )
    .set(w::revoked_at.eq(now))
    .execute(conn)
}
