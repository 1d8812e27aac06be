//! Flags that move sessions and images in and out of the trash. Rows are never removed and
//! files are never touched: "delete" is `is_deleted = 1`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ids::{ImageId, SessionId};
use super::row_limit::RowLimit;
use super::schema::{images as i, sessions as s};
use crate::domain::session_action::SessionAction;

/// Applies `action` to the sessions; returns how many exist and were touched.
pub fn apply(
    conn: &mut SqliteConnection,
    ids: &[SessionId],
    action: SessionAction,
) -> QueryResult<usize> {
    let now = super::now();
    let target = s::table.filter(s::id.eq_any(ids));
    let update = diesel::update(target);
    let changed = match action {
        SessionAction::Archive => update
            .set((s::is_archived.eq(true), s::updated_at.eq(now)))
            .execute(conn),
        SessionAction::Unarchive => update
            .set((s::is_archived.eq(false), s::updated_at.eq(now)))
            .execute(conn),
        SessionAction::FlagTest => update
            .set((s::is_test.eq(true), s::updated_at.eq(now)))
            .execute(conn),
        SessionAction::UnflagTest => update
            .set((s::is_test.eq(false), s::updated_at.eq(now)))
            .execute(conn),
        SessionAction::FlagFailed => update
            .set((s::is_failed.eq(true), s::updated_at.eq(now)))
            .execute(conn),
        SessionAction::UnflagFailed => update
            .set((s::is_failed.eq(false), s::updated_at.eq(now)))
            .execute(conn),
        SessionAction::Delete => update
            .set((s::is_deleted.eq(true), s::updated_at.eq(now)))
            .execute(conn),
        SessionAction::Restore => update
            .set((s::is_deleted.eq(false), s::updated_at.eq(now)))
            .execute(conn),
    }?;
    if matches!(action, SessionAction::Delete | SessionAction::Restore) {
        // Searches across the library leave out deleted sessions' images.
        super::search_cache::invalidate();
    }
    Ok(changed)
}

/// Whether the session is in the trash; None when there is no such session.
pub fn session_is_deleted(conn: &mut SqliteConnection, id: SessionId) -> QueryResult<Option<bool>> {
    s::table
        .find(id)
        .select(s::is_deleted)
        .first_row(conn)
        .optional()
}

#[derive(Debug, Clone, Queryable)]
pub struct DeletedImage {
    pub id: ImageId,
    pub filename: String,
    pub session_id: SessionId,
    pub session_name: String,
    pub session_display_name: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// `is_deleted = 1` as a literal, not a bound parameter, so the partial index `images_deleted`
/// serves it instead of a scan of every image.
fn image_is_deleted() -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    diesel::dsl::sql("images.is_deleted = 1")
}

/// One page of deleted images, most recently numbered first.
pub fn deleted_images(
    conn: &mut SqliteConnection,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<DeletedImage>, i64)> {
    let total = i::table
        .filter(image_is_deleted())
        .count()
        .get_result(conn)?;
    let rows = i::table
        .inner_join(s::table)
        .filter(image_is_deleted())
        .select((
            i::id,
            i::filename,
            i::session_id,
            s::name,
            s::display_name,
            i::updated_at,
        ))
        .order_by(i::id.desc())
        .page(limit, offset)
        .load(conn)?;
    Ok((rows, total))
}

pub fn restore_images(conn: &mut SqliteConnection, ids: &[ImageId]) -> QueryResult<usize> {
    let restored = diesel::update(
        i::table
            .filter(i::id.eq_any(ids))
            .filter(i::is_deleted.eq(true)),
    )
    .set((i::is_deleted.eq(false), i::updated_at.eq(super::now())))
    .execute(conn)?;
    Ok(restored)
}

pub fn restore_sessions(conn: &mut SqliteConnection, ids: &[SessionId]) -> QueryResult<usize> {
    let restored = diesel::update(
        s::table
            .filter(s::id.eq_any(ids))
            .filter(s::is_deleted.eq(true)),
    )
    .set((s::is_deleted.eq(false), s::updated_at.eq(super::now())))
    .execute(conn)?;
    Ok(restored)
}
