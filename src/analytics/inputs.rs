//! Everything the figures are counted from, read once per computation and indexed by slot:
//! the filtered images in a dense array, with their session, verdict flags and KO categories.

use std::collections::HashMap;

use diesel::SqliteConnection;

use super::group_once;
use crate::db::caller::Caller;
use crate::db::ids::{SessionId, UserId};
use crate::db::models::FailureCategory;
use crate::db::stats::{self, SessionRow, flags};
use crate::db::{judgements, near_groups};
use crate::domain::gallery_filter::GalleryFilter;
use crate::domain::stats::rule::{Counted, KoRule};
use crate::error::AppResult;

/// One image that passes the filter.
#[derive(Debug, Clone, Copy)]
pub struct Image {
    /// Index into `Inputs::sessions`.
    pub session: u32,
    pub flags: u8,
    /// Raters who called it OK, and KO.
    pub oks: u16,
    pub kos: u16,
}

impl Image {
    pub fn judged(&self) -> bool {
        self.flags & (flags::OK | flags::KO) != 0
    }

    /// Statuses given to it: one per rater who said OK or KO.
    pub fn judgements(&self) -> u64 {
        u64::from(self.oks) + u64::from(self.kos)
    }

    /// What it adds to a rate under `rule`.
    pub fn counted(&self, rule: KoRule) -> Counted {
        rule.count(u64::from(self.oks), u64::from(self.kos))
    }
}

/// A judgement on an image that passes the filter.
#[derive(Debug, Clone, Copy)]
pub struct Judged {
    pub image: u32,
    /// Index into `Inputs::users`.
    pub user: u32,
    /// 0 none, 1 OK, 2 KO.
    pub status: u8,
    /// Index into `Inputs::categories` of a KO's category.
    pub category: Option<u8>,
    /// Days since 1970-01-01.
    pub day: i64,
}

pub struct Inputs {
    /// What makes an image KO.
    pub rule: KoRule,
    pub sessions: Vec<SessionRow>,
    /// Tags, by session index.
    pub tags: Vec<Vec<String>>,
    pub images: Vec<Image>,
    /// Image id -> index into `images`, or `u32::MAX`.
    slots: Vec<u32>,
    /// Bit c set when some rater put the image in category c, for KO images only.
    pub ko_categories: HashMap<u32, u64>,
    pub categories: Vec<FailureCategory>,
    pub users: Vec<String>,
    pub judgements: Vec<Judged>,
    /// (image index, variation id), grouped by image.
    pub image_variations: Vec<(u32, i32)>,
    /// Variation id -> (placeholder, value).
    pub variations: HashMap<i32, (String, String)>,
    pub images_in_trash: u64,
    /// True when nothing narrows the library: empty sessions count too.
    pub whole_library: bool,
}

/// Categories beyond this many are counted under the last bit (a u64 mask per image).
const MAX_CATEGORIES: usize = 64;

impl Inputs {
    pub fn load(
        conn: &mut SqliteConnection,
        filter: &GalleryFilter,
        rule: KoRule,
        caller: Caller,
    ) -> AppResult<Inputs> {
        let sessions = stats::sessions(conn)?;
        let session_index: HashMap<SessionId, u32> = sessions
            .iter()
            .enumerate()
            .map(|(at, s)| (s.id, at as u32))
            .collect();
        let mut tags = vec![Vec::new(); sessions.len()];
        for (session, tag) in stats::tags(conn)? {
            if let Some(&at) = session_index.get(&session) {
                tags[at as usize].push(tag);
            }
        }
        let rows = stats::images(conn, filter, caller)?;
        let max_id = rows.iter().map(|r| r.0).max().unwrap_or(0).max(0) as usize;
        let mut slots = vec![u32::MAX; max_id + 1];
        let mut images = Vec::with_capacity(rows.len());
        // Across the library, a deleted session's images are in the trash with it (the query
        // leaves that to us: see `stats::images`). By id rather than through the map: a
        // million lookups.
        let live_only = filter.session.is_none();
        let max_session = sessions.iter().map(|s| s.id.0).max().unwrap_or(0).max(0) as usize;
        let mut session_at = vec![u32::MAX; max_session + 1];
        for (at, session) in sessions.iter().enumerate() {
            let slot = usize::try_from(session.id.0)
                .ok()
                .and_then(|id| session_at.get_mut(id));
            if let Some(slot) = slot.filter(|_| !(live_only && session.is_deleted)) {
                *slot = at as u32;
            }
        }
        let mut kept: Vec<group_once::Row> = Vec::with_capacity(rows.len());
        for (id, session, bits) in rows {
            let session = usize::try_from(session.0)
                .ok()
                .and_then(|s| session_at.get(s))
                .copied()
                .unwrap_or(u32::MAX);
            if session == u32::MAX || id < 0 {
                continue;
            }
            kept.push((id, session, bits));
        }
        if filter.group_near {
            let groups = near_groups::all(conn)?.into_iter().collect();
            kept = group_once::once_per_group(kept, &groups);
        }
        for (id, session, bits) in kept {
            slots[id as usize] = images.len() as u32;
            images.push(Image {
                session,
                flags: bits as u8,
                oks: 0,
                kos: 0,
            });
        }
        let categories = judgements::failure_categories(conn)?;
        let category_index: HashMap<&str, u8> = categories
            .iter()
            .enumerate()
            .map(|(at, c)| (c.name.as_str(), at.min(MAX_CATEGORIES - 1) as u8))
            .collect();
        let users_rows = stats::users(conn)?;
        let user_index: HashMap<UserId, u32> = users_rows
            .iter()
            .enumerate()
            .map(|(at, (id, _))| (*id, at as u32))
            .collect();
        let mut inputs = Inputs {
            rule,
            whole_library: filter.search.is_none()
                && filter.session.is_none()
                && !filter.is_filtered()
                && !filter.deleted,
            sessions,
            tags,
            images,
            slots,
            ko_categories: HashMap::new(),
            users: users_rows.into_iter().map(|(_, name)| name).collect(),
            judgements: Vec::new(),
            image_variations: Vec::new(),
            variations: HashMap::new(),
            images_in_trash: stats::images_in_trash(conn)? as u64,
            categories: Vec::new(),
        };
        for (image, user, status, category, day) in stats::judgements(conn)? {
            let (Some(image), Some(&user)) = (inputs.slot(image), user_index.get(&user)) else {
                continue;
            };
            let category = category.and_then(|c| category_index.get(c.as_str()).copied());
            if let Some(c) = category {
                *inputs.ko_categories.entry(image).or_default() |= 1u64 << c;
            }
            if let Some(counted) = inputs.images.get_mut(image as usize) {
                match status {
                    1 => counted.oks = counted.oks.saturating_add(1),
                    2 => counted.kos = counted.kos.saturating_add(1),
                    _ => {}
                }
            }
            inputs.judgements.push(Judged {
                image,
                user,
                status: status as u8,
                category,
                day,
            });
        }
        inputs.categories = categories;
        inputs.image_variations = stats::image_variations(conn)?
            .into_iter()
            .filter_map(|(image, variation)| inputs.slot(image).map(|at| (at, variation)))
            .collect();
        inputs.variations = stats::variations(conn)?
            .into_iter()
            .map(|(id, placeholder, value)| (id, (placeholder, value)))
            .collect();
        Ok(inputs)
    }

    /// Inputs of the whole library from sessions and their images alone (no judgements,
    /// placeholders or categories), for tests of the groupings.
    #[cfg(test)]
    pub fn of(rule: KoRule, sessions: Vec<SessionRow>, images: Vec<Image>) -> Inputs {
        Inputs {
            rule,
            tags: vec![Vec::new(); sessions.len()],
            sessions,
            slots: vec![u32::MAX; images.len()],
            images,
            ko_categories: HashMap::new(),
            categories: Vec::new(),
            users: Vec::new(),
            judgements: Vec::new(),
            image_variations: Vec::new(),
            variations: HashMap::new(),
            images_in_trash: 0,
            whole_library: true,
        }
    }

    fn slot(&self, image_id: i32) -> Option<u32> {
        usize::try_from(image_id)
            .ok()
            .and_then(|at| self.slots.get(at))
            .copied()
            .filter(|&slot| slot != u32::MAX)
    }

    /// The most frequent category among KO images whose mask bits are tallied in `counts`.
    pub fn common_category(&self, counts: &[u64]) -> Option<String> {
        let (at, &most) = counts
            .iter()
            .enumerate()
            .max_by(|(a, x), (b, y)| x.cmp(y).then(b.cmp(a)))?;
        (most > 0).then(|| self.categories.get(at).map(|c| c.name.clone()))?
    }

    /// What `image` adds to a rate under the rule.
    pub fn counted(&self, image: &Image) -> Counted {
        image.counted(self.rule)
    }

    /// Adds the categories of `image` (if KO) to `counts`.
    pub fn tally_categories(&self, image: u32, counts: &mut [u64]) {
        if let Some(&mask) = self.ko_categories.get(&image) {
            for (c, count) in counts.iter_mut().enumerate() {
                if mask & (1u64 << c) != 0 {
                    *count += 1;
                }
            }
        }
    }
}
