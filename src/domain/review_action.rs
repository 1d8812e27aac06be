//! What each decision of the review screen sets. In review a key or swipe always means the
//! same thing, whatever was there before: thumbs up on a thumbs-up image keeps it (and moves
//! on) rather than taking it back, as the image page's buttons would. Only the heart toggles,
//! because it is a mark on top of a verdict, not a verdict.
//!
//! Every decision is sent as the whole verdict it results in (`action=restore`), so sending it
//! twice, as a retry after a lost answer does, changes nothing. `static/js/review_rules.js`
//! follows these same rules (the browser needs them to move on at once, and offline); both
//! are checked against one table, `tests/review_rules.json`: here, and in the page by
//! `tests/browser/review_rules.rs`.

use crate::domain::rating::{RatingAction, Verdict};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewAction {
    /// P, Up, swipe right.
    Up,
    /// X, Down, swipe left.
    Down,
    /// L, double tap.
    Heart,
    /// O: looked at, nothing wrong.
    NotKo,
    /// K then a category, swipe up then a category.
    Ko {
        category: String,
        notes: Option<String>,
    },
}

impl ReviewAction {
    /// The verdict after this decision on an image whose verdict was `mine`.
    pub fn verdict_from(&self, mine: &Verdict) -> Verdict {
        match self {
            ReviewAction::Up => mine.set(&RatingAction::Perfect),
            ReviewAction::Down => mine.set(&RatingAction::Imperfect),
            ReviewAction::Heart => mine.apply(&RatingAction::Like),
            ReviewAction::NotKo => mine.set(&RatingAction::Ok),
            ReviewAction::Ko { category, notes } => mine.apply(&RatingAction::Ko {
                category: category.clone(),
                notes: notes.clone(),
            }),
        }
    }

    /// Whether it is a judgement, which moves on to the next image.
    pub fn moves_on(&self) -> bool {
        !matches!(self, ReviewAction::Heart)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rating::{Quality, Status};

    #[test]
    fn a_decision_sets_its_verdict_and_never_takes_it_back() {
        let up = ReviewAction::Up.verdict_from(&Verdict::default());
        assert_eq!(up.quality, Some(Quality::Perfect));
        assert_eq!(ReviewAction::Up.verdict_from(&up), up, "P twice is still P");
        let ko = ReviewAction::Ko {
            category: "noise".into(),
            notes: None,
        }
        .verdict_from(&up);
        assert_eq!((ko.quality, ko.status), (None, Some(Status::Ko)));
        let fine = ReviewAction::NotKo.verdict_from(&ko);
        assert_eq!(
            (fine.status, fine.failure_category.clone()),
            (Some(Status::Ok), None)
        );
        assert_eq!(ReviewAction::NotKo.verdict_from(&fine), fine);
    }

    /// A verdict as the table (and the page's script) writes it: empty strings for none.
    #[derive(serde::Deserialize)]
    struct Written {
        quality: String,
        liked: bool,
        status: String,
        category: String,
        notes: String,
    }

    impl Written {
        fn verdict(&self) -> Verdict {
            let text = |t: &str| (!t.is_empty()).then(|| t.to_owned());
            Verdict {
                quality: Quality::parse(&self.quality),
                liked: self.liked,
                status: Status::parse(&self.status),
                failure_category: text(&self.category),
                failure_notes: text(&self.notes),
            }
        }
    }

    #[derive(serde::Deserialize)]
    struct Row {
        before: Written,
        act: String,
        category: Option<String>,
        notes: Option<String>,
        after: Written,
    }

    #[derive(serde::Deserialize)]
    struct Table {
        rows: Vec<Row>,
    }

    #[test]
    fn every_row_of_the_shared_table_of_rules_holds() {
        let table: Table = serde_json::from_str(include_str!("../../tests/review_rules.json"))
            .expect("tests/review_rules.json is a table of rules");
        assert!(table.rows.len() >= 100, "every act on every before-state");
        for row in &table.rows {
            let action = match row.act.as_str() {
                "up" => ReviewAction::Up,
                "down" => ReviewAction::Down,
                "like" => ReviewAction::Heart,
                "ok" => ReviewAction::NotKo,
                "ko" => ReviewAction::Ko {
                    category: row.category.clone().expect("a KO row names its category"),
                    notes: row.notes.clone().filter(|n| !n.is_empty()),
                },
                other => panic!("unknown act `{other}` in the table"),
            };
            let before = row.before.verdict();
            assert_eq!(
                action.verdict_from(&before),
                row.after.verdict(),
                "{} on {before:?}",
                row.act
            );
        }
    }

    #[test]
    fn the_heart_toggles_and_does_not_move_on() {
        let liked = ReviewAction::Heart.verdict_from(&Verdict::default());
        assert!(liked.liked);
        assert!(!ReviewAction::Heart.verdict_from(&liked).liked);
        assert!(!ReviewAction::Heart.moves_on());
        assert!(ReviewAction::Down.moves_on());
    }
}
