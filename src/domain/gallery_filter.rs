//! The gallery's filters, sort and page, parsed from the URL. The same filter drives a session's
//! gallery, the search results, and previous / next on the image page, so all three agree.

use crate::domain::ids::SessionId;
use crate::domain::query_params::{self, QueryParam, Values};
use crate::domain::search_query::{SearchIn, SearchQuery};
pub use crate::domain::session_facts::{NO_VALUE, SessionFacts};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Whose {
    /// Verdict filters look at the combined verdict of all raters.
    #[default]
    Anyone,
    /// Verdict filters look at my own judgement.
    Mine,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Ok,
    Ko,
    /// Raters disagree: some said OK, some KO. Always read from everyone's verdicts, since one
    /// person's verdict cannot disagree with itself.
    Split,
    /// No status given (by me, or by anyone).
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QualityFilter {
    Perfect,
    Imperfect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GallerySort {
    /// The session's file order (filename); for search, newest first.
    #[default]
    File,
    Seed,
    /// Most liked, then most perfect, then fewest KO.
    Rating,
    /// The KO predictor's most likely failures first (images it has not scored last).
    LikelyKo,
}

/// What the KO predictor called the image (`predicted=ko|ok`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PredictedFilter {
    Ko,
    Ok,
}

impl PredictedFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            PredictedFilter::Ko => "ko",
            PredictedFilter::Ok => "ok",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GalleryFilter {
    pub session: Option<SessionId>,
    pub search: Option<SearchQuery>,
    /// The text the search reads: the prompt by default.
    pub search_in: SearchIn,
    pub whose: Whose,
    pub status: Option<StatusFilter>,
    pub quality: Option<QualityFilter>,
    pub liked: bool,
    pub category: Option<String>,
    /// Images this user (by name) has rated.
    pub rater: Option<String>,
    pub unrated_by_me: bool,
    /// (placeholder, value) pairs; an image must have all of them.
    pub variations: Vec<(String, String)>,
    /// Facts of the images' sessions, so that each figure of the statistics page can link to
    /// the images behind it.
    pub sessions: SessionFacts,
    /// Images to which these two raters (by name) gave different statuses, OK against KO.
    pub disagree: Option<(String, String)>,
    /// What the KO predictor called the images.
    pub predicted: Option<PredictedFilter>,
    pub sort: GallerySort,
    /// Show the deleted images instead of the others (the trash of a session).
    pub deleted: bool,
    /// `group=near`: each near-duplicate group is one stacked tile (its first image in this
    /// order, with how many of the group pass the filter); the statistics count it once.
    pub group_near: bool,
    /// 1-based.
    pub page: u32,
}

pub const PAGE_SIZE: i64 = 100;
const MAX_PAGE: u32 = 100_000;

/// Every parameter [`GalleryFilter::parse`] takes; it refuses any other.
pub const PARAMS: &[QueryParam] = &[
    QueryParam::new(
        "q",
        Values::Text,
        "prompt search: words, \"phrases\", -excluded, prefix*, OR",
        "red fox",
    ),
    QueryParam::new(
        "in",
        Values::OneOf(&["prompt", "negative", "both"]),
        "the text `q` searches (default prompt)",
        "both",
    ),
    QueryParam::new("session", Values::Integer, "one session's images", "1"),
    QueryParam::new(
        "whose",
        Values::OneOf(&["anyone", "mine"]),
        "which verdicts the verdict filters read (default anyone)",
        "anyone",
    ),
    QueryParam::new(
        "status",
        Values::OneOf(&["ok", "ko", "split", "none"]),
        "the verdict's status; split: raters disagree",
        "ko",
    ),
    QueryParam::new(
        "quality",
        Values::OneOf(&["perfect", "imperfect"]),
        "the verdict's quality",
        "perfect",
    ),
    QueryParam::new("liked", Values::Flag, "1: liked images only", "1"),
    QueryParam::new("category", Values::Text, "a failure category", "noise"),
    QueryParam::new(
        "rater",
        Values::Text,
        "images this user (by name) rated",
        "ann",
    ),
    QueryParam::new("unrated", Values::Flag, "1: images I have not rated", "0"),
    QueryParam::new(
        "var",
        Values::Repeated,
        "placeholder:value; repeat it for several (an image must have all)",
        "Subject:fox",
    ),
    QueryParam::new("model", Values::Text, "the session's model", "sd_v15"),
    QueryParam::new("sampler", Values::Text, "the session's sampler", "Euler a"),
    QueryParam::new(
        "scheduler",
        Values::Text,
        "the session's scheduler",
        "Karras",
    ),
    QueryParam::new(
        "template",
        Values::Text,
        "the session's prompt template",
        "portrait",
    ),
    QueryParam::new("tag", Values::Text, "a tag of the session", "night"),
    QueryParam::new(
        "from",
        Values::Date,
        "sessions made on or after this day",
        "2026-01-01",
    ),
    QueryParam::new(
        "to",
        Values::Date,
        "sessions made on or before this day",
        "2026-12-31",
    ),
    QueryParam::new(
        "disagree",
        Values::Text,
        "two rater names, `ann,ben`: images one called OK and the other KO",
        "ann,ben",
    ),
    QueryParam::new(
        "predicted",
        Values::OneOf(&["ko", "ok"]),
        "what the KO predictor called the image",
        "ko",
    ),
    QueryParam::new(
        "sort",
        Values::OneOf(&["file", "seed", "rating", "likely_ko"]),
        "the gallery's order",
        "seed",
    ),
    QueryParam::new(
        "deleted",
        Values::Flag,
        "1: the trash instead (admins)",
        "0",
    ),
    QueryParam::new(
        "group",
        Values::OneOf(&["none", "near"]),
        "near: each group of near-duplicates as one (the gallery stacks it, the statistics \
         count it once)",
        "none",
    ),
    QueryParam::new("page", Values::Integer, "the gallery's page, from 1", "1"),
];

fn unknown(key: &str) -> String {
    format!(
        "unknown parameter `{key}`: the gallery takes {}",
        query_params::names(PARAMS)
    )
}

fn flag(key: &str, value: &str) -> Result<bool, String> {
    match value {
        "1" | "true" | "on" => Ok(true),
        "0" | "false" | "off" | "" => Ok(false),
        _ => Err(format!("`{key}` takes 1 or 0, not `{value}`")),
    }
}

impl GalleryFilter {
    /// Parses query pairs; unknown parameters and values are errors that name what is allowed.
    pub fn parse(pairs: &[(String, String)]) -> Result<GalleryFilter, String> {
        let mut filter = GalleryFilter {
            page: 1,
            ..GalleryFilter::default()
        };
        for (key, value) in pairs {
            let value = value.trim();
            if !query_params::takes(PARAMS, key) {
                return Err(unknown(key));
            }
            match key.as_str() {
                "q" => filter.search = SearchQuery::parse(value)?,
                "in" => filter.search_in = SearchIn::parse(value)?,
                "session" if !value.is_empty() => {
                    filter.session =
                        Some(SessionId(value.parse().map_err(|_| {
                            format!("`session` is a session number, not `{value}`")
                        })?))
                }
                "whose" => {
                    filter.whose = match value {
                        "" | "anyone" => Whose::Anyone,
                        "mine" => Whose::Mine,
                        _ => return Err(format!("`whose` is mine or anyone, not `{value}`")),
                    }
                }
                "status" => {
                    filter.status = match value {
                        "" => None,
                        "ok" => Some(StatusFilter::Ok),
                        "ko" => Some(StatusFilter::Ko),
                        "split" => Some(StatusFilter::Split),
                        "none" => Some(StatusFilter::None),
                        _ => {
                            return Err(format!(
                                "`status` is ok, ko, split or none, not `{value}`"
                            ));
                        }
                    }
                }
                "quality" => {
                    filter.quality = match value {
                        "" => None,
                        "perfect" => Some(QualityFilter::Perfect),
                        "imperfect" => Some(QualityFilter::Imperfect),
                        _ => {
                            return Err(format!(
                                "`quality` is perfect or imperfect, not `{value}`"
                            ));
                        }
                    }
                }
                "liked" => filter.liked = flag(key, value)?,
                "category" => filter.category = Some(value.to_owned()).filter(|v| !v.is_empty()),
                "rater" => filter.rater = Some(value.to_owned()).filter(|v| !v.is_empty()),
                "unrated" => filter.unrated_by_me = flag(key, value)?,
                "deleted" => filter.deleted = flag(key, value)?,
                "group" => {
                    filter.group_near = match value {
                        "near" => true,
                        "" | "none" => false,
                        _ => {
                            return Err(format!(
                                "`group` is near (near-duplicates as one stack) or none, not \
                                 `{value}`"
                            ));
                        }
                    }
                }
                "var" => {
                    if !value.is_empty() {
                        let (placeholder, chosen) = value
                            .split_once(':')
                            .ok_or(format!("`var` is placeholder:value, not `{value}`"))?;
                        filter
                            .variations
                            .push((placeholder.to_owned(), chosen.to_owned()));
                    }
                }
                "model" | "sampler" | "scheduler" | "template" | "tag" | "from" | "to" => {
                    filter.sessions.set(key, value)?
                }
                "disagree" => {
                    filter.disagree = match value.split_once(',') {
                        _ if value.is_empty() => None,
                        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
                            Some((a.trim().to_owned(), b.trim().to_owned()))
                        }
                        _ => {
                            return Err(format!(
                                "`disagree` is two rater names, `ann,ben`, not `{value}`"
                            ));
                        }
                    }
                }
                "sort" => {
                    filter.sort = match value {
                        "" | "file" => GallerySort::File,
                        "seed" => GallerySort::Seed,
                        "rating" => GallerySort::Rating,
                        "likely_ko" => GallerySort::LikelyKo,
                        _ => {
                            return Err(format!(
                                "`sort` is file, seed, rating or likely_ko, not `{value}`"
                            ));
                        }
                    }
                }
                "predicted" => {
                    filter.predicted = match value {
                        "" => None,
                        "ko" => Some(PredictedFilter::Ko),
                        "ok" => Some(PredictedFilter::Ok),
                        _ => return Err(format!("`predicted` is ko or ok, not `{value}`")),
                    }
                }
                "page" => {
                    filter.page = value
                        .parse()
                        .ok()
                        .filter(|p| (1..=MAX_PAGE).contains(p))
                        .ok_or(format!("`page` is a number from 1, not `{value}`"))?
                }
                "session" => {}
                other => return Err(unknown(other)),
            }
        }
        filter.sessions.check()?;
        Ok(filter)
    }

    /// The filter as query pairs, without the page (for links that keep the filter).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(search) = &self.search {
            pairs.push(("q", search.text.clone()));
            if self.search_in != SearchIn::default() {
                pairs.push(("in", self.search_in.as_str().into()));
            }
        }
        if let Some(session) = self.session {
            pairs.push(("session", session.to_string()));
        }
        if self.whose == Whose::Mine {
            pairs.push(("whose", "mine".into()));
        }
        if let Some(status) = self.status {
            let text = match status {
                StatusFilter::Ok => "ok",
                StatusFilter::Ko => "ko",
                StatusFilter::Split => "split",
                StatusFilter::None => "none",
            };
            pairs.push(("status", text.into()));
        }
        if let Some(quality) = self.quality {
            let text = match quality {
                QualityFilter::Perfect => "perfect",
                QualityFilter::Imperfect => "imperfect",
            };
            pairs.push(("quality", text.into()));
        }
        if self.liked {
            pairs.push(("liked", "1".into()));
        }
        if let Some(category) = &self.category {
            pairs.push(("category", category.clone()));
        }
        if let Some(rater) = &self.rater {
            pairs.push(("rater", rater.clone()));
        }
        if self.unrated_by_me {
            pairs.push(("unrated", "1".into()));
        }
        for (placeholder, value) in &self.variations {
            pairs.push(("var", format!("{placeholder}:{value}")));
        }
        pairs.extend(self.sessions.pairs());
        if let Some((a, b)) = &self.disagree {
            pairs.push(("disagree", format!("{a},{b}")));
        }
        if let Some(predicted) = self.predicted {
            pairs.push(("predicted", predicted.as_str().into()));
        }
        match self.sort {
            GallerySort::File => {}
            GallerySort::Seed => pairs.push(("sort", "seed".into())),
            GallerySort::Rating => pairs.push(("sort", "rating".into())),
            GallerySort::LikelyKo => pairs.push(("sort", "likely_ko".into())),
        }
        if self.deleted {
            pairs.push(("deleted", "1".into()));
        }
        if self.group_near {
            pairs.push(("group", "near".into()));
        }
        pairs
    }

    /// `a=b&c=d` (percent-encoded), without the page; empty when there is no filter.
    pub fn query_string(&self) -> String {
        serde_urlencoded::to_string(self.pairs()).unwrap_or_default()
    }

    /// The query string for another page of the same filter.
    pub fn page_query(&self, page: u32) -> String {
        let mut pairs = self.pairs();
        pairs.push(("page", page.to_string()));
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.page.saturating_sub(1)) * PAGE_SIZE
    }

    pub fn is_filtered(&self) -> bool {
        self.status.is_some()
            || self.quality.is_some()
            || self.liked
            || self.category.is_some()
            || self.rater.is_some()
            || self.unrated_by_me
            || !self.variations.is_empty()
            || self.sessions.is_set()
            || self.disagree.is_some()
            || self.predicted.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(query).unwrap()
    }

    #[test]
    fn a_filter_survives_a_round_trip_through_the_url() {
        let query = "q=red+cat&in=both&whose=mine&status=ko&liked=1&var=animal%3Acat&var=style%3Aoil&sort=seed&group=near";
        let filter = GalleryFilter::parse(&pairs(query)).unwrap();
        assert!(filter.group_near);
        assert_eq!(filter.whose, Whose::Mine);
        assert_eq!(filter.search_in, SearchIn::Both);
        assert_eq!(filter.variations.len(), 2);
        let again = GalleryFilter::parse(&pairs(&filter.page_query(3))).unwrap();
        assert_eq!(again.page, 3);
        assert_eq!(GalleryFilter { page: 1, ..again }, filter);
    }

    #[test]
    fn unknown_parameters_and_values_are_refused_with_what_is_allowed() {
        let err = GalleryFilter::parse(&pairs("colour=red")).unwrap_err();
        assert!(err.contains("unknown parameter `colour`"), "{err}");
        assert!(
            GalleryFilter::parse(&pairs("status=maybe"))
                .unwrap_err()
                .contains("ok, ko, split or none")
        );
        assert!(GalleryFilter::parse(&pairs("page=0")).is_err());
        assert!(
            GalleryFilter::parse(&pairs("group=far"))
                .unwrap_err()
                .contains("`group` is near")
        );
        assert!(GalleryFilter::parse(&pairs("var=nocolon")).is_err());
        assert!(GalleryFilter::parse(&pairs("from=2026-02-01&to=2026-01-01")).is_err());
        assert!(GalleryFilter::parse(&pairs("disagree=ann")).is_err());
        assert!(GalleryFilter::parse(&pairs("from=yesterday")).is_err());
    }

    #[test]
    fn every_listed_parameter_is_taken_with_its_example_value() {
        for param in PARAMS {
            let pair = [(param.name.to_owned(), param.example.to_owned())];
            if let Err(error) = GalleryFilter::parse(&pair) {
                panic!(
                    "`{}={}` is listed but refused: {error}",
                    param.name, param.example
                );
            }
        }
    }

    #[test]
    fn session_facts_and_disagreements_survive_a_round_trip() {
        let query = "model=sd_v15&sampler=Euler+a&scheduler=%28none%29&tag=Night+shots\
                     &from=2026-01-05&to=2026-01-11&disagree=ann%2Cben&status=ko";
        let filter = GalleryFilter::parse(&pairs(query)).unwrap();
        assert_eq!(filter.sessions.model.as_deref(), Some("sd_v15"));
        assert_eq!(filter.sessions.scheduler.as_deref(), Some(NO_VALUE));
        assert_eq!(
            filter.sessions.tag.as_ref().map(|t| t.as_str()),
            Some("night shots")
        );
        assert_eq!(filter.disagree, Some(("ann".into(), "ben".into())));
        assert!(filter.is_filtered());
        assert_eq!(
            GalleryFilter::parse(&pairs(&filter.query_string())).unwrap(),
            filter
        );
    }
}
