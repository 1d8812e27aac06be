//! `/admin` (admins only): the last imports and the problems they found, "Rescan now" with
//! its progress, the backups, users, their tokens and where they are signed in. Every action
//! is a plain form (the CSRF token in a field), which htmx boosts.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::auth::web_session;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::import::record::RunKind;
use crate::live::rescan::Rescan;
use crate::similar::threshold;
use crate::views::admin::{self, AdminView, Flash, Looking, OfflineView, ProgressView};
use crate::views::admin_similar::NearAdminView;
use crate::web::render::{blocking, html};
use crate::web::{AppState, Identity, Layout};

#[derive(Template)]
#[template(path = "pages/admin.html")]
struct AdminPage {
    layout: Layout,
    view: AdminView,
    near: NearAdminView,
}

#[derive(Template)]
#[template(path = "pages/admin.html", block = "progress")]
struct ProgressPart {
    layout: CsrfOnly,
    view: ProgressOnly,
}

/// The rescan form in the block needs the page's CSRF token, nothing else of the layout.
struct CsrfOnly {
    csrf: String,
}

/// The progress block reads `view.progress` like the page does.
struct ProgressOnly {
    progress: ProgressView,
}

fn own_sign_in(req: &HttpRequest) -> Option<String> {
    req.cookie(web_session::COOKIE_NAME)
        .map(|cookie| web_session::hash_id(cookie.value()))
}

/// The whole page, with a message after an action.
pub async fn page_with(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    flash: Option<Flash>,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Admin)?;
    let pool = state.pool.clone();
    let db_path = state.db_path.clone();
    let status = state.import.clone();
    let offline = state
        .library
        .current()
        .map(|o| OfflineView::new(o, &state.library_root));
    let me = identity.user_id;
    let sign_in = own_sign_in(req);
    let hashing = state.similar.progress();
    let (view, near) = blocking(move || {
        let mut conn = pool.get()?;
        let looking = Looking {
            user: me,
            sign_in: sign_in.as_deref(),
        };
        let mut view = admin::load(&mut conn, &db_path, &status, &looking, flash)?;
        view.offline = offline;
        let near = NearAdminView::new(hashing, threshold::current(&mut conn)?);
        Ok::<_, AppError>((view, near))
    })
    .await?;
    html(&AdminPage {
        layout: Layout::new(identity, state, "admin", "Administration"),
        view,
        near,
    })
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    page_with(&req, &state, &identity, None).await
}

pub async fn rescan(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Admin)?;
    let message = match crate::live::rescan::spawn(&state, RunKind::Rescan) {
        Rescan::Started => {
            "Rescan started: every folder of the library is looked at again.".to_owned()
        }
        Rescan::AlreadyRunning => "A rescan is already running.".to_owned(),
        Rescan::Offline(offline) => format!(
            "No rescan: the library folder {} cannot be read since {} ({}), and a rescan now \
             would find nothing. Nothing is marked gone; sdreview goes on by itself once the \
             folder is back.",
            state.library_root.display(),
            offline.since_full(),
            offline.why
        ),
    };
    let flash = Flash {
        message,
        token: None,
        link: None,
    };
    page_with(&req, &state, &identity, Some(flash)).await
}

/// The progress block, polled every second while a rescan runs; once it is over the page
/// reloads itself to show the run.
pub async fn progress(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Admin)?;
    let progress = ProgressView::new(&state.import);
    let finished = !progress.running;
    let mut response = html(&ProgressPart {
        layout: CsrfOnly {
            csrf: identity.csrf.clone().unwrap_or_default(),
        },
        view: ProgressOnly { progress },
    })?;
    if finished {
        crate::web::htmx::refresh(&mut response);
    }
    Ok(response)
}
