//! `domain::trash_rule` applied to the item a request names: every route that takes an image
//! or session id asks here first. What is out of reach answers 404 exactly as what does not
//! exist, so the trash's content is not revealed.

use diesel::SqliteConnection;

use crate::db::ids::{ImageId, SessionId};
use crate::db::trash_state;
use crate::domain::role::Role;
use crate::domain::trash_rule::{Access, Shown, reach};
use crate::error::AppError;

pub fn image(
    conn: &mut SqliteConnection,
    id: ImageId,
    role: Role,
    access: Access,
) -> Result<Shown, AppError> {
    trash_state::image_place(conn, id)?
        .and_then(|place| reach(place, role, access))
        .ok_or_else(|| AppError::NotFound(format!("there is no image {id}")))
}

pub fn session(
    conn: &mut SqliteConnection,
    id: SessionId,
    role: Role,
    access: Access,
) -> Result<Shown, AppError> {
    trash_state::session_place(conn, id)?
        .and_then(|place| reach(place, role, access))
        .ok_or_else(|| AppError::NotFound(format!("there is no session {id}")))
}

/// "; 2 in the trash were skipped", or nothing when none were.
pub fn skipped_note(skipped: usize) -> String {
    match skipped {
        0 => String::new(),
        1 => "; 1 in the trash was skipped".to_owned(),
        n => format!("; {n} in the trash were skipped"),
    }
}
