//! Where a gallery lives (a session's page or the search page): what the gallery and its
//! news poller both link to.

use crate::db::ids::SessionId;

/// Where a gallery lives: its page, its tiles fragment and its bulk action.
#[derive(Debug, Clone)]
pub struct GalleryPaths {
    pub page: String,
    pub tiles: String,
    pub bulk: String,
    /// False when the page's path names the session, so links need not repeat it.
    pub session_in_query: bool,
}

impl GalleryPaths {
    pub fn session(id: SessionId) -> GalleryPaths {
        GalleryPaths {
            page: format!("/sessions/{id}"),
            tiles: format!("/sessions/{id}/tiles"),
            bulk: format!("/sessions/{id}/images/bulk"),
            session_in_query: false,
        }
    }

    pub fn search() -> GalleryPaths {
        GalleryPaths {
            page: "/search".into(),
            tiles: "/search/tiles".into(),
            bulk: "/search/bulk".into(),
            session_in_query: true,
        }
    }
}
