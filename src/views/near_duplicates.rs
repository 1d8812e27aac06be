//! The image page's "Near-duplicates (3)" box.

use crate::db::ids::ImageId;
use crate::similar::index::Neighbour;
use crate::similar::near::Near;
use crate::similar::threshold;

/// The most near-duplicates the box shows; the heading counts them all.
const SHOWN: usize = 24;

pub struct NearView {
    pub image_id: ImageId,
    /// False until the background pass has hashed this image.
    pub hashed: bool,
    pub count: usize,
    pub items: Vec<Neighbour>,
    /// "high similarity (5 bits)", as the admin chose it.
    pub threshold: String,
    /// Reviewers may mark a pair "not duplicates".
    pub can_mark: bool,
}

impl NearView {
    pub fn new(image_id: ImageId, near: Near, can_mark: bool) -> NearView {
        match near {
            Near::NotHashed => NearView {
                image_id,
                hashed: false,
                count: 0,
                items: Vec::new(),
                threshold: String::new(),
                can_mark,
            },
            Near::Found {
                neighbours,
                max_distance,
            } => NearView {
                image_id,
                hashed: true,
                count: neighbours.len(),
                items: neighbours.into_iter().take(SHOWN).collect(),
                threshold: match threshold::preset_name(max_distance) {
                    Some(name) => format!("{name} similarity, at most {max_distance} bits apart"),
                    None => format!("at most {max_distance} bits apart"),
                },
                can_mark,
            },
        }
    }
}
