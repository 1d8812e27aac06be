//! A first start with no users creates an `admin` and hands out a one-time token.

use crate::auth::token::Token;
use crate::db::models::{NewApiToken, NewUser};
use crate::db::{Pool, users};
use crate::error::AppResult;

/// The new admin's token, or None when there were users already.
pub fn ensure(pool: &Pool) -> AppResult<Option<String>> {
    let mut conn = pool.get()?;
    if users::count(&mut conn)? > 0 {
        return Ok(None);
    }
    let token = Token::generate();
    let secret_hash = token.secret_hash();
    conn.immediate_transaction(|conn| {
        // Checked again inside the transaction: another program may have added one meanwhile.
        if users::count(conn)? > 0 {
            return Ok(None);
        }
        let now = crate::db::now();
        let user = users::insert(
            conn,
            &NewUser {
                name: "admin",
                role: "admin",
                created_at: now,
                updated_at: now,
            },
        )?;
        users::insert_token(
            conn,
            &NewApiToken {
                user_id: user.id,
                label: "first start",
                lookup: &token.lookup,
                secret_hash: &secret_hash,
                created_at: now,
            },
        )?;
        Ok(Some(token.reveal()))
    })
}
