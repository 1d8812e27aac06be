//! The gallery's filter bar: the current choices and what can be chosen.

use crate::db::session_detail::PlaceholderUse;
use crate::domain::gallery_filter::{
    GalleryFilter, GallerySort, QualityFilter, StatusFilter, Whose,
};
use crate::domain::search_query::SearchIn;
use crate::web::href::url_escape;

pub struct PlaceholderChoice {
    pub name: String,
    /// (value, "value (count)").
    pub values: Vec<(String, String)>,
    /// The chosen `placeholder:value`, or empty.
    pub selected: String,
}

pub struct FilterBar {
    /// The page the form asks (its `hx-get` and `action`).
    pub action: String,
    /// The search box of the search page; None on a session page.
    pub q: Option<String>,
    /// prompt, negative or both: what the search reads.
    pub search_in: &'static str,
    pub session: Option<i32>,
    pub whose: &'static str,
    pub status: &'static str,
    pub quality: &'static str,
    pub liked: bool,
    pub category: String,
    pub rater: String,
    pub unrated: bool,
    pub sort: &'static str,
    /// `ko`, `ok` or empty: what the KO predictor called the images.
    pub predicted: &'static str,
    pub deleted: bool,
    /// Near-duplicates as one stacked tile (`group=near`).
    pub group_near: bool,
    pub placeholders: Vec<PlaceholderChoice>,
    pub raters: Vec<String>,
    pub categories: Vec<(String, String)>,
    pub is_admin: bool,
    /// How many filters are on, shown on the phone's "Filters" summary.
    pub active: usize,
    /// The same page with no filter (a search keeps its words).
    pub clear_href: String,
    /// Filters the bar has no control for (session facts, a disagreement, from a statistics
    /// link): carried as hidden fields so changing another filter keeps them, and listed.
    pub kept: Vec<(&'static str, String)>,
}

pub struct FilterChoices {
    pub placeholders: Vec<PlaceholderUse>,
    pub raters: Vec<String>,
    pub categories: Vec<(String, String)>,
    pub is_admin: bool,
}

impl FilterBar {
    pub fn new(
        filter: &GalleryFilter,
        action: String,
        search_box: bool,
        choices: FilterChoices,
    ) -> FilterBar {
        let placeholders = choices
            .placeholders
            .into_iter()
            .map(|usage| {
                let selected = filter
                    .variations
                    .iter()
                    .find(|(p, _)| *p == usage.placeholder)
                    .map(|(p, v)| format!("{p}:{v}"))
                    .unwrap_or_default();
                PlaceholderChoice {
                    values: usage
                        .values
                        .iter()
                        .map(|(value, count)| {
                            (
                                format!("{}:{value}", usage.placeholder),
                                format!("{value} ({count})"),
                            )
                        })
                        .collect(),
                    name: usage.placeholder,
                    selected,
                }
            })
            .collect();
        let active = [
            filter.whose == Whose::Mine,
            filter.status.is_some(),
            filter.quality.is_some(),
            filter.liked,
            filter.category.is_some(),
            filter.rater.is_some(),
            filter.unrated_by_me,
            filter.sort != GallerySort::File,
            filter.predicted.is_some(),
            filter.deleted,
            filter.group_near,
        ]
        .iter()
        .filter(|on| **on)
        .count()
            + filter.variations.len()
            + filter.sessions.count()
            + usize::from(filter.disagree.is_some());
        let mut kept = filter.sessions.pairs();
        if let Some((a, b)) = &filter.disagree {
            kept.push(("disagree", format!("{a},{b}")));
        }
        let clear_href = match (&filter.search, search_box) {
            (Some(search), true) if filter.search_in == SearchIn::default() => {
                format!("{action}?q={}", url_escape(&search.text))
            }
            (Some(search), true) => format!(
                "{action}?q={}&in={}",
                url_escape(&search.text),
                filter.search_in.as_str()
            ),
            _ => action.clone(),
        };
        FilterBar {
            clear_href,
            action,
            q: search_box.then(|| {
                filter
                    .search
                    .as_ref()
                    .map(|s| s.text.clone())
                    .unwrap_or_default()
            }),
            search_in: filter.search_in.as_str(),
            session: if search_box {
                filter.session.map(|s| s.0)
            } else {
                None
            },
            whose: match filter.whose {
                Whose::Anyone => "anyone",
                Whose::Mine => "mine",
            },
            status: match filter.status {
                None => "",
                Some(StatusFilter::Ok) => "ok",
                Some(StatusFilter::Ko) => "ko",
                Some(StatusFilter::Split) => "split",
                Some(StatusFilter::None) => "none",
            },
            quality: match filter.quality {
                None => "",
                Some(QualityFilter::Perfect) => "perfect",
                Some(QualityFilter::Imperfect) => "imperfect",
            },
            liked: filter.liked,
            category: filter.category.clone().unwrap_or_default(),
            rater: filter.rater.clone().unwrap_or_default(),
            unrated: filter.unrated_by_me,
            sort: match filter.sort {
                GallerySort::File => "file",
                GallerySort::Seed => "seed",
                GallerySort::Rating => "rating",
                GallerySort::LikelyKo => "likely_ko",
            },
            predicted: filter.predicted.map_or("", |p| p.as_str()),
            deleted: filter.deleted,
            group_near: filter.group_near,
            placeholders,
            raters: choices.raters,
            categories: choices.categories,
            is_admin: choices.is_admin,
            active,
            kept,
        }
    }
}
