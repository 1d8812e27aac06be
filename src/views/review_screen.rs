//! The review screen: the image in front, the verdict bar with a real form per decision (so it
//! works without JavaScript), the queue's first page for the script, progress and the way out.

use serde::Serialize;

use crate::db::ids::ImageId;
use crate::db::models::FailureCategory;
use crate::domain::rating::Verdict;
use crate::domain::review_action::ReviewAction;
use crate::domain::review_query::ReviewQuery;
use crate::views::gallery::thousands;
use crate::views::review_item::ReviewItem;
use crate::views::verdict::VerdictView;

/// One decision of the verdict bar, with the whole verdict it sets on the image in front.
pub struct ButtonView {
    /// What the script calls it.
    pub act: &'static str,
    /// The verdict's class: its one symbol and colour.
    pub kind: &'static str,
    pub label: &'static str,
    pub title: &'static str,
    pub keys: &'static str,
    pub pressed: bool,
    pub fields: VerdictView,
}

pub struct UndoView {
    pub url: String,
    pub fields: VerdictView,
}

/// Going through groups: the near-duplicate group of the image shown.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GroupView {
    pub image: i32,
    /// Its live images, the one shown included: a decision applies to all of them.
    pub count: usize,
    /// "Keep the best, trash the rest" (admins: the trash is theirs).
    pub keep_url: Option<String>,
}

pub struct ReviewScreen {
    pub current: Option<ReviewItem>,
    pub group: Option<GroupView>,
    /// The review goes through near-duplicate groups: the notice is there for every image.
    pub grouping: bool,
    /// "Keep the best, trash the rest" is offered (admins).
    pub can_keep_best: bool,
    pub can_rate: bool,
    pub csrf: String,
    /// The queue's first page and settings, as JSON, for `static/js/review.js`.
    pub state: String,
    pub left_label: String,
    /// What is being reviewed: a session, a search, a tag, the whole library.
    pub scope: String,
    pub blind: bool,
    /// The household's blind mode binds this reviewer: the queue's toggle cannot show more.
    pub household_blind: bool,
    pub blind_href: String,
    pub unblind_href: String,
    pub rate_url: String,
    pub buttons: Vec<ButtonView>,
    /// Quality and heart kept by a KO (which takes "perfect" back).
    pub ko_fields: VerdictView,
    pub categories: Vec<FailureCategory>,
    pub undo: Option<UndoView>,
    pub skip_href: Option<String>,
    /// The image before this one, its verdict kept: known to the page only when it came
    /// from that image (a plain form's decision or skip); the script knows the rest.
    pub back_href: Option<String>,
}

/// Where the end of a pass leads.
pub struct EndLinks {
    pub exit_href: String,
    pub exit_label: String,
    pub again_href: String,
}

#[derive(Serialize)]
struct State<'a> {
    items: &'a [ReviewItem],
    more: bool,
    query: String,
    left: i64,
    left_capped: bool,
    done: i64,
    unrated: bool,
    blind: bool,
    can_rate: bool,
    /// Whose decisions wait in this browser's storage until they are saved.
    user: &'a str,
    categories: Vec<(&'a str, &'a str)>,
}

/// How far the pass has come: "37 of 412 left" for an unrated queue (judged images leave it),
/// the count of the queue otherwise.
pub fn left_label(left: i64, capped: bool, done: i64, unrated: bool) -> String {
    let plus = if capped { "+" } else { "" };
    if unrated {
        format!(
            "{}{plus} of {}{plus} left",
            thousands(left),
            thousands(left + done)
        )
    } else {
        format!("{}{plus} in the queue", thousands(left))
    }
}

fn buttons(mine: &Verdict) -> Vec<ButtonView> {
    let button = |act, kind, label, title, keys, action: ReviewAction, pressed| ButtonView {
        act,
        kind,
        label,
        title,
        keys,
        pressed,
        fields: VerdictView::from(&action.verdict_from(mine)),
    };
    let now = VerdictView::from(mine);
    vec![
        button(
            "down",
            "imperfect",
            "Down",
            "Thumbs down (X, ↓, swipe left)",
            "X ArrowDown",
            ReviewAction::Down,
            now.quality == "imperfect",
        ),
        button(
            "ok",
            "ok",
            "Not KO",
            "Not KO: nothing wrong (O)",
            "O",
            ReviewAction::NotKo,
            now.status == "ok",
        ),
        button(
            "like",
            "like",
            "Heart",
            "Heart (L, double tap)",
            "L",
            ReviewAction::Heart,
            now.liked,
        ),
        button(
            "up",
            "perfect",
            "Up",
            "Thumbs up (P, ↑, swipe right)",
            "P ArrowUp",
            ReviewAction::Up,
            now.quality == "perfect",
        ),
    ]
}

pub struct ScreenParts<'a> {
    pub query: &'a ReviewQuery,
    pub items: Vec<ReviewItem>,
    pub mine: Verdict,
    pub more: bool,
    pub left: (i64, bool),
    pub done: i64,
    pub categories: Vec<FailureCategory>,
    pub can_rate: bool,
    pub csrf: String,
    pub user: String,
    pub scope: String,
}

impl ReviewScreen {
    pub fn new(parts: ScreenParts<'_>) -> ReviewScreen {
        let ScreenParts {
            query,
            items,
            mine,
            more,
            left,
            done,
            categories,
            can_rate,
            csrf,
            user,
            scope,
        } = parts;
        let base = query.query_string();
        let state = State {
            items: &items,
            more,
            query: base.clone(),
            left: left.0,
            left_capped: left.1,
            done,
            unrated: query.filter.unrated_by_me,
            blind: query.blind,
            can_rate,
            user: &user,
            categories: categories
                .iter()
                .map(|c| (c.name.as_str(), c.label.as_str()))
                .collect(),
        };
        let state = serde_json::to_string(&state).unwrap_or_default();
        let current = items.into_iter().next();
        let id = current.as_ref().map(|item| ImageId(item.id));
        let mut ko = ReviewAction::Ko {
            category: String::new(),
            notes: None,
        }
        .verdict_from(&mine);
        ko.failure_category = None;
        let toggled = |blind: bool| {
            let mut other = query.clone();
            other.blind = blind;
            format!("/review?{}", other.query_string())
        };
        ReviewScreen {
            rate_url: id.map_or_else(String::new, |id| format!("/review/images/{id}?{base}")),
            skip_href: id.map(|id| format!("/review?{}", query.after(id))),
            back_href: query
                .cursor
                .filter(|before| Some(*before) != id)
                .map(|before| format!("/review?{}", query.at(before))),
            undo: query.undo.as_ref().map(|(image, before)| UndoView {
                url: format!("/review/images/{image}?{base}"),
                fields: VerdictView::from(before),
            }),
            buttons: buttons(&mine),
            ko_fields: VerdictView::from(&ko),
            left_label: left_label(left.0, left.1, done, query.filter.unrated_by_me),
            blind: query.blind,
            household_blind: false,
            blind_href: toggled(true),
            unblind_href: toggled(false),
            current,
            group: None,
            grouping: false,
            can_keep_best: false,
            can_rate,
            csrf,
            state,
            scope,
            categories,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reads_as_left_of_the_whole_pass() {
        assert_eq!(left_label(37, false, 375, true), "37 of 412 left");
        assert_eq!(left_label(10_000, true, 2, true), "10,000+ of 10,002+ left");
        assert_eq!(left_label(12, false, 3, false), "12 in the queue");
    }
}
