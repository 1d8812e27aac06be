//! Users and their tokens, managed from the command line (`sdreview user`, `sdreview token`)
//! and the admin page alike: one place holds the rules, such as never leaving the library
//! without an admin who can sign in.

use diesel::SqliteConnection;

use crate::auth::password;
use crate::auth::token::Token;
use crate::db::ids::UserId;
use crate::db::models::{NewApiToken, NewUser, User};
use crate::db::{now, users, web_sessions, write_transaction};
use crate::domain::role::Role;
use crate::domain::user_name::UserName;
use crate::error::{AppError, AppResult};

/// Adds a user with a first access token, returned to be shown once.
pub fn add_user(
    conn: &mut SqliteConnection,
    name: &UserName,
    role: Role,
) -> AppResult<(User, Token)> {
    let token = Token::generate();
    let secret_hash = token.secret_hash();
    let user = write_transaction(conn, |conn| {
        if users::find_by_name(conn, name.as_str())?.is_some() {
            return Err(AppError::BadInput(format!(
                "user `{}` already exists: create another token for them instead",
                name.as_str()
            )));
        }
        if let Some(existing) = users::find_look_alike(conn, name.as_str())? {
            return Err(AppError::BadInput(format!(
                "`{}` looks like the existing user `{}`: the two would be mistaken for each \
                 other (in exports too), so choose a name that reads differently",
                name.as_str(),
                existing.name
            )));
        }
        let user = users::insert(
            conn,
            &NewUser {
                name: name.as_str(),
                role: role.as_str(),
                created_at: now(),
                updated_at: now(),
            },
        )?;
        store_token(conn, user.id, "first token", &token, &secret_hash)?;
        Ok(user)
    })?;
    Ok((user, token))
}

/// Another token for `user`, returned to be shown once.
pub fn create_token(conn: &mut SqliteConnection, user: UserId, label: &str) -> AppResult<Token> {
    let label = label.trim();
    if label.chars().count() > 100 {
        return Err(AppError::BadInput(
            "a token's label has at most 100 characters".to_owned(),
        ));
    }
    let token = Token::generate();
    let secret_hash = token.secret_hash();
    store_token(conn, user, label, &token, &secret_hash)?;
    Ok(token)
}

/// The id of a token given whole or by its id (the part after `sdr_`).
fn lookup_of(token: &str) -> String {
    Token::parse(token)
        .map(|t| t.lookup)
        .unwrap_or_else(|| token.trim().to_owned())
}

/// Revokes a token given whole or by its id (the part after `sdr_`), and ends the browser
/// sign-ins made with it; returns the id and how many sign-ins ended. Refused when it is the
/// last way in of the last admin: nobody could manage users after.
pub fn revoke_token(conn: &mut SqliteConnection, token: &str) -> AppResult<(String, usize)> {
    let lookup = lookup_of(token);
    let (revoked, ended) = write_transaction(conn, |conn| {
        let owner = users::find_live_token(conn, &lookup)?.map(|(_, owner)| owner);
        let revoked = users::revoke_token(conn, &lookup, now())?;
        if let Some(owner) = owner.filter(|o| o.role == Role::Admin.as_str() && !o.is_disabled)
            && users::count_admins_with_a_way_in(conn)? == 0
        {
            // Returning the error rolls the revocation back with the transaction.
            return Err(AppError::BadInput(format!(
                "cannot revoke token `{lookup}`: it is the last way in of `{}`, the only admin \
                 left who can sign in; create another token for an admin (or set a password) \
                 first",
                owner.name
            )));
        }
        let mut ended = 0;
        for token in &revoked {
            ended += web_sessions::revoke_made_with_token(conn, *token, now())?;
        }
        Ok::<_, AppError>((revoked.len(), ended))
    })?;
    match revoked {
        0 => Err(AppError::NotFound(format!(
            "no active token with id `{lookup}`"
        ))),
        _ => Ok((lookup, ended)),
    }
}

/// Whether revoking `token` would lock `user` out in a way they may not mean: it made the
/// sign-in `sign_in` (hash of the cookie) they are using, or it is their only token left.
pub fn revoking_locks_out(
    conn: &mut SqliteConnection,
    token: &str,
    user: UserId,
    sign_in: Option<&str>,
) -> AppResult<bool> {
    let Some((found, owner)) = users::find_live_token(conn, &lookup_of(token))? else {
        return Ok(false);
    };
    if owner.id != user {
        return Ok(false);
    }
    let made_this_sign_in = match sign_in {
        Some(hash) => crate::db::sign_ins::token_of(conn, hash)? == Some(found.id),
        None => false,
    };
    let only_one = users::tokens_with_owner(conn, Some(user))?
        .iter()
        .filter(|(t, _)| t.revoked_at.is_none())
        .count()
        <= 1;
    Ok(made_this_sign_in || only_one)
}

pub fn set_role(conn: &mut SqliteConnection, user: UserId, role: Role) -> AppResult<()> {
    write_transaction(conn, |conn| {
        if role != Role::Admin {
            keep_an_admin(conn, user, "change the role of")?;
        }
        users::set_role(conn, user, role.as_str(), now())?;
        Ok(())
    })
}

/// Disables a user (every sign-in ends, tokens stop working) or enables them again; returns
/// how many sign-ins ended.
pub fn set_disabled(conn: &mut SqliteConnection, user: UserId, disabled: bool) -> AppResult<usize> {
    write_transaction(conn, |conn| {
        let mut ended = 0;
        if disabled {
            keep_an_admin(conn, user, "disable")?;
            ended = web_sessions::revoke_all_of(conn, user, now())?;
        }
        users::set_disabled(conn, user, disabled, now())?;
        Ok(ended)
    })
}

/// Sets a user's password, or changes it: `current` must match when one is set (None from the
/// command line, run by whoever owns the database). Sign-ins made with the old password end,
/// but `keep`'s (the browser it was changed from). Returns how many ended.
pub fn set_password(
    conn: &mut SqliteConnection,
    user: UserId,
    change: &PasswordChange<'_>,
    keep: Option<&str>,
) -> AppResult<usize> {
    let Some(found) = users::find(conn, user)? else {
        return Err(AppError::NotFound(format!("user {user}")));
    };
    if let (Some(current), Some(phc)) = (change.current, found.password_hash.as_deref()) {
        if current.is_empty() {
            return Err(AppError::BadInput(
                "enter your current password to change it".to_owned(),
            ));
        }
        if !password::verify(current, phc)? {
            return Err(AppError::BadInput(
                "the current password is not right: nothing was changed".to_owned(),
            ));
        }
    }
    if let Some(again) = change.again
        && again != change.new
    {
        return Err(AppError::BadInput(
            "the two new passwords differ: type the same one twice".to_owned(),
        ));
    }
    let length = change.new.chars().count();
    if length < password::MIN_CHARS {
        return Err(AppError::BadInput(format!(
            "the new password is too short: use at least {} characters ({length} given)",
            password::MIN_CHARS
        )));
    }
    if length > password::MAX_CHARS {
        return Err(AppError::BadInput(format!(
            "the new password is too long: use at most {} characters",
            password::MAX_CHARS
        )));
    }
    let phc = password::hash(change.new)?;
    write_transaction(conn, |conn| {
        users::set_password(conn, user, &phc, now())?;
        Ok(web_sessions::revoke_made_with_password(
            conn,
            user,
            keep,
            now(),
        )?)
    })
}

/// A new password and what proves the change is wanted.
pub struct PasswordChange<'a> {
    /// The password now, when the person changes it themselves (None on the command line).
    pub current: Option<&'a str>,
    pub new: &'a str,
    /// The new password typed again, on a form.
    pub again: Option<&'a str>,
}

/// Refuses to take the last admin who can sign in away: nobody could manage users after.
fn keep_an_admin(conn: &mut SqliteConnection, user: UserId, what: &str) -> AppResult<()> {
    let Some(found) = users::find(conn, user)? else {
        return Err(AppError::NotFound(format!("user {user}")));
    };
    if found.role == Role::Admin.as_str()
        && !found.is_disabled
        && users::count_active_admins(conn)? <= 1
    {
        return Err(AppError::BadInput(format!(
            "cannot {what} `{}`: they are the only admin left; make someone else admin first",
            found.name
        )));
    }
    Ok(())
}

fn store_token(
    conn: &mut SqliteConnection,
    user: UserId,
    label: &str,
    token: &Token,
    secret_hash: &str,
) -> AppResult<()> {
    users::insert_token(
        conn,
        &NewApiToken {
            user_id: user,
            label,
            lookup: &token.lookup,
            secret_hash,
            created_at: now(),
        },
    )?;
    Ok(())
}
