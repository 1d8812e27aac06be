//! What the page frame (`templates/_base.html`) shows around every page.

use crate::domain::role::Role;
use crate::web::{AppState, Identity, assets};

pub struct Layout {
    pub title: String,
    pub user: String,
    pub role: Role,
    pub csrf: String,
    /// Every stylesheet and script, by content-hashed URL; one small file per area.
    pub stylesheets: Vec<String>,
    pub scripts: Vec<String>,
    pub htmx: String,
    pub favicon: String,
    /// The search box keeps what was searched.
    pub search: String,
    pub importing: bool,
    /// Which top-level area is current, for the navigation.
    pub area: &'static str,
}

impl Layout {
    pub fn new(
        identity: &Identity,
        state: &AppState,
        area: &'static str,
        title: impl Into<String>,
    ) -> Layout {
        Layout {
            title: title.into(),
            user: identity.name.clone(),
            role: identity.role,
            csrf: identity.csrf.clone().unwrap_or_default(),
            stylesheets: [
                "css/app.css",
                "css/sessions.css",
                "css/gallery.css",
                "css/image.css",
                "css/admin.css",
                "css/stats.css",
            ]
            .map(assets::url)
            .to_vec(),
            scripts: [
                "js/app.js",
                "js/sessions.js",
                "js/gallery.js",
                "js/image.js",
            ]
            .map(assets::url)
            .to_vec(),
            htmx: assets::htmx_url(),
            favicon: assets::url("icons/favicon.svg"),
            search: String::new(),
            importing: state.import.is_running(),
            area,
        }
    }

    pub fn with_search(mut self, query: &str) -> Layout {
        self.search = query.to_owned();
        self
    }

    pub fn can_review(&self) -> bool {
        self.role.can_review()
    }

    pub fn is_admin(&self) -> bool {
        self.role.can_administer()
    }
}
