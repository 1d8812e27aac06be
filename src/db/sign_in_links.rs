//! Queries on `sign_in_links`: one-time links that sign a person in on another device, stored
//! by the SHA-256 of their secret (`auth::sign_in_link` makes and checks them).

use chrono::NaiveDateTime;
use diesel::dsl::{Filter, Find, IsNull};
use diesel::prelude::*;

use super::ids::UserId;
use super::row_limit::RowLimit;
use super::schema::sign_in_links::dsl as l;
use super::schema::users::dsl as u;

/// A stored link and the name of the person it signs in.
#[derive(Debug, Clone, Queryable)]
pub struct StoredLink {
    pub id: i32,
    pub user_id: UserId,
    pub user: String,
    pub user_disabled: bool,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

type LinkColumns = (
    l::id,
    l::user_id,
    u::name,
    u::is_disabled,
    l::created_at,
    l::expires_at,
    l::used_at,
    l::revoked_at,
);

const COLUMNS: LinkColumns = (
    l::id,
    l::user_id,
    u::name,
    u::is_disabled,
    l::created_at,
    l::expires_at,
    l::used_at,
    l::revoked_at,
);

pub fn insert(
    conn: &mut SqliteConnection,
    user: UserId,
    secret_hash: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::insert_into(l::sign_in_links)
        .values((
            l::user_id.eq(user),
            l::secret_hash.eq(secret_hash),
            l::created_at.eq(now),
            l::expires_at.eq(expires_at),
        ))
        .returning(l::id)
        .get_result(conn)
}

pub fn find_by_hash(
    conn: &mut SqliteConnection,
    secret_hash: &str,
) -> QueryResult<Option<StoredLink>> {
    l::sign_in_links
        .inner_join(u::users)
        .filter(l::secret_hash.eq(secret_hash))
        .select(COLUMNS)
        .first_row(conn)
        .optional()
}

/// Marks a link used; false when it was used or revoked meanwhile (two devices at once).
pub fn mark_used(conn: &mut SqliteConnection, id: i32, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(still_open(id))
        .set(l::used_at.eq(now))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Revokes an open link; false when there was none with that id still open.
pub fn revoke(conn: &mut SqliteConnection, id: i32, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(still_open(id))
        .set(l::revoked_at.eq(now))
        .execute(conn)?;
    Ok(changed == 1)
}

/// A link by id, narrowed to one neither used nor revoked.
type OpenLink =
    Filter<Filter<Find<l::sign_in_links, i32>, IsNull<l::used_at>>, IsNull<l::revoked_at>>;

/// The link `id` while neither used nor revoked: what using and revoking both change, so that
/// of two at once only the first does.
fn still_open(id: i32) -> OpenLink {
    l::sign_in_links
        .find(id)
        .filter(l::used_at.is_null())
        .filter(l::revoked_at.is_null())
}

/// Links neither used, revoked nor expired, newest first; of one user when given.
pub fn open(
    conn: &mut SqliteConnection,
    user: Option<UserId>,
    now: NaiveDateTime,
) -> QueryResult<Vec<StoredLink>> {
    let mut query = l::sign_in_links
        .inner_join(u::users)
        .filter(l::used_at.is_null())
        .filter(l::revoked_at.is_null())
        .filter(l::expires_at.gt(now))
        .select(COLUMNS)
        .into_boxed();
    if let Some(user) = user {
        query = query.filter(l::user_id.eq(user));
    }
    query.order(l::created_at.desc()).load(conn)
}
