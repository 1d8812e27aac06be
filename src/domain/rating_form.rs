//! The form every rating request posts, checked into a `RatingAction`.

use serde::Deserialize;

use crate::domain::rating::{Quality, RatingAction, Status, Verdict};

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

/// What was wrong with a rating form, and which of its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    pub field: &'static str,
    pub message: String,
}

impl std::fmt::Display for FormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<FormError> for crate::error::AppError {
    fn from(error: FormError) -> Self {
        crate::error::AppError::BadInput(error.message)
    }
}

fn wrong(field: &'static str, message: impl Into<String>) -> FormError {
    FormError {
        field,
        message: message.into(),
    }
}

fn optional(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

impl RatingForm {
    /// Checks the form; the error says what was wrong. Categories are checked against the
    /// database by the caller (they are rows, so new ones need no code).
    pub fn parse(&self) -> Result<RatingAction, FormError> {
        let notes = self
            .notes
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        if notes.as_ref().is_some_and(|n| n.len() > MAX_NOTES) {
            return Err(wrong(
                "notes",
                format!("notes are limited to {MAX_NOTES} characters"),
            ));
        }
        Ok(match self.action.as_str() {
            "perfect" => RatingAction::Perfect,
            "imperfect" => RatingAction::Imperfect,
            "like" => RatingAction::Like,
            "ok" => RatingAction::Ok,
            "not_ko" => RatingAction::NotKo,
            "ko" => {
                let category = optional(&self.category)
                    .ok_or_else(|| wrong("category", "choose a failure category for KO"))?
                    .to_owned();
                RatingAction::Ko { category, notes }
            }
            "restore" => {
                let quality = match optional(&self.quality) {
                    None => None,
                    Some(q) => Some(Quality::parse(q).ok_or_else(|| {
                        wrong(
                            "quality",
                            format!("unknown quality `{q}`: use perfect, imperfect or nothing"),
                        )
                    })?),
                };
                let status = match optional(&self.status) {
                    None => None,
                    Some(s) => Some(Status::parse(s).ok_or_else(|| {
                        wrong(
                            "status",
                            format!("unknown status `{s}`: use ok, ko or nothing"),
                        )
                    })?),
                };
                let failure_category = optional(&self.category).map(str::to_owned);
                if status == Some(Status::Ko) && failure_category.is_none() {
                    return Err(wrong("category", "a KO needs a failure category"));
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
                return Err(wrong(
                    "action",
                    format!(
                        "unknown rating action `{other}`: use perfect, imperfect, like, ok, ko, not_ko or restore"
                    ),
                ));
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_checked_with_messages() {
        let form = |action: &str| RatingForm {
            action: action.into(),
            ..RatingForm::default()
        };
        assert_eq!(form("like").parse(), Ok(RatingAction::Like));
        let ko = form("ko").parse().unwrap_err();
        assert_eq!(ko.field, "category");
        assert!(ko.message.contains("category"));
        let explode = form("explode").parse().unwrap_err();
        assert_eq!(explode.field, "action");
        assert!(explode.message.contains("unknown rating action"));
        let restore = RatingForm {
            action: "restore".into(),
            quality: Some("great".into()),
            ..RatingForm::default()
        };
        let wrong_quality = restore.parse().unwrap_err();
        assert_eq!(wrong_quality.field, "quality");
        assert!(wrong_quality.message.contains("unknown quality"));
    }
}
