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
    /// Said at the top of every page while the library folder cannot be read.
    pub offline: Option<String>,
    /// Which top-level area is current, for the navigation.
    pub area: &'static str,
    /// The header's links: inline on a wide screen, in the menu on a phone.
    pub links: Vec<NavLink>,
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
                "js/copy.js",
            ]
            .map(assets::url)
            .to_vec(),
            htmx: assets::htmx_url(),
            favicon: assets::url("icons/favicon.svg"),
            search: String::new(),
            importing: state.import.is_running(),
            offline: state.library.current().map(|offline| {
                format!(
                    "The library folder {} cannot be read since {}; nothing is marked gone \
                     until it is back.",
                    state.library_root.display(),
                    offline.since_short()
                )
            }),
            area,
            links: links(identity.role, area),
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

    /// What the phone's menu button says: the current area, or "Menu" off the main areas.
    pub fn menu_label(&self) -> &'static str {
        self.links
            .iter()
            .find(|link| link.current)
            .map_or("Menu", |link| link.label)
    }
}

fn links(role: Role, area: &str) -> Vec<NavLink> {
    let mut links = vec![NavLink::new("sessions", "/sessions", "Sessions")];
    if role.can_review() {
        links.push(NavLink::new("review", "/review", "Review"));
    }
    links.push(NavLink::new("stats", "/stats", "Statistics"));
    links.push(NavLink::new("insights", "/insights", "Insights"));
    if role.can_administer() {
        links.push(NavLink::new("trash", "/trash", "Trash"));
        links.push(NavLink::new("admin", "/admin", "Admin"));
    }
    for link in &mut links {
        link.current = link.area == area;
    }
    links
}

pub struct NavLink {
    pub area: &'static str,
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

impl NavLink {
    fn new(area: &'static str, href: &'static str, label: &'static str) -> NavLink {
        NavLink {
            area,
            href,
            label,
            current: false,
        }
    }
}
