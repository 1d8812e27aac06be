//! Queries on `web_sessions`: browser sign-ins, stored by the hash of their cookie, each with
//! the token or one-time link that made it (both NULL for a password).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ids::{TokenId, UserId};
use super::models::User;
use super::row_limit::RowLimit;
use super::schema::api_tokens::dsl as t;
use super::schema::users::dsl as u;
use super::schema::web_sessions::dsl as w;

pub struct NewSignIn<'a> {
    pub id_hash: &'a str,
    pub user_id: UserId,
    /// The token that signed in; None for a password.
    pub token_id: Option<TokenId>,
    /// The one-time link that signed in; None for a token or a password.
    pub link_id: Option<i32>,
    pub csrf_token: &'a str,
    pub now: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn insert(conn: &mut SqliteConnection, sign_in: &NewSignIn<'_>) -> QueryResult<usize> {
    diesel::insert_into(w::web_sessions)
        .values((
            w::id_hash.eq(sign_in.id_hash),
            w::user_id.eq(sign_in.user_id),
            w::token_id.eq(sign_in.token_id),
            w::link_id.eq(sign_in.link_id),
            w::csrf_token.eq(sign_in.csrf_token),
            w::created_at.eq(sign_in.now),
            w::expires_at.eq(sign_in.expires_at),
        ))
        .execute(conn)
}

/// The signed-in user, the sign-in's CSRF token and its stored end, while the sign-in is not
/// revoked, its user not disabled, and the token that made it (if any) not revoked. Whether it
/// has expired is `auth::sign_in_expiry`'s to say: the wall clock alone may be wrong.
pub fn find_unrevoked(
    conn: &mut SqliteConnection,
    id_hash: &str,
) -> QueryResult<Option<(User, String, NaiveDateTime)>> {
    w::web_sessions
        .inner_join(u::users)
        .left_join(t::api_tokens.on(w::token_id.eq(t::id.nullable())))
        .filter(w::id_hash.eq(id_hash))
        .filter(w::revoked_at.is_null())
        .filter(u::is_disabled.eq(false))
        .filter(t::revoked_at.is_null())
        .select((User::as_select(), w::csrf_token, w::expires_at))
        .first_row(conn)
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

/// Signs a user out everywhere (when an admin disables them or they ask for it).
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

/// Ends the sign-ins made with one token (when it is revoked).
pub fn revoke_made_with_token(
    conn: &mut SqliteConnection,
    token: TokenId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        w::web_sessions
            .filter(w::token_id.eq(token))
            .filter(w::revoked_at.is_null()),
    )
    .set(w::revoked_at.eq(now))
    .execute(conn)
}

/// Ends a user's sign-ins made with their password (when it changes), but `keep` (the
/// browser the person changed it from).
pub fn revoke_made_with_password(
    conn: &mut SqliteConnection,
    user: UserId,
    keep: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        w::web_sessions
            .filter(w::user_id.eq(user))
            .filter(w::token_id.is_null())
            .filter(w::link_id.is_null())
            .filter(w::revoked_at.is_null())
            .filter(w::id_hash.ne(keep.unwrap_or(""))),
    )
    .set(w::revoked_at.eq(now))
    .execute(conn)
}
