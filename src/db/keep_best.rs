//! "Keep the best, trash the rest" for a near-duplicate group: every other live image of the
//! kept image's group goes to the trash in one write. Moving images to the trash is an
//! admin's (the trash rule), so a reviewer is refused; the trash page restores them.

use super::caller::Caller;
use super::ids::ImageId;
use super::{image_flags, near_groups, trash_state};
use crate::domain::role::Role;
use crate::domain::trash_rule::Place;
use crate::error::AppError;

/// Trashes the other images of `keep`'s group; returns those that were trashed.
pub fn keep_best(
    conn: &mut diesel::SqliteConnection,
    caller: Caller,
    keep: ImageId,
) -> Result<Vec<ImageId>, AppError> {
    if caller.role != Role::Admin {
        return Err(AppError::Forbidden(format!(
            "trashing the rest of a group needs the admin role; you are a {}. Rate the \
             group instead, or ask an admin.",
            caller.role
        )));
    }
    if trash_state::image_place(conn, keep)? != Some(Place::Live) {
        return Err(AppError::NotFound(format!("there is no image {keep}")));
    }
    let Some(group) = near_groups::group_of(conn, keep)? else {
        return Err(AppError::BadInput(format!(
            "image {keep} has no near-duplicates: there is nothing else to trash"
        )));
    };
    let others: Vec<ImageId> = near_groups::members(conn, group)?
        .into_iter()
        .filter(|&member| member != keep)
        .collect();
    let (live, _) = trash_state::live_images(conn, others)?;
    Ok(image_flags::set_deleted(
        conn,
        &live,
        true,
        crate::db::now(),
    )?)
}
