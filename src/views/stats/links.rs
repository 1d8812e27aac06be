//! Where each figure leads: the gallery narrowed to the images behind it. The statistics'
//! own filter is kept, and the figure's group added: a model's bar shows that model's KO
//! images within whatever the page was already restricted to.

use crate::db::ids::SessionId;
use crate::domain::gallery_filter::{GalleryFilter, StatusFilter};
use crate::web::href::with_query;

/// The gallery page showing the images `filter` keeps: a session's own page when it is about one
/// session (the search page shows nothing without a search or a filter), else the search page.
pub fn gallery(filter: &GalleryFilter) -> String {
    let mut filter = filter.clone();
    filter.page = 1;
    match filter.session {
        Some(session) if filter.search.is_none() => {
            filter.session = None;
            with_query(&format!("/sessions/{session}"), &filter.query_string())
        }
        _ if filter.search.is_none() && !filter.is_filtered() => "/search".to_owned(),
        _ => with_query("/search", &filter.query_string()),
    }
}

/// Builds links from the page's filter.
pub struct Links<'a> {
    pub base: &'a GalleryFilter,
}

impl Links<'_> {
    /// The base filter changed by `edit`.
    pub fn to(&self, edit: impl FnOnce(&mut GalleryFilter)) -> String {
        let mut filter = self.base.clone();
        edit(&mut filter);
        gallery(&filter)
    }

    /// The KO images among those `edit` keeps.
    pub fn ko(&self, edit: impl FnOnce(&mut GalleryFilter)) -> String {
        self.to(|f| {
            edit(f);
            f.status = Some(StatusFilter::Ko);
        })
    }

    pub fn session(&self, id: SessionId) -> impl FnOnce(&mut GalleryFilter) {
        move |f| f.session = Some(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_links_to_its_own_page_and_anything_else_to_the_search_page() {
        let mut filter = GalleryFilter {
            status: Some(StatusFilter::Ko),
            ..GalleryFilter::default()
        };
        assert_eq!(gallery(&filter), "/search?status=ko");
        filter.session = Some(SessionId(7));
        assert_eq!(gallery(&filter), "/sessions/7?status=ko");
        assert_eq!(gallery(&GalleryFilter::default()), "/search");
    }
}
