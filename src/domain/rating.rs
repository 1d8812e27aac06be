//! One user's verdict on one image, and what each rating action does to it. The rules live
//! here, with no I/O, so the image page, the gallery keys and bulk actions all agree.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quality {
    Perfect,
    Imperfect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Ko,
}

impl Quality {
    pub fn as_str(self) -> &'static str {
        match self {
            Quality::Perfect => "perfect",
            Quality::Imperfect => "imperfect",
        }
    }

    pub fn parse(text: &str) -> Option<Quality> {
        match text {
            "perfect" => Some(Quality::Perfect),
            "imperfect" => Some(Quality::Imperfect),
            _ => None,
        }
    }
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Ko => "ko",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        match text {
            "ok" => Some(Status::Ok),
            "ko" => Some(Status::Ko),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    pub quality: Option<Quality>,
    pub liked: bool,
    pub status: Option<Status>,
    pub failure_category: Option<String>,
    pub failure_notes: Option<String>,
}

impl Verdict {
    pub fn is_empty(&self) -> bool {
        self.quality.is_none() && !self.liked && self.status.is_none()
    }

    /// The verdict after `action`. Buttons toggle: pressing thumbs up on a thumbs-up image
    /// takes it back. A perfect image is by definition not KO, and KO takes back "perfect".
    pub fn apply(&self, action: &RatingAction) -> Verdict {
        let mut next = self.clone();
        match action {
            RatingAction::Perfect => {
                if next.quality == Some(Quality::Perfect) {
                    next.quality = None;
                } else {
                    next.quality = Some(Quality::Perfect);
                    next.clear_failure();
                    next.status = Some(Status::Ok);
                }
            }
            RatingAction::Imperfect => {
                next.quality = if next.quality == Some(Quality::Imperfect) {
                    None
                } else {
                    Some(Quality::Imperfect)
                };
            }
            RatingAction::Like => next.liked = !next.liked,
            RatingAction::Ok => {
                if next.status == Some(Status::Ok) {
                    next.status = None;
                } else {
                    next.clear_failure();
                    next.status = Some(Status::Ok);
                }
            }
            RatingAction::Ko { category, notes } => {
                next.status = Some(Status::Ko);
                next.failure_category = Some(category.clone());
                next.failure_notes = notes.clone();
                if next.quality == Some(Quality::Perfect) {
                    next.quality = None;
                }
            }
            RatingAction::NotKo => {
                if next.status == Some(Status::Ko) {
                    next.clear_failure();
                }
            }
            RatingAction::Restore(previous) => next = previous.clone(),
        }
        next
    }

    /// Like `apply`, but never takes a rating back: for bulk actions, where "thumbs up on
    /// these 40 images" must not untoggle the ones that already had it.
    pub fn set(&self, action: &RatingAction) -> Verdict {
        let already = match action {
            RatingAction::Perfect => self.quality == Some(Quality::Perfect),
            RatingAction::Imperfect => self.quality == Some(Quality::Imperfect),
            RatingAction::Like => self.liked,
            RatingAction::Ok => self.status == Some(Status::Ok),
            _ => false,
        };
        if already {
            self.clone()
        } else {
            self.apply(action)
        }
    }

    fn clear_failure(&mut self) {
        self.status = None;
        self.failure_category = None;
        self.failure_notes = None;
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RatingAction {
    /// Thumbs up (`P`).
    Perfect,
    /// Thumbs down (`X`).
    Imperfect,
    /// The heart (`L`).
    Like,
    Ok,
    /// The KO dialog (`K`): a failure category and optional notes.
    Ko {
        category: String,
        notes: Option<String>,
    },
    NotKo,
    /// Undo (`U`): put back exactly what was there before.
    Restore(Verdict),
}

/// The form every rating request posts; `action` says which of the fields matter.
#[derive(Debug, Default, Deserialize)]
pub struct RatingForm {
    pub action: String,
    pub category: Option<String>,
    pub notes: Option<String>,
    pub quality: Option<String>,
    pub liked: Option<String>,
    pub status: Option<String>,
}

const MAX_NOTES: usize = 4000;

fn optional(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

impl RatingForm {
    /// Checks the form; the error says what was wrong. Categories are checked against the
    /// database by the caller (they are rows, so new ones need no code).
    pub fn parse(&self) -> Result<RatingAction, String> {
        let notes = self
            .notes
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        if notes.as_ref().is_some_and(|n| n.len() > MAX_NOTES) {
            return Err(format!("notes are limited to {MAX_NOTES} characters"));
        }
        Ok(match self.action.as_str() {
            "perfect" => RatingAction::Perfect,
            "imperfect" => RatingAction::Imperfect,
            "like" => RatingAction::Like,
            "ok" => RatingAction::Ok,
            "not_ko" => RatingAction::NotKo,
            "ko" => {
                let category = optional(&self.category)
                    .ok_or("choose a failure category for KO")?
                    .to_owned();
                RatingAction::Ko { category, notes }
            }
            "restore" => {
                let quality = match optional(&self.quality) {
                    None => None,
                    Some(q) => Some(Quality::parse(q).ok_or(format!(
                        "unknown quality `{q}`: use perfect, imperfect or nothing"
                    ))?),
                };
                let status = match optional(&self.status) {
                    None => None,
                    Some(s) => Some(
                        Status::parse(s)
                            .ok_or(format!("unknown status `{s}`: use ok, ko or nothing"))?,
                    ),
                };
                let failure_category = optional(&self.category).map(str::to_owned);
                if status == Some(Status::Ko) && failure_category.is_none() {
                    return Err("a KO needs a failure category".to_owned());
                }
                RatingAction::Restore(Verdict {
                    quality,
                    liked: matches!(self.liked.as_deref(), Some("1" | "true" | "on")),
                    status,
                    failure_category: failure_category.filter(|_| status == Some(Status::Ko)),
                    failure_notes: notes.filter(|_| status == Some(Status::Ko)),
                })
            }
            other => {
                return Err(format!(
                    "unknown rating action `{other}`: use perfect, imperfect, like, ok, ko, not_ko or restore"
                ));
            }
        })
    }
}

/// What all raters together say about an image, from its counters.
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

    fn ko(category: &str) -> RatingAction {
        RatingAction::Ko {
            category: category.into(),
            notes: Some("hands".into()),
        }
    }

    #[test]
    fn buttons_toggle_and_perfect_and_ko_exclude_each_other() {
        let v = Verdict::default().apply(&RatingAction::Perfect);
        assert_eq!(v.quality, Some(Quality::Perfect));
        assert_eq!(v.status, Some(Status::Ok));
        let v = v.apply(&ko("malformed"));
        assert_eq!((v.quality, v.status), (None, Some(Status::Ko)));
        assert_eq!(v.failure_notes.as_deref(), Some("hands"));
        let v = v.apply(&RatingAction::Perfect);
        assert_eq!(v.failure_category, None);
        let v = v.apply(&RatingAction::Perfect);
        assert_eq!(v.quality, None);
        let liked = Verdict::default().apply(&RatingAction::Like);
        assert!(liked.liked);
        assert!(!liked.apply(&RatingAction::Like).liked);
    }

    #[test]
    fn set_never_takes_a_rating_back() {
        let liked = Verdict::default().set(&RatingAction::Like);
        assert!(liked.set(&RatingAction::Like).liked);
        let perfect = Verdict::default().set(&RatingAction::Perfect);
        assert_eq!(
            perfect.set(&RatingAction::Perfect).quality,
            Some(Quality::Perfect)
        );
    }

    #[test]
    fn restore_puts_back_exactly_the_previous_verdict() {
        let before = Verdict::default().apply(&ko("noise"));
        let after = before.apply(&RatingAction::NotKo);
        assert!(after.is_empty());
        assert_eq!(after.apply(&RatingAction::Restore(before.clone())), before);
    }

    #[test]
    fn forms_are_checked_with_messages() {
        let form = |action: &str| RatingForm {
            action: action.into(),
            ..RatingForm::default()
        };
        assert_eq!(form("like").parse(), Ok(RatingAction::Like));
        assert!(form("ko").parse().unwrap_err().contains("category"));
        assert!(
            form("explode")
                .parse()
                .unwrap_err()
                .contains("unknown rating action")
        );
        let restore = RatingForm {
            action: "restore".into(),
            quality: Some("great".into()),
            ..RatingForm::default()
        };
        assert!(restore.parse().unwrap_err().contains("unknown quality"));
    }

    #[test]
    fn the_combined_verdict_counts_only_raters_who_said_something() {
        let ok = Verdict::default().apply(&RatingAction::Perfect);
        let ko = Verdict::default()
            .apply(&ko("noise"))
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
