//! `GET /sessions/{id}/news`: polled every two seconds by a session's gallery. 204 while no
//! image arrived; then the gallery again when it shows everything unfiltered on one page (the
//! new images simply appear), else an "N new images" pill in place of the poller.

use actix_web::{HttpResponse, web};
use askama::Template;

use super::shared::gallery_parts::{ResultsPart, parse_filter, viewer};
use crate::db::ids::SessionId;
use crate::db::library_news;
use crate::error::AppError;
use crate::views::gallery::{self as gallery_view, GalleryView};
use crate::views::gallery_news::GalleryNews;
use crate::views::gallery_paths::GalleryPaths;
use crate::web::render::{blocking, html};
use crate::web::{AppState, Identity};

const COUNT_CAP: i64 = 100_000;

#[derive(Template)]
#[template(path = "partials/gallery_news.html")]
struct NewsPart {
    news: GalleryNews,
}

enum News {
    Nothing,
    Gallery(Box<GalleryView>),
    Pill(GalleryNews),
}

/// The poller's own parameters, and the gallery's filter apart.
struct Seen {
    images_after: i32,
    grow: bool,
    filter: Vec<(String, String)>,
}

fn seen(pairs: Vec<(String, String)>) -> Result<Seen, AppError> {
    let (own, filter): (Vec<_>, Vec<_>) = pairs
        .into_iter()
        .partition(|(key, _)| key == "images_after" || key == "grow");
    let images_after = own
        .iter()
        .find(|(key, _)| key == "images_after")
        .and_then(|(_, value)| value.parse().ok())
        .ok_or_else(|| AppError::BadInput("`images_after` must be an image id".to_owned()))?;
    let grow = own.iter().any(|(key, value)| key == "grow" && value == "1");
    Ok(Seen {
        images_after,
        grow,
        filter,
    })
}

pub async fn news(
    state: web::Data<AppState>,
    identity: Identity,
    path: web::Path<i32>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = SessionId(path.into_inner());
    let Seen {
        images_after,
        grow,
        filter: pairs,
    } = seen(query.into_inner())?;
    let mut filter = parse_filter(&pairs, &identity)?;
    filter.session = Some(id);
    let viewer = viewer(&identity);
    let pool = state.pool.clone();
    let news = blocking(move || {
        let mut conn = pool.get()?;
        let arrived = library_news::images_after(&mut conn, id, images_after)?;
        let paths = GalleryPaths::session(id);
        Ok(match (arrived, grow) {
            (0, _) => News::Nothing,
            (_, true) => News::Gallery(Box::new(gallery_view::load(
                &mut conn, &filter, &viewer, &paths, COUNT_CAP,
            )?)),
            (count, false) => {
                let own = gallery_view::own_query(&filter, filter.page, &paths);
                News::Pill(GalleryNews::new(&paths, &own, images_after, false, count))
            }
        })
    })
    .await?;
    match news {
        News::Nothing => Ok(HttpResponse::NoContent().finish()),
        News::Gallery(gallery) => html(&ResultsPart { gallery: *gallery }),
        News::Pill(news) => {
            let mut response = html(&NewsPart { news })?;
            crate::web::htmx::retarget(&mut response, "#gallery-news", "outerHTML");
            Ok(response)
        }
    }
}
