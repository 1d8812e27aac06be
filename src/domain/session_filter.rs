//! What the sessions list shows, parsed from the URL: which sessions, in what order, which page.
//! Every value is checked here, so a bad link gets a 400 that names the allowed values.

use chrono::NaiveDate;
use serde::Deserialize;

use super::tag::Tag;

/// The query string as it arrives; empty values mean "not set" (a form's "Any" option). A
/// parameter not listed here is a 400 that names it and the ones the list takes.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionQuery {
    pub show: Option<String>,
    pub model: Option<String>,
    pub sampler: Option<String>,
    pub tag: Option<String>,
    pub starred: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub q: Option<String>,
    pub unrated: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

macro_rules! choice {
    ($name:ident, $what:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub enum $name { #[default] $($variant),+ }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            fn parse(text: &str) -> Result<$name, String> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        "`{other}` is not a valid {}: use one of {}",
                        $what,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}

choice!(Show, "show", { Active => "active", Archived => "archived", Test => "test",
    Failed => "failed", Deleted => "deleted", All => "all" });
choice!(Sort, "sort", { Date => "date", Name => "name", Images => "images",
    LikeRate => "like_rate", KoRate => "ko_rate" });

pub const PER_PAGE_CHOICES: [i64; 4] = [25, 50, 100, 200];
const DEFAULT_PER_PAGE: i64 = 50;
const MAX_SEARCH_CHARS: usize = 200;
const MAX_NAME_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq)]
pub struct SessionFilter {
    pub show: Show,
    pub model: Option<String>,
    pub sampler: Option<String>,
    pub tag: Option<Tag>,
    pub starred: bool,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub q: Option<String>,
    pub unrated: bool,
    pub sort: Sort,
    /// True for ascending.
    pub ascending: bool,
    pub page: i64,
    pub per_page: i64,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn flag(name: &str, value: &Option<String>) -> Result<bool, String> {
    match given(value) {
        None | Some("0") => Ok(false),
        Some("1") => Ok(true),
        Some(other) => Err(format!("`{other}` is not a valid {name}: use 1 or 0")),
    }
}

fn date(name: &str, value: &Option<String>) -> Result<Option<NaiveDate>, String> {
    given(value)
        .map(|text| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| format!("`{text}` is not a valid {name} date: use YYYY-MM-DD"))
        })
        .transpose()
}

fn bounded(name: &str, value: &Option<String>, max: usize) -> Result<Option<String>, String> {
    match given(value) {
        Some(text) if text.chars().count() > max => {
            Err(format!("{name} is too long: at most {max} characters"))
        }
        other => Ok(other.map(str::to_owned)),
    }
}

impl Sort {
    /// Names read A to Z; dates, counts and rates read biggest first.
    fn ascending_by_default(self) -> bool {
        self == Sort::Name
    }
}

impl TryFrom<&SessionQuery> for SessionFilter {
    type Error = String;

    fn try_from(query: &SessionQuery) -> Result<SessionFilter, String> {
        let show = given(&query.show).map_or(Ok(Show::default()), Show::parse)?;
        let sort = given(&query.sort).map_or(Ok(Sort::default()), Sort::parse)?;
        let ascending = match given(&query.dir) {
            None => sort.ascending_by_default(),
            Some("asc") => true,
            Some("desc") => false,
            Some(other) => return Err(format!("`{other}` is not a valid dir: use asc or desc")),
        };
        let page = match given(&query.page) {
            None => 1,
            Some(text) => text
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=1_000_000).contains(p))
                .ok_or_else(|| format!("`{text}` is not a valid page: use a number from 1"))?,
        };
        let per_page = match given(&query.per_page) {
            None => DEFAULT_PER_PAGE,
            Some(text) => text
                .parse::<i64>()
                .ok()
                .filter(|n| PER_PAGE_CHOICES.contains(n))
                .ok_or_else(|| {
                    format!("`{text}` is not a valid per_page: use 25, 50, 100 or 200")
                })?,
        };
        let (from, to) = (date("from", &query.from)?, date("to", &query.to)?);
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(format!(
                "the date range is empty: from {from} is after to {to}"
            ));
        }
        let tag = given(&query.tag)
            .map(|t| Tag::parse(t).map_err(|e| format!("tag: {e}")))
            .transpose()?;
        Ok(SessionFilter {
            show,
            model: bounded("model", &query.model, MAX_NAME_CHARS)?,
            sampler: bounded("sampler", &query.sampler, MAX_NAME_CHARS)?,
            tag,
            starred: flag("starred", &query.starred)?,
            from,
            to,
            q: bounded("q", &query.q, MAX_SEARCH_CHARS)?,
            unrated: flag("unrated", &query.unrated)?,
            sort,
            ascending,
            page,
            per_page,
        })
    }
}

impl Default for SessionFilter {
    fn default() -> SessionFilter {
        SessionFilter {
            show: Show::default(),
            model: None,
            sampler: None,
            tag: None,
            starred: false,
            from: None,
            to: None,
            q: None,
            unrated: false,
            sort: Sort::default(),
            ascending: Sort::default().ascending_by_default(),
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl SessionFilter {
    /// An FTS5 expression that matches names starting with each word typed: every word is
    /// quoted, so nothing the user types is read as FTS5 syntax.
    pub fn fts_expression(&self) -> Option<String> {
        let q = self.q.as_deref()?;
        let terms: Vec<String> = q
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| format!("\"{w}\"*"))
            .collect();
        (!terms.is_empty()).then(|| terms.join(" "))
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    /// The query string for this filter at another page (defaults left out, so links stay short).
    pub fn query_string(&self, page: i64) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if self.show != Show::default() {
            pairs.push(("show", self.show.as_str().into()));
        }
        let optional = [
            ("model", self.model.clone()),
            ("sampler", self.sampler.clone()),
            ("tag", self.tag.as_ref().map(|t| t.as_str().to_owned())),
            ("from", self.from.map(|d| d.to_string())),
            ("to", self.to.map(|d| d.to_string())),
            ("q", self.q.clone()),
        ];
        pairs.extend(optional.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
        if self.starred {
            pairs.push(("starred", "1".into()));
        }
        if self.unrated {
            pairs.push(("unrated", "1".into()));
        }
        if self.sort != Sort::default() {
            pairs.push(("sort", self.sort.as_str().into()));
        }
        if self.ascending != self.sort.ascending_by_default() {
            pairs.push(("dir", if self.ascending { "asc" } else { "desc" }.into()));
        }
        if self.per_page != DEFAULT_PER_PAGE {
            pairs.push(("per_page", self.per_page.to_string()));
        }
        if page != 1 {
            pairs.push(("page", page.to_string()));
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }

    /// The same filter sorted by `sort`: the current sort flips direction, another starts at
    /// its natural one. Back to page 1, since the order changed.
    pub fn sorted_by(&self, sort: Sort) -> SessionFilter {
        let ascending = if sort == self.sort {
            !self.ascending
        } else {
            sort.ascending_by_default()
        };
        SessionFilter {
            sort,
            ascending,
            page: 1,
            ..self.clone()
        }
    }
}

#[cfg(test)]
#[path = "session_filter_tests.rs"]
mod tests;
