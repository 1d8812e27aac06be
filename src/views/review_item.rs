//! One queued image as the review screen shows it, in the page and as JSON for its script.
//! Others' verdicts arrive hidden already where the household's blind mode hides them
//! (`db::review_items`); the queue's own `blind` (on unless `blind=0`) hides them further
//! until mine is given, and cannot show what the household's rule hides.

use serde::Serialize;

use super::verdict::VerdictView;
use crate::db::gallery::GalleryItem;
use crate::db::review_items::ItemFacts;
use crate::domain::rating::Verdict;

#[derive(Debug, Clone, Serialize)]
pub struct RaterJson {
    pub name: String,
    pub verdict: VerdictView,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewItem {
    pub id: i32,
    pub session: String,
    pub filename: String,
    pub seed: Option<i64>,
    pub width: i32,
    pub height: i32,
    pub broken: bool,
    pub thumb: String,
    pub screen: String,
    pub original: String,
    pub href: String,
    pub prompt: Option<String>,
    pub negative: Option<String>,
    pub variations: Vec<(String, String)>,
    pub mine: VerdictView,
    /// The other raters' verdicts; None while blind mode (the household's or the queue's)
    /// hides them.
    pub others: Option<Vec<RaterJson>>,
    /// Going through groups: the near-duplicate group this image stands for.
    pub group: Option<crate::views::review_screen::GroupView>,
}

/// Whether the queue's own blind mode lets others' verdicts show: always without it, with it
/// once I have given mine.
pub fn reveals(blind: bool, mine: &Verdict) -> bool {
    !blind || !mine.is_empty()
}

pub fn others(blind: bool, facts: &ItemFacts) -> Option<Vec<RaterJson>> {
    let others = facts.others.as_ref()?;
    reveals(blind, &facts.mine).then(|| {
        others
            .iter()
            .map(|(name, verdict)| RaterJson {
                name: name.clone(),
                verdict: VerdictView::from(verdict),
            })
            .collect()
    })
}

impl ReviewItem {
    pub fn new(item: &GalleryItem, facts: ItemFacts, blind: bool) -> ReviewItem {
        let id = item.id.0;
        ReviewItem {
            id,
            filename: item.filename.clone(),
            seed: item.seed,
            width: item.width.unwrap_or(512).max(1),
            height: item.height.unwrap_or(512).max(1),
            broken: item.broken.is_some(),
            thumb: format!("/images/{id}/thumb"),
            screen: format!("/images/{id}/screen"),
            original: format!("/images/{id}/original"),
            href: format!("/images/{id}"),
            others: others(blind, &facts),
            group: None,
            mine: VerdictView::from(&facts.mine),
            session: facts.session_name,
            prompt: facts.prompt,
            negative: facts.negative,
            variations: facts.variations,
        }
    }

    pub fn alt(&self) -> String {
        match self.seed {
            Some(seed) => format!("{} from {}, seed {seed}", self.filename, self.session),
            None => format!("{} from {}", self.filename, self.session),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blind_mode_hides_others_until_i_have_given_my_verdict() {
        let facts = ItemFacts {
            others: Some(vec![("ana".into(), Verdict::default())]),
            ..ItemFacts::default()
        };
        assert!(others(true, &facts).is_none());
        assert!(others(false, &facts).is_some());
        let mine = ItemFacts {
            mine: Verdict {
                liked: true,
                ..Verdict::default()
            },
            ..facts
        };
        assert_eq!(others(true, &mine).map(|o| o.len()), Some(1));
    }

    #[test]
    fn what_the_household_hides_the_queue_cannot_show() {
        let hidden = ItemFacts {
            others: None,
            ..ItemFacts::default()
        };
        assert!(others(false, &hidden).is_none());
    }
}
