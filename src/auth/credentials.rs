//! Checking a user name with a token or a password. argon2 runs only for a password (at
//! sign-in, on a blocking thread) and, once per token, for a token issued before tokens were
//! stored as SHA-256. A token, known or not, costs one indexed lookup and one SHA-256.

use std::sync::LazyLock;

use chrono::Duration;
use diesel::SqliteConnection;

use crate::auth::{password, token::Token, token::is_legacy_hash};
use crate::db::ids::TokenId;
use crate::db::models::User;
use crate::db::users;
use crate::domain::user_name;
use crate::error::AppResult;

/// Verified when the user does not exist, so the time taken does not reveal who does.
static DUMMY_HASH: LazyLock<Option<String>> =
    LazyLock::new(|| password::hash("sdreview dummy secret").ok());

/// `last_used_at` is a hint for `token list`; writing it more often would add a write to
/// every few seconds of a script's requests.
const LAST_USED_PRECISION: Duration = Duration::minutes(1);

fn burn_time(secret: &str) {
    if let Some(dummy) = DUMMY_HASH.as_deref() {
        let _ = password::verify(secret, dummy);
    }
}

/// Who a credential belongs to, and which credential it was: a browser sign-in made with a
/// token ends when that token is revoked, one made with a password when the password changes.
#[derive(Debug, Clone)]
pub struct Verified {
    pub user: User,
    /// None for a password.
    pub token: Option<TokenId>,
}

/// The user, when `secret` is one of their live tokens or their password.
pub fn verify_sign_in(
    conn: &mut SqliteConnection,
    name: &str,
    secret: &str,
) -> AppResult<Option<Verified>> {
    // A token is checked first and whatever the name, so that its (small) cost does not
    // depend on whether the user exists.
    let by_token = match Token::parse(secret) {
        Some(token) => Some(verify_token(conn, &token)?),
        None => None,
    };
    let Some(user) = users::find_by_name(conn, &user_name::normalize(name))? else {
        if by_token.is_none() {
            burn_time(secret);
        }
        return Ok(None);
    };
    if let Some(verified) = by_token {
        return Ok(verified.filter(|v| v.user.id == user.id));
    }
    if user.is_disabled {
        burn_time(secret);
        return Ok(None);
    }
    match user.password_hash.as_deref() {
        Some(phc) if password::verify(secret, phc)? => Ok(Some(Verified { user, token: None })),
        Some(_) => Ok(None),
        None => {
            burn_time(secret);
            Ok(None)
        }
    }
}

/// The owner of a live token whose secret matches. An id that is not a live token's fails on
/// the index lookup, with no hash at all.
pub fn verify_token(conn: &mut SqliteConnection, token: &Token) -> AppResult<Option<Verified>> {
    let Some((stored, owner)) = users::find_live_token(conn, &token.lookup)? else {
        return Ok(None);
    };
    if owner.is_disabled || !token.matches(&stored.secret_hash)? {
        return Ok(None);
    }
    if is_legacy_hash(&stored.secret_hash) {
        users::set_token_hash(conn, stored.id, &token.secret_hash())?;
    }
    let now = crate::db::now();
    if stored
        .last_used_at
        .is_none_or(|at| now - at >= LAST_USED_PRECISION)
    {
        users::touch_token(conn, stored.id, now)?;
    }
    Ok(Some(Verified {
        user: owner,
        token: Some(stored.id),
    }))
}
