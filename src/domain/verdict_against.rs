//! The verdict a review decision was made against: what the device showed when the person
//! decided, sent by the review script as `was_*` fields beside the verdict it wants. The rating
//! compares it with the verdict stored (`db::judgements::Mode::Against`), so a decision that
//! waited offline cannot overwrite a newer one made meanwhile on another device.

use serde::Deserialize;

use crate::domain::rating::{Quality, Status, Verdict};

/// The `was_*` fields, written as the server's JSON writes a verdict: empty for none. A plain
/// form sends none of them.
#[derive(Debug, Default, Deserialize)]
pub struct VerdictAgainst {
    pub was_quality: Option<String>,
    pub was_liked: Option<String>,
    pub was_status: Option<String>,
    pub was_category: Option<String>,
    pub was_notes: Option<String>,
}

fn text(field: &Option<String>) -> Option<String> {
    field
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

impl VerdictAgainst {
    /// The verdict, or None when no `was_*` field was sent; the error names the field.
    pub fn parse(&self) -> Result<Option<Verdict>, String> {
        let fields = [
            &self.was_quality,
            &self.was_liked,
            &self.was_status,
            &self.was_category,
            &self.was_notes,
        ];
        if fields.iter().all(|field| field.is_none()) {
            return Ok(None);
        }
        let quality = match text(&self.was_quality) {
            None => None,
            Some(q) => Some(Quality::parse(&q).ok_or(format!(
                "unknown was_quality `{q}`: use perfect, imperfect or nothing"
            ))?),
        };
        let status = match text(&self.was_status) {
            None => None,
            Some(s) => Some(
                Status::parse(&s)
                    .ok_or(format!("unknown was_status `{s}`: use ok, ko or nothing"))?,
            ),
        };
        Ok(Some(Verdict {
            quality,
            liked: matches!(self.was_liked.as_deref(), Some("1" | "true" | "on")),
            status,
            failure_category: text(&self.was_category),
            failure_notes: text(&self.was_notes),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_was_field_means_a_plain_form_and_empty_ones_mean_no_verdict() {
        assert_eq!(VerdictAgainst::default().parse(), Ok(None));
        let nothing = VerdictAgainst {
            was_quality: Some(String::new()),
            was_liked: Some(String::new()),
            ..VerdictAgainst::default()
        };
        assert_eq!(nothing.parse(), Ok(Some(Verdict::default())));
    }

    #[test]
    fn a_verdict_reads_back_as_the_json_wrote_it_and_a_bad_value_names_its_field() {
        let ko = VerdictAgainst {
            was_quality: Some("imperfect".into()),
            was_liked: Some("1".into()),
            was_status: Some("ko".into()),
            was_category: Some("noise".into()),
            was_notes: Some(" hands ".into()),
        };
        let verdict = ko.parse().unwrap().unwrap();
        assert_eq!(verdict.quality, Some(Quality::Imperfect));
        assert!(verdict.liked);
        assert_eq!(verdict.failure_notes.as_deref(), Some("hands"));
        let bad = VerdictAgainst {
            was_status: Some("maybe".into()),
            ..VerdictAgainst::default()
        };
        assert!(bad.parse().unwrap_err().contains("was_status"));
    }
}
