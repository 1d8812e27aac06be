//! A review decision on a near-duplicate group (review's `group=near`): the image shown is
//! rated as any decision is, then every other live image of its group is given the verdict
//! it now has, each in its own judgement row, through the one rating writer. An undo is a
//! decision too (`restore` to the verdict before), so it takes back the whole group.

use super::caller::Caller;
use super::ids::ImageId;
use super::judgements::{self, Change, Mode};
use super::near_groups;
use crate::domain::rating::RatingAction;
use crate::error::AppError;

/// The shown image's change, and the other images of its group that were rated with it.
pub fn rate_group(
    conn: &mut diesel::SqliteConnection,
    caller: Caller,
    image: ImageId,
    action: &RatingAction,
    mode: Mode<'_>,
) -> Result<(Change, Vec<ImageId>), AppError> {
    let change = judgements::rate(conn, caller, &[image], action, mode)?
        .into_iter()
        .next()
        .unwrap_or((image, Default::default(), Default::default()));
    let others: Vec<ImageId> = match near_groups::group_of(conn, image)? {
        Some(group) => near_groups::members(conn, group)?
            .into_iter()
            .filter(|&member| member != image)
            .collect(),
        None => Vec::new(),
    };
    if others.is_empty() {
        return Ok((change, others));
    }
    // The verdict the shown image now has, set on each (a list leaves out what is in the
    // trash); `Set` so a retry changes nothing.
    let same = RatingAction::Restore(change.2.clone());
    let rated = judgements::rate(conn, caller, &others, &same, Mode::Set)?
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    Ok((change, rated))
}
