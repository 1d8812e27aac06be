//! `/admin` (admins only): the last imports and the problems they found, "Rescan now" with
//! its progress, the backups, users, their tokens and where they are signed in. Every action
//! is a plain form (the CSRF token in a field), which htmx boosts.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::auth::web_session;
use crate::domain::blind_rule::BlindMode;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::import::record::RunKind;
use crate::live::rescan::Rescan;
use crate::similar::threshold;
use crate::views::admin::{self, AdminView, Flash, Looking, OfflineView, ProgressView};
use crate::views::admin_similar::NearAdminView;
use crate::web::admin_notes::Note;
use crate::web::render::{blocking, html};
use crate::web::{AppState, Identity, Layout};

#[derive(Template)]
#[template(path = "pages/admin.html")]
struct AdminPage {
    layout: Layout,
    view: AdminView,
    near: NearAdminView,
    /// The household's blind review is on.
    blind: bool,
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

/// The hash of the browser sign-in making the request, as stored.
pub fn own_sign_in(req: &HttpRequest) -> Option<String> {
    req.cookie(web_session::COOKIE_NAME)
        .map(|cookie| web_session::hash_id(cookie.value()))
}

/// Whose note it is: the sign-in that acted, or the user of a bearer token.
fn note_key(req: &HttpRequest, identity: &Identity) -> String {
    own_sign_in(req).unwrap_or_else(|| format!("user {}", identity.user_id))
}

/// Answers an admin form: keeps what happened for the page and sends the browser there
/// (303), so a reload shows the page again instead of posting the form twice, and the
/// address in the bar is one that exists.
pub fn redirect_with(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    note: Note,
) -> HttpResponse {
    state.admin_notes.keep(note_key(req, identity), note);
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/admin"))
        .finish()
}

/// What a form's work came to: done, or refused with a reason the page can show; other
/// failures (the database, the disk) stay errors.
pub fn outcome(result: Result<Flash, AppError>) -> Result<Note, AppError> {
    match result {
        Ok(flash) => Ok(Note::Done(flash)),
        Err(AppError::BadInput(why) | AppError::NotFound(why)) => Ok(Note::Refused(why)),
        Err(other) => Err(other),
    }
}

/// The whole page, with `note` at the top: what the admin's last form did, or why a form was
/// refused before it could redirect.
pub async fn page_with(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    note: Option<Note>,
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
    let (view, near, blind) = blocking(move || {
        let mut conn = pool.get()?;
        let looking = Looking {
            user: me,
            sign_in: sign_in.as_deref(),
        };
        let mut view = admin::load(&mut conn, &db_path, &status, &looking, note)?;
        view.offline = offline;
        let near = NearAdminView::new(hashing, threshold::current(&mut conn)?);
        let blind = crate::db::blind_review::mode(&mut conn)? == BlindMode::On;
        Ok::<_, AppError>((view, near, blind))
    })
    .await?;
    html(&AdminPage {
        layout: Layout::new(identity, state, "admin", "Administration"),
        view,
        near,
        blind,
    })
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let note = state.admin_notes.take(&note_key(&req, &identity));
    page_with(&req, &state, &identity, note).await
}

pub async fn rescan(
    req: HttpRequest,
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Role::Admin)?;
    let note = match crate::live::rescan::spawn(&state, RunKind::Rescan) {
        Rescan::Started => Note::Done(Flash {
            message: "Rescan started: every folder of the library is looked at again.".to_owned(),
            token: None,
            link: None,
        }),
        Rescan::AlreadyRunning => Note::Refused("A rescan is already running.".to_owned()),
        Rescan::Offline(offline) => Note::Refused(format!(
            "No rescan: the library folder {} cannot be read since {} ({}), and a rescan now \
             would find nothing. Nothing is marked gone; sdreview goes on by itself once the \
             folder is back.",
            state.library_root.display(),
            offline.since_full(),
            offline.why
        )),
    };
    Ok(redirect_with(&req, &state, &identity, note))
}

/// The progress block, polled every second while a rescan runs; once it is over the admin
/// page is loaded again to show the run (by its own address, whatever the bar says).
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
        crate::web::htmx::redirect(&mut response, "/admin");
    }
    Ok(response)
}
