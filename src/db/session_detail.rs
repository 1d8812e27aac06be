//! What one session's page reads besides its gallery: the session, the variations its images
//! use, who rated in it, and stats.

use std::collections::HashMap;

use diesel::prelude::*;

use super::ids::SessionId;
use super::models::Session;
use super::row_limit::RowLimit;
use super::schema::image_variations::dsl as iv;
use super::schema::images::dsl as i;
use super::schema::session_stats::dsl as ss;
use super::schema::sessions::dsl as s;
use super::schema::users::dsl as u;
use super::schema::variations::dsl as v;

pub fn find(conn: &mut SqliteConnection, id: SessionId) -> QueryResult<Option<Session>> {
    s::sessions
        .find(id)
        .select(Session::as_select())
        .first_row(conn)
        .optional()
}

/// One placeholder and the values the session's images use, each with its image count.
#[derive(Debug, Clone)]
pub struct PlaceholderUse {
    pub placeholder: String,
    pub values: Vec<(String, i64)>,
}

/// Variations used by the session's images on disk and not deleted, by placeholder then value.
pub fn variations_used(
    conn: &mut SqliteConnection,
    session: SessionId,
) -> QueryResult<Vec<PlaceholderUse>> {
    let rows: Vec<(String, String, i64)> = iv::image_variations
        .inner_join(v::variations)
        .inner_join(i::images)
        .filter(i::session_id.eq(session))
        .filter(i::on_disk.eq(true))
        .filter(i::is_deleted.eq(false))
        .group_by((v::placeholder, v::value))
        .select((v::placeholder, v::value, diesel::dsl::count_star()))
        .order((v::placeholder.asc(), v::value.asc()))
        .load(conn)?;
    let mut out: Vec<PlaceholderUse> = Vec::new();
    for (placeholder, value, count) in rows {
        match out.last_mut() {
            Some(last) if last.placeholder == placeholder => last.values.push((value, count)),
            _ => out.push(PlaceholderUse {
                placeholder,
                values: vec![(value, count)],
            }),
        }
    }
    Ok(out)
}

/// What each of these sessions is called on a page: its display name, else its name.
pub fn titles(
    conn: &mut SqliteConnection,
    ids: &[SessionId],
) -> QueryResult<HashMap<SessionId, String>> {
    let rows: Vec<(SessionId, Option<String>, String)> = s::sessions
        .filter(s::id.eq_any(ids))
        .select((s::id, s::display_name, s::name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, display, name)| (id, display.filter(|d| !d.is_empty()).unwrap_or(name)))
        .collect())
}

/// Names of the users who rated images of this session, or of any session. Asked per user (a
/// handful) with EXISTS, which stops at their first rated session, rather than by reading every
/// user's every session and keeping the distinct names: that was a fifth of a search page.
pub fn raters(conn: &mut SqliteConnection, session: Option<SessionId>) -> QueryResult<Vec<String>> {
    use diesel::dsl::sql;
    use diesel::sql_types::{Bool, Integer};
    let rated = "EXISTS (SELECT 1 FROM user_session_stats r \
                 WHERE r.user_id = users.id AND r.rated_count > 0";
    let query = u::users.select(u::name).order(u::name.asc()).into_boxed();
    let query = match session {
        Some(session) => query.filter(
            sql::<Bool>(rated)
                .sql(" AND r.session_id = ")
                .bind::<Integer, _>(session.0)
                .sql(")"),
        ),
        None => query.filter(sql::<Bool>(rated).sql(")")),
    };
    query.load(conn)
}

/// Images on disk and not deleted, and how many of them someone rated.
pub fn image_counts(conn: &mut SqliteConnection, session: SessionId) -> QueryResult<(i32, i32)> {
    Ok(ss::session_stats
        .find(session)
        .select((ss::image_count, ss::rated_count))
        .first_row(conn)
        .optional()?
        .unwrap_or((0, 0)))
}

/// A session's images whose files are gone from disk (its folder deleted or renamed) and are
/// not in the trash: their rows stay, with the verdicts people gave them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Gone {
    pub images: i64,
    /// Of those, the ones someone rated: an export still holds them (`file_gone`).
    pub rated: i64,
}

pub fn gone(conn: &mut SqliteConnection, session: SessionId) -> QueryResult<Gone> {
    use diesel::dsl::{count_star, sql};
    let (images, rated): (i64, Option<i64>) = i::images
        .filter(i::session_id.eq(session))
        .filter(i::on_disk.eq(false))
        .filter(i::is_deleted.eq(false))
        .select((
            count_star(),
            sql::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>>(
                "sum(images.rater_count > 0)",
            ),
        ))
        .first_row(conn)?;
    Ok(Gone {
        images,
        rated: rated.unwrap_or(0),
    })
}
