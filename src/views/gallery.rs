//! What a gallery (a session's images, or search results) shows: tiles, the count, page links.
//! Shared by the session page and the search page so both look and behave the same.

use diesel::SqliteConnection;

use crate::db::caller::Caller;
use crate::db::gallery::{self, GalleryItem};
use crate::db::gallery_groups;
use crate::db::ids::{ImageId, UserId};
use crate::db::judgements;
use crate::domain::gallery_filter::GalleryFilter;
use crate::domain::rating::{Quality, Status, Verdict};
use crate::error::AppError;
use crate::views::gallery_news::GalleryNews;
use crate::views::gallery_paths::GalleryPaths;
use crate::web::href::with_query;
use crate::web::search_captions::{self, Caption};

pub struct Tile {
    pub id: i32,
    pub href: String,
    pub thumb: String,
    /// This one tile again, to refresh it after a rating.
    pub refresh: String,
    pub width: i32,
    pub height: i32,
    /// width / height, for the justified rows.
    pub ratio: String,
    pub alt: String,
    pub broken: bool,
    pub deleted: bool,
    pub mine_up: bool,
    pub mine_down: bool,
    pub mine_like: bool,
    pub mine_ko: bool,
    pub likes: i32,
    pub perfects: i32,
    pub imperfects: i32,
    pub kos: i32,
    /// Search results: the session and the matching words.
    pub caption: Option<Caption>,
    /// `group=near`: how many near-duplicates this tile stands for (shown as a stack from 2).
    pub stack: i64,
}

pub struct GalleryView {
    pub tiles: Vec<Tile>,
    pub count_label: String,
    /// The count as a number ("select all N matching"), and whether it was capped.
    pub total: i64,
    pub capped: bool,
    pub page: u32,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    /// The next page's tiles fragment, fetched when the sentinel scrolls into view.
    pub next_tiles: Option<String>,
    pub bulk_url: String,
    pub can_review: bool,
    pub is_admin: bool,
    pub deleted: bool,
    pub categories: Vec<(String, String)>,
    pub filtered: bool,
    /// `/api/export/images?<this filter>&format=` (exports come in id order: no sort).
    pub export_href: String,
    /// A session's gallery asks every two seconds for images that arrived since.
    pub news: Option<GalleryNews>,
}

/// The query string of `filter` for links to the gallery page itself, which names its session in
/// the path already.
pub fn own_query(filter: &GalleryFilter, page: u32, paths: &GalleryPaths) -> String {
    let mut own = filter.clone();
    if !paths.session_in_query {
        own.session = None;
    }
    if page == 1 {
        own.query_string()
    } else {
        own.page_query(page)
    }
}

/// "1,234": counts read better with separators.
pub fn thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

pub fn tile(
    item: &GalleryItem,
    mine: Option<&Verdict>,
    filter: &GalleryFilter,
    caption: Option<Caption>,
) -> Tile {
    let (width, height) = (
        item.width.unwrap_or(512).max(1),
        item.height.unwrap_or(512).max(1),
    );
    let query = filter.query_string();
    let mine = mine.cloned().unwrap_or_default();
    Tile {
        id: item.id.0,
        href: with_query(&format!("/images/{}", item.id), &query),
        thumb: format!("/images/{}/thumb", item.id),
        refresh: with_query(
            &format!("/sessions/{}/tiles/{}", item.session_id, item.id),
            &query,
        ),
        width,
        height,
        ratio: format!("{:.4}", f64::from(width) / f64::from(height)),
        alt: match item.seed {
            Some(seed) => format!("{}, seed {seed}", item.filename),
            None => item.filename.clone(),
        },
        broken: item.broken.is_some(),
        deleted: item.is_deleted,
        mine_up: mine.quality == Some(Quality::Perfect),
        mine_down: mine.quality == Some(Quality::Imperfect),
        mine_like: mine.liked,
        mine_ko: mine.status == Some(Status::Ko),
        likes: item.like_count,
        perfects: item.perfect_count,
        imperfects: item.imperfect_count,
        kos: item.ko_count,
        caption,
        stack: 1,
    }
}

/// One tile again, after a rating: the viewer's verdict read afresh, and a tile of search
/// results (its filter names no session) keeps its caption.
pub fn tile_again(
    conn: &mut SqliteConnection,
    item: &GalleryItem,
    caller: Caller,
    filter: &GalleryFilter,
) -> diesel::QueryResult<Tile> {
    let mine = judgements::mine(conn, item.id, caller.user)?;
    let caption = if filter.session.is_none() {
        search_captions::captions(conn, std::slice::from_ref(item), filter)?.remove(&item.id)
    } else {
        None
    };
    let mut tile = tile(item, Some(&mine), filter, caption);
    if filter.group_near {
        tile.stack = gallery_groups::count_with(conn, filter, caller, item.id)?;
    }
    Ok(tile)
}

pub struct Viewer {
    pub user: UserId,
    /// The same user with their role, as the database's reads take it.
    pub caller: Caller,
    pub can_review: bool,
    pub is_admin: bool,
}

pub fn load(
    conn: &mut SqliteConnection,
    filter: &GalleryFilter,
    viewer: &Viewer,
    paths: &GalleryPaths,
    count_cap: i64,
) -> Result<GalleryView, AppError> {
    let (items, more, mut stacks) = if filter.group_near {
        let grouped = gallery_groups::page(conn, filter, viewer.caller)?;
        (grouped.items, grouped.more, grouped.counts)
    } else {
        let (items, more) = gallery::page(conn, filter, viewer.caller)?;
        (items, more, Default::default())
    };
    let ids: Vec<ImageId> = items.iter().map(|item| item.id).collect();
    let mine = judgements::mine_for(conn, &ids, viewer.user)?;
    // Across the library a result says where it comes from; a session's gallery need not.
    let mut captions = if paths.session_in_query {
        search_captions::captions(conn, &items, filter)?
    } else {
        Default::default()
    };
    let (total, capped) = gallery::count_capped(conn, filter, viewer.caller, count_cap)?;
    let noun = if filter.deleted {
        "deleted image"
    } else {
        "image"
    };
    let count_label = format!(
        "{}{} {noun}{}",
        thousands(total),
        if capped { "+" } else { "" },
        if total == 1 && !capped { "" } else { "s" }
    );
    let categories = judgements::failure_categories(conn)?
        .into_iter()
        .map(|c| (c.name, c.label))
        .collect();
    let page = filter.page;
    let news = match filter.session {
        Some(_) if !filter.deleted && !paths.session_in_query => {
            let (_, latest_image) = crate::db::library_news::latest_ids(conn)?;
            let grow = !filter.is_filtered() && page == 1 && !more;
            let own = own_query(filter, page, paths);
            Some(GalleryNews::new(paths, &own, latest_image, grow, 0))
        }
        _ => None,
    };
    Ok(GalleryView {
        tiles: items
            .iter()
            .map(|item| {
                let caption = captions.remove(&item.id);
                let mut tile = tile(item, mine.get(&item.id), filter, caption);
                tile.stack = stacks.remove(&item.id).unwrap_or(1);
                tile
            })
            .collect(),
        count_label,
        total,
        capped,
        page,
        prev_href: (page > 1).then(|| with_query(&paths.page, &own_query(filter, page - 1, paths))),
        next_href: more.then(|| with_query(&paths.page, &own_query(filter, page + 1, paths))),
        next_tiles: more.then(|| with_query(&paths.tiles, &filter.page_query(page + 1))),
        bulk_url: with_query(&paths.bulk, &filter.query_string()),
        can_review: viewer.can_review,
        is_admin: viewer.is_admin,
        deleted: filter.deleted,
        categories,
        filtered: filter.is_filtered(),
        export_href: export_href(filter),
        news,
    })
}

/// `/api/export/images?<filter>&format=`: exports come in id order, so without the sort.
pub fn export_href(filter: &GalleryFilter) -> String {
    // Exports hold every image: a stack's images are all exported.
    let unsorted = GalleryFilter {
        sort: Default::default(),
        group_near: false,
        ..filter.clone()
    };
    let query = unsorted.query_string();
    if query.is_empty() {
        "/api/export/images?format=".to_owned()
    } else {
        format!("/api/export/images?{query}&format=")
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn counts_get_separators() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
