//! The poller of a session's gallery, and the "N new images" pill once it has news.

use crate::views::gallery_paths::GalleryPaths;
use crate::web::href::with_query;

/// What the gallery asks, and where the pill leads.
pub struct GalleryNews {
    pub url: String,
    pub reload: String,
    pub count: i64,
}

impl GalleryNews {
    /// `grow`: the gallery shows every image of an unfiltered first page, so arrivals are
    /// simply shown; otherwise they are announced by a pill.
    pub fn new(paths: &GalleryPaths, own: &str, images_after: i32, grow: bool, count: i64) -> Self {
        let mut url = format!(
            "{}/news?images_after={images_after}&grow={}",
            paths.page,
            u8::from(grow)
        );
        if !own.is_empty() {
            url.push('&');
            url.push_str(own);
        }
        GalleryNews {
            url,
            reload: with_query(&paths.page, own),
            count,
        }
    }
}
