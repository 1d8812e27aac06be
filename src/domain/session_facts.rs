//! Facts of an image's session that the gallery can filter on: model, sampler, scheduler, the
//! prompt template, a tag, the creation date. The statistics page groups by these, and each group links to the
//! gallery narrowed to it.

use chrono::NaiveDate;

use crate::domain::tag::Tag;

/// Narrows images by their session: model, sampler, scheduler, a tag, the creation date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionFacts {
    /// `NO_VALUE` stands for sessions that do not say (NULL).
    pub model: Option<String>,
    pub sampler: Option<String>,
    pub scheduler: Option<String>,
    /// The session's prompt template (`template_name`): the recommendations are per model and
    /// template, and link to their images.
    pub template: Option<String>,
    pub tag: Option<Tag>,
    pub from: Option<NaiveDate>,
    /// Inclusive.
    pub to: Option<NaiveDate>,
}

/// The filter value for "the session does not say" (no model, sampler or scheduler known).
pub const NO_VALUE: &str = "(none)";

impl SessionFacts {
    pub fn is_set(&self) -> bool {
        *self != SessionFacts::default()
    }

    /// How many of these are set, for the filter bar's count.
    pub fn count(&self) -> usize {
        [
            self.model.is_some(),
            self.sampler.is_some(),
            self.scheduler.is_some(),
            self.template.is_some(),
            self.tag.is_some(),
            self.from.is_some(),
            self.to.is_some(),
        ]
        .iter()
        .filter(|on| **on)
        .count()
    }

    /// Reads one query parameter (`model`, `sampler`, `scheduler`, `template`, `tag`, `from` or
    /// `to`).
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        match key {
            "model" => self.model = name(key, value, MAX_NAME_CHARS)?,
            "sampler" => self.sampler = name(key, value, MAX_NAME_CHARS)?,
            "scheduler" => self.scheduler = name(key, value, MAX_NAME_CHARS)?,
            "template" => self.template = name(key, value, MAX_TEMPLATE_CHARS)?,
            "tag" if value.is_empty() => self.tag = None,
            "tag" => self.tag = Some(Tag::parse(value).map_err(|e| format!("`tag`: {e}"))?),
            "from" => self.from = date(key, value)?,
            "to" => self.to = date(key, value)?,
            other => return Err(format!("`{other}` is not a session fact")),
        }
        Ok(())
    }

    /// Refuses a date range that holds no day.
    pub fn check(&self) -> Result<(), String> {
        match (self.from, self.to) {
            (Some(from), Some(to)) if from > to => Err(format!(
                "the date range is empty: `from` {from} is after `to` {to}"
            )),
            _ => Ok(()),
        }
    }

    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("model", self.model.clone()),
            ("sampler", self.sampler.clone()),
            ("scheduler", self.scheduler.clone()),
            ("template", self.template.clone()),
            ("tag", self.tag.as_ref().map(|t| t.as_str().to_owned())),
            ("from", self.from.map(|d| d.to_string())),
            ("to", self.to.map(|d| d.to_string())),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.map(|v| (key, v)))
        .collect()
    }
}

const MAX_NAME_CHARS: usize = 200;
/// A session's template is its prompt template's whole text (a manifest names none), a few
/// hundred characters; a link to its images carries it.
const MAX_TEMPLATE_CHARS: usize = 4_000;

fn name(key: &str, value: &str, max: usize) -> Result<Option<String>, String> {
    if value.chars().count() > max {
        return Err(format!("`{key}` is too long: at most {max} characters"));
    }
    Ok(Some(value.to_owned()).filter(|v| !v.is_empty()))
}

fn date(key: &str, value: &str) -> Result<Option<NaiveDate>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("`{key}` is a date written YYYY-MM-DD, not `{value}`"))
}
