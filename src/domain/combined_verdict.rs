//! What all raters together say about an image.

use crate::domain::rating::{Quality, Status, Verdict};

/// Counts over the raters' verdicts: the same numbers the image's counters hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Combined {
    pub raters: i32,
    pub likes: i32,
    pub perfects: i32,
    pub imperfects: i32,
    pub oks: i32,
    pub kos: i32,
}

impl Combined {
    /// What the counters on the image hold, counted from the raters' verdicts themselves.
    pub fn of<'a>(verdicts: impl IntoIterator<Item = &'a Verdict>) -> Combined {
        let mut combined = Combined::default();
        for verdict in verdicts {
            if verdict.is_empty() {
                continue;
            }
            combined.raters += 1;
            combined.likes += i32::from(verdict.liked);
            combined.perfects += i32::from(verdict.quality == Some(Quality::Perfect));
            combined.imperfects += i32::from(verdict.quality == Some(Quality::Imperfect));
            combined.oks += i32::from(verdict.status == Some(Status::Ok));
            combined.kos += i32::from(verdict.status == Some(Status::Ko));
        }
        combined
    }

    /// `ok` or `ko` when the raters who gave a status agree, `split` when they do not.
    pub fn status(&self) -> Option<&'static str> {
        match (self.oks > 0, self.kos > 0) {
            (true, true) => Some("split"),
            (true, false) => Some("ok"),
            (false, true) => Some("ko"),
            (false, false) => None,
        }
    }

    /// The majority on quality; a tie is `split`.
    pub fn quality(&self) -> Option<&'static str> {
        use std::cmp::Ordering::*;
        match (
            self.perfects + self.imperfects,
            self.perfects.cmp(&self.imperfects),
        ) {
            (0, _) => None,
            (_, Greater) => Some("perfect"),
            (_, Less) => Some("imperfect"),
            (_, Equal) => Some("split"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rating::RatingAction;

    #[test]
    fn the_combined_verdict_counts_only_raters_who_said_something() {
        let ok = Verdict::default().apply(&RatingAction::Perfect);
        let ko = Verdict::default()
            .apply(&RatingAction::Ko {
                category: "noise".into(),
                notes: None,
            })
            .apply(&RatingAction::Like);
        let c = Combined::of([&ok, &ko, &Verdict::default()]);
        assert_eq!(
            c,
            Combined {
                raters: 2,
                likes: 1,
                perfects: 1,
                imperfects: 0,
                oks: 1,
                kos: 1
            }
        );
    }

    #[test]
    fn the_combined_verdict_says_split_when_raters_disagree() {
        let c = Combined {
            raters: 2,
            oks: 1,
            kos: 1,
            perfects: 1,
            ..Combined::default()
        };
        assert_eq!(c.status(), Some("split"));
        assert_eq!(c.quality(), Some("perfect"));
        assert_eq!(Combined::default().status(), None);
    }
}
