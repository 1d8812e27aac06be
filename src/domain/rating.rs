//! One user's verdict on one image, and what each rating action does to it. The rules live
//! here, with no I/O, so the image page, the gallery keys and bulk actions all agree.

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

/// A decision made against a verdict that has changed since (by the same person, on another
/// device): it was not applied, and both verdicts go back to the device that sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The verdict stored now.
    pub stored: Verdict,
    /// What the decision would have made of the verdict it was made against.
    pub wanted: Verdict,
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
}
