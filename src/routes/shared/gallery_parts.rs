//! Pieces every gallery route shares: parsing the filter, the fragments' templates, the
//! signed-in viewer.

use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use crate::domain::gallery_filter::GalleryFilter;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::views::gallery::{GalleryView, Tile, Viewer};
use crate::web::Identity;
use crate::web::render::html;

/// The results part of a gallery (count, tiles, bulk bar, page links): what filters swap.
#[derive(Template)]
#[template(path = "partials/gallery_results.html")]
pub struct ResultsPart {
    pub gallery: GalleryView,
}

/// The next page's tiles, appended as one scrolls.
#[derive(Template)]
#[template(path = "partials/gallery_tiles.html")]
pub struct TilesPart {
    pub gallery: GalleryView,
}

#[derive(Template)]
#[template(path = "partials/gallery_tile.html")]
pub struct TilePart {
    pub tile: Tile,
}

/// The filter from the URL; unknown or bad parameters are a 400 that says what is allowed.
/// Deleted images are the trash: only admins see them.
pub fn parse_filter(
    pairs: &[(String, String)],
    identity: &Identity,
) -> Result<GalleryFilter, AppError> {
    let filter = GalleryFilter::parse(pairs).map_err(AppError::BadInput)?;
    if filter.deleted {
        identity.require(Role::Admin)?;
    }
    Ok(filter)
}

pub fn viewer(identity: &Identity) -> Viewer {
    Viewer {
        user: identity.user_id,
        caller: identity.caller(),
        can_review: identity.role.can_review(),
        is_admin: identity.role.can_administer(),
    }
}

/// htmx asks for the results alone when the filter bar or a bulk action targets them; a
/// boosted link or a history restore gets the whole page.
pub fn wants_results(req: &HttpRequest) -> bool {
    crate::web::render::is_htmx(req)
        && req
            .headers()
            .get("HX-Target")
            .is_some_and(|target| target.as_bytes() == b"gallery-results")
}

/// The results fragment, with the canonical URL of the filter pushed into the history.
pub fn results_response(gallery: GalleryView, url: String) -> Result<HttpResponse, AppError> {
    let mut response = html(&ResultsPart { gallery })?;
    crate::web::htmx::push_url(&mut response, &url);
    Ok(response)
}
