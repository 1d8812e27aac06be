//! Query parameters every API list shares: `cursor` and `limit`, and the filters, parsed by
//! the pages' own domain types. A bad parameter is a 400 that names it.

use serde::Serialize;
use utoipa::ToSchema;

use super::error::ApiError;
use crate::domain::export_request;
use crate::domain::gallery_filter::{self as gallery, GalleryFilter};
use crate::domain::query_params::{QueryParam, Values};

pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1_000;

/// A page of a list and where the next one starts (null on the last page).
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Where a list resumes: opaque to clients. It holds the last id returned, so a page is an
/// index seek however deep the list goes, and rows added meanwhile are neither skipped nor
/// repeated.
pub fn cursor_text(last_id: i32) -> String {
    format!("c{last_id:x}")
}

fn parse_cursor(text: &str) -> Result<i32, ApiError> {
    text.strip_prefix('c')
        .and_then(|hex| i32::from_str_radix(hex, 16).ok())
        .ok_or_else(|| {
            ApiError::bad(
                "cursor",
                "this cursor is not one the API gave: pass `next_cursor` from the previous page as it is",
            )
        })
}

pub struct ListParams {
    /// The filter's own parameters, cursor and limit taken out.
    pub filters: Vec<(String, String)>,
    pub after: Option<i32>,
    pub limit: i64,
}

/// Takes `cursor` and `limit` out; refuses the pages' paging parameters, which the API
/// replaces.
pub fn list_params(pairs: Vec<(String, String)>, paging: &[&str]) -> Result<ListParams, ApiError> {
    let mut params = ListParams {
        filters: Vec::new(),
        after: None,
        limit: DEFAULT_LIMIT,
    };
    for (key, value) in pairs {
        match key.as_str() {
            "cursor" if !value.is_empty() => params.after = Some(parse_cursor(&value)?),
            "cursor" => {}
            "limit" => {
                params.limit = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| {
                        ApiError::bad(
                            "limit",
                            format!("`limit` is a number from 1 to {MAX_LIMIT}, not `{value}`"),
                        )
                    })?
            }
            other if paging.contains(&other) => {
                return Err(ApiError::bad(
                    other,
                    format!(
                        "the API pages by cursor: use `cursor` and `limit` instead of `{other}`"
                    ),
                ));
            }
            _ => params.filters.push((key, value)),
        }
    }
    Ok(params)
}

/// The gallery's filter, with the parameter at fault named when it is refused; lists give
/// every image, so near-duplicate stacks are refused.
pub fn gallery_filter(pairs: &[(String, String)]) -> Result<GalleryFilter, ApiError> {
    let filter = export_request::named(pairs).map_err(ApiError::from)?;
    export_request::every_image(&filter)?;
    Ok(filter)
}

/// The paging parameters of every list.
pub const PAGING: &[QueryParam] = &[
    QueryParam::new(
        "cursor",
        Values::Text,
        "where the page starts: `next_cursor` of the previous page, as it is",
        "c1",
    ),
    QueryParam::new("limit", Values::Integer, "1 to 1000, default 100", "100"),
];

/// The gallery's order and page, which lists of images refuse: they page by cursor, in id order.
pub const IMAGE_PAGING: &[&str] = &["page", "sort"];

/// What `GET /api/images` takes: the gallery's filters but [`IMAGE_PAGING`], and [`PAGING`].
pub fn image_list_params() -> Vec<QueryParam> {
    gallery::PARAMS
        .iter()
        .filter(|p| !IMAGE_PAGING.contains(&p.name))
        .chain(PAGING)
        .copied()
        .collect()
}

/// A page from `limit + 1` rows read: the extra row only says there is a next page.
pub fn page_of<T>(mut items: Vec<T>, limit: i64, id: impl Fn(&T) -> i32) -> Page<T> {
    let more = items.len() as i64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = if more {
        items.last().map(|last| cursor_text(id(last)))
    } else {
        None
    };
    Page { items, next_cursor }
}

/// For routes that take no query parameters: any given is a 400 that names it, as on lists.
pub struct NoQuery;

impl actix_web::FromRequest for NoQuery {
    type Error = ApiError;
    type Future = std::future::Ready<Result<NoQuery, ApiError>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
        std::future::ready(match pairs.into_iter().next() {
            Some((key, _)) => Err(ApiError::bad(
                &key,
                format!("unknown parameter `{key}`: this route takes no query parameters"),
            )),
            None => Ok(NoQuery),
        })
    }
}
