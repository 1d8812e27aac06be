//! The admin page's "Near-duplicates" section: how far the hashing pass has come and the
//! similarity threshold the owner chose.

use crate::similar::Progress;
use crate::similar::threshold::PRESETS;

pub struct PresetOption {
    pub name: &'static str,
    pub distance: u32,
    pub chosen: bool,
}

pub struct NearAdminView {
    pub progress: Progress,
    /// Whole percent of the images hashed.
    pub percent: i64,
    pub presets: Vec<PresetOption>,
    /// The threshold when it is none of the presets (set through the database by hand).
    pub custom: Option<u32>,
}

impl NearAdminView {
    pub fn new(progress: Progress, distance: u32) -> NearAdminView {
        let percent = (progress.done * 100)
            .checked_div(progress.total)
            .unwrap_or(100)
            .clamp(0, 100);
        NearAdminView {
            percent,
            presets: PRESETS
                .iter()
                .map(|&(name, d)| PresetOption {
                    name,
                    distance: d,
                    chosen: d == distance,
                })
                .collect(),
            custom: (!PRESETS.iter().any(|(_, d)| *d == distance)).then_some(distance),
            progress,
        }
    }
}
