//! Which of an image's hash neighbours a caller is shown: images on disk, outside the trash
//! unless the caller may see it, and not marked "not duplicates" of it.

use diesel::prelude::*;

use crate::db::caller::Caller;
use crate::db::ids::ImageId;
use crate::db::not_duplicates;
use crate::db::schema::images::dsl as i;
use crate::db::schema::sessions::dsl as s;
use crate::similar::index::Neighbour;

/// `neighbours` of `image` that `caller` may see, in the order given (nearest first).
pub fn visible(
    conn: &mut SqliteConnection,
    caller: Caller,
    image: ImageId,
    neighbours: &[Neighbour],
) -> QueryResult<Vec<Neighbour>> {
    let apart = not_duplicates::apart_from(conn, image)?;
    let mut shown = std::collections::HashSet::new();
    for chunk in neighbours.chunks(500) {
        let ids: Vec<i32> = chunk.iter().map(|n| n.image_id).collect();
        let mut query = i::images
            .inner_join(s::sessions)
            .filter(i::id.eq_any(ids))
            .filter(i::on_disk.eq(true))
            .select(i::id)
            .into_boxed();
        if !caller.sees_trash() {
            query = query
                .filter(i::is_deleted.eq(false))
                .filter(s::is_deleted.eq(false));
        }
        shown.extend(query.load::<i32>(conn)?);
    }
    Ok(neighbours
        .iter()
        .filter(|n| shown.contains(&n.image_id) && !apart.contains(&n.image_id))
        .copied()
        .collect())
}
