//! An image's near-duplicates as a caller sees them: the index's neighbours within the
//! distance asked (or the owner's threshold), less what the caller may not see and the pairs
//! marked "not duplicates". The API and the image page both ask here.

use diesel::SqliteConnection;

use super::SimilarImages;
use super::index::Neighbour;
use super::threshold;
use crate::db::caller::Caller;
use crate::db::ids::ImageId;
use crate::db::near_duplicates;
use crate::error::AppResult;

pub enum Near {
    /// The image has no hash yet (the pass has not reached it, or it could not be decoded).
    NotHashed,
    Found {
        neighbours: Vec<Neighbour>,
        max_distance: u32,
    },
}

pub fn near(
    conn: &mut SqliteConnection,
    similar: &SimilarImages,
    caller: Caller,
    image: ImageId,
    max_distance: Option<u32>,
) -> AppResult<Near> {
    let max_distance = match max_distance {
        Some(distance) => distance,
        None => threshold::current(conn)?,
    };
    let Some(all) = similar.near(image.0, max_distance) else {
        return Ok(Near::NotHashed);
    };
    Ok(Near::Found {
        neighbours: near_duplicates::visible(conn, caller, image, &all)?,
        max_distance,
    })
}
