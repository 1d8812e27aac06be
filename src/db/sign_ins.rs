//! Browser sign-ins as the admin page shows them: who is signed in, on which browser, last
//! seen when; and ending one of them. A sign-in is named by the start of its stored hash,
//! which says nothing of the cookie itself.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ids::{TokenId, UserId};
use super::row_limit::RowLimit;
use super::schema::users::dsl as u;
use super::schema::web_sessions::dsl as w;

/// Characters of the stored hash that name a sign-in: 48 bits, unique among a household's.
pub const DEVICE_ID_LEN: usize = 12;

#[derive(Debug, Clone, Queryable)]
pub struct SignIn {
    pub id_hash: String,
    pub user_id: UserId,
    pub user: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: Option<NaiveDateTime>,
    pub user_agent: Option<String>,
    /// The address it signed in from (None for sign-ins made before it was kept).
    pub address: Option<String>,
}

impl SignIn {
    pub fn device_id(&self) -> &str {
        self.id_hash.get(..DEVICE_ID_LEN).unwrap_or(&self.id_hash)
    }
}

/// Sign-ins neither expired nor ended, most recently used first; of one user when given.
pub fn live(
    conn: &mut SqliteConnection,
    user: Option<UserId>,
    now: NaiveDateTime,
) -> QueryResult<Vec<SignIn>> {
    let mut query = w::web_sessions
        .inner_join(u::users)
        .filter(w::revoked_at.is_null())
        .filter(w::expires_at.gt(now))
        .select((
            w::id_hash,
            w::user_id,
            u::name,
            w::created_at,
            w::last_seen_at,
            w::user_agent,
            w::address,
        ))
        .into_boxed();
    if let Some(user) = user {
        query = query.filter(w::user_id.eq(user));
    }
    query
        .order((w::last_seen_at.desc(), w::created_at.desc()))
        .load(conn)
}

/// Ends the sign-in named by `device_id` (see [`DEVICE_ID_LEN`]); returns its full hash.
pub fn end(
    conn: &mut SqliteConnection,
    device_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<String>> {
    if device_id.len() != DEVICE_ID_LEN || !device_id.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let found: Option<String> = w::web_sessions
        .filter(w::id_hash.like(format!("{device_id}%")))
        .filter(w::revoked_at.is_null())
        .select(w::id_hash)
        .first_row(conn)
        .optional()?;
    if let Some(hash) = &found {
        super::web_sessions::revoke(conn, hash, now)?;
    }
    Ok(found)
}

/// Remembers the browser a sign-in was made from.
pub fn describe(
    conn: &mut SqliteConnection,
    id_hash: &str,
    user_agent: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let agent: String = user_agent.chars().take(300).collect();
    diesel::update(w::web_sessions.find(id_hash))
        .set((w::user_agent.eq(agent), w::last_seen_at.eq(now)))
        .execute(conn)
}

/// Remembers the address a sign-in was made from (as `web::proxy::client_address` reads it).
pub fn note_address(
    conn: &mut SqliteConnection,
    id_hash: &str,
    address: &str,
) -> QueryResult<usize> {
    diesel::update(w::web_sessions.find(id_hash))
        .set(w::address.eq(address))
        .execute(conn)
}

/// The token a sign-in was made with (None for a password, or no such live sign-in).
pub fn token_of(conn: &mut SqliteConnection, id_hash: &str) -> QueryResult<Option<TokenId>> {
    Ok(w::web_sessions
        .find(id_hash)
        .filter(w::revoked_at.is_null())
        .select(w::token_id)
        .first_row::<Option<TokenId>>(conn)
        .optional()?
        .flatten())
}

/// Notes that a sign-in was used and moves its end to a lifetime from now, at most once a
/// minute (a write per request would be too many). A last use stored in the future (the clock
/// was put back since) counts as old, so the end follows the corrected clock.
pub fn seen(conn: &mut SqliteConnection, id_hash: &str, now: NaiveDateTime) -> QueryResult<usize> {
    let a_minute_ago = now - chrono::Duration::minutes(1);
    diesel::update(
        w::web_sessions.find(id_hash).filter(
            w::last_seen_at
                .is_null()
                .or(w::last_seen_at.lt(a_minute_ago))
                .or(w::last_seen_at.gt(now)),
        ),
    )
    .set((
        w::last_seen_at.eq(now),
        w::expires_at.eq(crate::auth::sign_in_expiry::expires_at(now)),
    ))
    .execute(conn)
}
