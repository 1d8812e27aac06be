//! What the sessions templates show, computed from query rows: the templates only print.

use std::collections::HashMap;

use crate::db::ids::SessionId;
use crate::db::session_list::{SessionPage, SessionRow};
use crate::db::session_pictures::{Picture, SessionPictures};
use crate::domain::session_filter::{PER_PAGE_CHOICES, SessionFilter, Show, Sort};

pub struct RowView {
    pub id: SessionId,
    pub title: String,
    /// The folder's name, when a display name hides it.
    pub folder: Option<String>,
    pub date: String,
    /// "theme · style" from the folder's name: what sets apart sessions of the same name.
    pub theme_style: String,
    pub model: String,
    pub sampler: String,
    pub images: i32,
    pub liked: i32,
    pub perfect: i32,
    pub ko: i32,
    pub mine_pct: i32,
    pub requested: Option<i32>,
    pub completion_pct: i32,
    pub starred: bool,
    pub is_test: bool,
    pub is_failed: bool,
    pub is_archived: bool,
    pub is_deleted: bool,
    pub tags: Vec<String>,
    pub cover: Option<Thumb>,
    pub strip: Vec<Thumb>,
}

/// A thumbnail with its size, so the page keeps its room before it loads.
pub struct Thumb {
    pub src: String,
    pub width: i32,
    pub height: i32,
}

impl From<Picture> for Thumb {
    fn from(picture: Picture) -> Thumb {
        Thumb {
            src: format!("/images/{}/thumb", picture.id),
            width: picture.width.unwrap_or(512).max(1),
            height: picture.height.unwrap_or(512).max(1),
        }
    }
}

fn percent(part: i32, whole: i32) -> i32 {
    if whole <= 0 {
        0
    } else {
        ((i64::from(part) * 100 + i64::from(whole) / 2) / i64::from(whole)).min(100) as i32
    }
}

impl RowView {
    pub fn new(row: SessionRow, tags: Vec<String>, pictures: SessionPictures) -> RowView {
        let requested = row.images_requested.filter(|n| *n > 0);
        let theme_style = [row.theme.as_deref(), row.style.as_deref()]
            .into_iter()
            .flatten()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        RowView {
            theme_style,
            cover: pictures.cover.map(Thumb::from),
            strip: pictures.strip.into_iter().map(Thumb::from).collect(),
            id: row.id,
            folder: row.display_name.as_ref().map(|_| row.name.clone()),
            title: row.display_name.unwrap_or(row.name),
            date: row.created_at.format("%Y-%m-%d %H:%M").to_string(),
            model: row.model_name.unwrap_or_default(),
            sampler: row.sampler.unwrap_or_default(),
            images: row.image_count,
            liked: row.liked_count,
            perfect: row.perfect_count,
            ko: row.ko_count,
            mine_pct: percent(row.my_rated.unwrap_or(0), row.image_count),
            requested,
            completion_pct: requested.map_or(100, |r| percent(row.image_count, r)),
            starred: row.is_starred,
            is_test: row.is_test,
            is_failed: row.is_failed,
            is_archived: row.is_archived,
            is_deleted: row.is_deleted,
            tags,
        }
    }

    /// The rows with their tags and pictures, matched by session id: the rows come in the
    /// page's sort order, the tags in session order, so their positions say nothing.
    pub fn rows(
        page: SessionPage,
        mut pictures: HashMap<SessionId, SessionPictures>,
    ) -> Vec<RowView> {
        let mut tags: HashMap<SessionId, Vec<String>> = HashMap::new();
        for (id, tag) in page.tags {
            tags.entry(id).or_default().push(tag);
        }
        page.rows
            .into_iter()
            .map(|row| {
                let mine = tags.remove(&row.id).unwrap_or_default();
                let shown = pictures.remove(&row.id).unwrap_or_default();
                RowView::new(row, mine, shown)
            })
            .collect()
    }
}

/// Pages around the current one, as links that keep the filter.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub first: i64,
    pub last: i64,
    pub total: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new(total: i64, page: i64, per_page: i64, link: impl Fn(i64) -> String) -> Pager {
        let pages = ((total + per_page - 1) / per_page).max(1);
        let first = if total == 0 {
            0
        } else {
            (page - 1) * per_page + 1
        };
        Pager {
            page,
            pages,
            first,
            last: (page * per_page).min(total),
            total,
            prev: (page > 1).then(|| link((page - 1).min(pages))),
            next: (page < pages).then(|| link(page + 1)),
        }
    }
}

pub fn session_link(filter: &SessionFilter, page: i64) -> String {
    let query = filter.query_string(page);
    if query.is_empty() {
        "/sessions".to_owned()
    } else {
        format!("/sessions?{query}")
    }
}

/// The filter form's current values, as strings the template can compare.
pub struct FormView {
    pub show: &'static str,
    pub model: String,
    pub sampler: String,
    pub tag: String,
    pub starred: bool,
    pub unrated: bool,
    pub from: String,
    pub to: String,
    pub q: String,
    pub sort: &'static str,
    pub dir: &'static str,
    pub per_page: i64,
    pub active_count: usize,
    pub shows: Vec<&'static str>,
    pub sorts: Vec<(&'static str, &'static str)>,
    pub per_pages: Vec<i64>,
    pub models: Vec<String>,
    pub samplers: Vec<String>,
}

impl FormView {
    pub fn new(filter: &SessionFilter, models: Vec<String>, samplers: Vec<String>) -> FormView {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let active_count = [
            filter.show != Show::default(),
            filter.model.is_some(),
            filter.sampler.is_some(),
            filter.tag.is_some(),
            filter.starred,
            filter.unrated,
            filter.from.is_some() || filter.to.is_some(),
            filter.q.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        FormView {
            show: filter.show.as_str(),
            model: text(&filter.model),
            sampler: text(&filter.sampler),
            tag: filter
                .tag
                .as_ref()
                .map(|t| t.to_string())
                .unwrap_or_default(),
            starred: filter.starred,
            unrated: filter.unrated,
            from: filter.from.map(|d| d.to_string()).unwrap_or_default(),
            to: filter.to.map(|d| d.to_string()).unwrap_or_default(),
            q: text(&filter.q),
            sort: filter.sort.as_str(),
            dir: if filter.ascending { "asc" } else { "desc" },
            per_page: filter.per_page,
            active_count,
            shows: Show::ALL.iter().map(|s| s.as_str()).collect(),
            sorts: Sort::ALL
                .iter()
                .map(|s| (s.as_str(), sort_label(*s)))
                .collect(),
            per_pages: PER_PAGE_CHOICES.to_vec(),
            models,
            samplers,
        }
    }
}

fn sort_label(sort: Sort) -> &'static str {
    match sort {
        Sort::Date => "Date",
        Sort::Name => "Name",
        Sort::Images => "Images",
        Sort::LikeRate => "Like rate",
        Sort::KoRate => "KO rate",
    }
}
