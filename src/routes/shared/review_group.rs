//! Going through near-duplicate groups in review (`group=near`): each image handed out carries
//! its group's size and the "keep the best" action, so the screen can say, image after image,
//! that a decision applies to the whole group.

use diesel::SqliteConnection;

use crate::db::ids::ImageId;
use crate::db::{near_groups, trash_state};
use crate::domain::review_query::ReviewQuery;
use crate::error::AppError;
use crate::views::review_item::ReviewItem;
use crate::views::review_screen::GroupView;

/// The group of `image`, when it has near-duplicates that are not in the trash.
pub fn group_view(
    conn: &mut SqliteConnection,
    query: &ReviewQuery,
    image: ImageId,
    is_admin: bool,
) -> Result<Option<GroupView>, AppError> {
    let Some(group) = near_groups::group_of(conn, image)? else {
        return Ok(None);
    };
    let members = near_groups::members(conn, group)?;
    let (live, _) = trash_state::live_images(conn, members)?;
    Ok((live.len() > 1).then(|| GroupView {
        image: image.0,
        count: live.len(),
        keep_url: is_admin
            .then(|| format!("/review/images/{image}/keep-best?{}", query.query_string())),
    }))
}

/// Gives each item its group, when the review goes through groups.
pub fn attach(
    conn: &mut SqliteConnection,
    query: &ReviewQuery,
    items: &mut [ReviewItem],
    is_admin: bool,
) -> Result<(), AppError> {
    if !query.filter.group_near {
        return Ok(());
    }
    for item in items {
        item.group = group_view(conn, query, ImageId(item.id), is_admin)?;
    }
    Ok(())
}
