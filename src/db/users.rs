//! Queries on `users` and `api_tokens`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ids::{TokenId, UserId};
use super::models::{ApiToken, NewApiToken, NewUser, User};
use super::row_limit::RowLimit;
use super::schema::api_tokens::dsl as t;
use super::schema::users::dsl as u;
use crate::domain::user_name;

/// The user of that name, as typed or composed (NFC, as names are stored since they are
/// normalised).
pub fn find_by_name(conn: &mut SqliteConnection, name: &str) -> QueryResult<Option<User>> {
    u::users
        .filter(u::name.eq(name).or(u::name.eq(user_name::nfc(name))))
        .select(User::as_select())
        .first_row(conn)
        .optional()
}

/// The user whose name looks like `name` (the same confusables skeleton), if any.
pub fn find_look_alike(conn: &mut SqliteConnection, name: &str) -> QueryResult<Option<User>> {
    u::users
        .filter(u::name_skeleton.eq(user_name::skeleton(name)))
        .select(User::as_select())
        .first_row(conn)
        .optional()
}

/// Gives every user without one the skeleton of their name (users added before the column
/// existed). A name that looks like an earlier user's keeps none, since the index allows one
/// of each; both users go on working, and the log says which.
pub fn fill_name_skeletons(conn: &mut SqliteConnection) -> QueryResult<()> {
    super::write_transaction(conn, |conn| {
        let missing: Vec<(UserId, String)> = u::users
            .filter(u::name_skeleton.is_null())
            .select((u::id, u::name))
            .order(u::id)
            .load(conn)?;
        for (id, name) in missing {
            if let Some(earlier) = find_look_alike(conn, &name)? {
                tracing::warn!(
                    user = %name, looks_like = %earlier.name,
                    "two user names look alike: disable one of them"
                );
                continue;
            }
            diesel::update(u::users.find(id))
                .set(u::name_skeleton.eq(user_name::skeleton(&name)))
                .execute(conn)?;
        }
        Ok(())
    })
}

pub fn find(conn: &mut SqliteConnection, id: UserId) -> QueryResult<Option<User>> {
    u::users
        .find(id)
        .select(User::as_select())
        .first_row(conn)
        .optional()
}

pub fn set_disabled(
    conn: &mut SqliteConnection,
    id: UserId,
    disabled: bool,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(u::users.find(id))
        .set((u::is_disabled.eq(disabled), u::updated_at.eq(now)))
        .execute(conn)
}

/// Admins who can still sign in.
pub fn count_active_admins(conn: &mut SqliteConnection) -> QueryResult<i64> {
    u::users
        .filter(u::role.eq("admin"))
        .filter(u::is_disabled.eq(false))
        .count()
        .get_result(conn)
}

/// Admins who are not disabled and can still sign in: with a token not revoked, or a
/// password.
pub fn count_admins_with_a_way_in(conn: &mut SqliteConnection) -> QueryResult<i64> {
    use diesel::dsl::exists;
    u::users
        .filter(u::role.eq("admin"))
        .filter(u::is_disabled.eq(false))
        .filter(
            u::password_hash.is_not_null().or(exists(
                t::api_tokens
                    .filter(t::user_id.eq(u::id))
                    .filter(t::revoked_at.is_null()),
            )),
        )
        .count()
        .get_result(conn)
}

/// Adds a user; the unique index on what names look like refuses a look-alike of an existing
/// one (`accounts::add_user` checks first, to say which).
pub fn insert(conn: &mut SqliteConnection, user: &NewUser<'_>) -> QueryResult<User> {
    let skeleton = user_name::skeleton(user.name);
    diesel::insert_into(u::users)
        .values((user, u::name_skeleton.eq(skeleton)))
        .returning(User::as_returning())
        .get_result(conn)
}

pub fn set_role(
    conn: &mut SqliteConnection,
    id: UserId,
    role: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(u::users.find(id))
        .set((u::role.eq(role), u::updated_at.eq(now)))
        .execute(conn)
}

/// Every user with the number of tokens they can still use.
pub fn list_with_token_counts(conn: &mut SqliteConnection) -> QueryResult<Vec<(User, i64)>> {
    let users = u::users
        .order(u::name)
        .select(User::as_select())
        .load(conn)?;
    let counts: Vec<(UserId, i64)> = t::api_tokens
        .filter(t::revoked_at.is_null())
        .group_by(t::user_id)
        .select((t::user_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(users
        .into_iter()
        .map(|user| {
            let count = counts
                .iter()
                .find(|(id, _)| *id == user.id)
                .map_or(0, |c| c.1);
            (user, count)
        })
        .collect())
}

pub fn insert_token(conn: &mut SqliteConnection, token: &NewApiToken<'_>) -> QueryResult<ApiToken> {
    diesel::insert_into(t::api_tokens)
        .values(token)
        .returning(ApiToken::as_returning())
        .get_result(conn)
}

pub fn tokens_with_owner(
    conn: &mut SqliteConnection,
    owner: Option<UserId>,
) -> QueryResult<Vec<(ApiToken, String)>> {
    let mut query = t::api_tokens
        .inner_join(u::users)
        .select((ApiToken::as_select(), u::name))
        .into_boxed();
    if let Some(owner) = owner {
        query = query.filter(t::user_id.eq(owner));
    }
    query.order((u::name, t::created_at)).load(conn)
}

/// Revokes by lookup (the part after `sdr_`); returns the ids of the tokens revoked (none
/// when no live token has that lookup).
pub fn revoke_token(
    conn: &mut SqliteConnection,
    lookup: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<TokenId>> {
    diesel::update(
        t::api_tokens
            .filter(t::lookup.eq(lookup))
            .filter(t::revoked_at.is_null()),
    )
    .set(t::revoked_at.eq(now))
    .returning(t::id)
    .get_results(conn)
}

/// A token that has not been revoked, with its owner.
pub fn find_live_token(
    conn: &mut SqliteConnection,
    lookup: &str,
) -> QueryResult<Option<(ApiToken, User)>> {
    t::api_tokens
        .inner_join(u::users)
        .filter(t::lookup.eq(lookup))
        .filter(t::revoked_at.is_null())
        .select((ApiToken::as_select(), User::as_select()))
        .first_row(conn)
        .optional()
}

pub fn touch_token(
    conn: &mut SqliteConnection,
    id: TokenId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(t::api_tokens.find(id))
        .set(t::last_used_at.eq(now))
        .execute(conn)
}

/// Replaces a token's stored hash (a legacy argon2id hash by the SHA-256 of the same secret).
pub fn set_token_hash(conn: &mut SqliteConnection, id: TokenId, hash: &str) -> QueryResult<usize> {
    diesel::update(t::api_tokens.find(id))
        .set(t::secret_hash.eq(hash))
        .execute(conn)
}

pub fn count(conn: &mut SqliteConnection) -> QueryResult<i64> {
    u::users.count().get_result(conn)
}

pub fn set_password(
    conn: &mut SqliteConnection,
    id: UserId,
    phc: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(u::users.find(id))
        .set((u::password_hash.eq(phc), u::updated_at.eq(now)))
        .execute(conn)
}
