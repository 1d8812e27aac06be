//! Checking a user name with a token or a password. argon2 runs here, at sign-in (and for a
//! bearer token the first time it is seen), never on an ordinary signed-in request.

use std::sync::LazyLock;

use diesel::SqliteConnection;

use crate::auth::{password, token::Token};
use crate::db::models::User;
use crate::db::users;
use crate::error::AppResult;

/// Verified when the user does not exist, so the time taken does not reveal who does.
static DUMMY_HASH: LazyLock<Option<String>> =
    LazyLock::new(|| password::hash("sdreview dummy secret").ok());

fn burn_time(secret: &str) {
    if let Some(dummy) = DUMMY_HASH.as_deref() {
        let _ = password::verify(secret, dummy);
    }
}

/// The user, when `secret` is one of their live tokens or their password.
pub fn verify_sign_in(
    conn: &mut SqliteConnection,
    name: &str,
    secret: &str,
) -> AppResult<Option<User>> {
    let Some(user) = users::find_by_name(conn, name.trim())? else {
        burn_time(secret);
        return Ok(None);
    };
    if user.is_disabled {
        burn_time(secret);
        return Ok(None);
    }
    if let Some(token) = Token::parse(secret) {
        return Ok(verify_token(conn, &token)?.filter(|owner| owner.id == user.id));
    }
    match user.password_hash.as_deref() {
        Some(phc) if password::verify(secret, phc)? => Ok(Some(user)),
        _ => {
            if user.password_hash.is_none() {
                burn_time(secret);
            }
            Ok(None)
        }
    }
}

/// The owner of a live token whose secret matches.
pub fn verify_token(conn: &mut SqliteConnection, token: &Token) -> AppResult<Option<User>> {
    let Some((stored, owner)) = users::find_live_token(conn, &token.lookup)? else {
        burn_time(&token.secret);
        return Ok(None);
    };
    if owner.is_disabled || !password::verify(&token.secret, &stored.secret_hash)? {
        return Ok(None);
    }
    users::touch_token(conn, stored.id, crate::db::now())?;
    Ok(Some(owner))
}
