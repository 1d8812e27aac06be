//! What the admin page shows, computed from the database and the files beside it: the
//! templates only print.

use std::path::Path;

use diesel::SqliteConnection;

use crate::clock::page_text;
use crate::db::backup_files::{self, BackupFile};
use crate::db::models::ImportRun;
use crate::db::sign_in_links;
use crate::db::sign_ins::{self, SignIn};
use crate::db::{import_runs, library_state, users};
use crate::error::AppResult;
use crate::import::status::ImportStatus;
use crate::library::scan::Problem;
use crate::views::sign_in_link::LinkView;
use crate::web::admin_notes::Note;

/// Runs listed, and problems shown per run and for the library now (the rest are counted).
const RUNS_SHOWN: i64 = 20;
const PROBLEMS_SHOWN: usize = 100;

/// A message after an action; a new token or sign-in link is shown here, once.
#[derive(Default)]
pub struct Flash {
    pub message: String,
    pub token: Option<String>,
    pub link: Option<LinkView>,
}

pub struct ProgressView {
    pub running: bool,
    pub read: u64,
    pub total: u64,
    /// What a running rescan is doing, in words: "12 of 40 files read, in 2026-12-06_1015".
    pub line: String,
    pub last_error: Option<String>,
}

impl ProgressView {
    pub fn new(status: &ImportStatus) -> ProgressView {
        let (read, total) = status.files();
        ProgressView {
            running: status.is_running(),
            read,
            total,
            line: progress_line(read, total, &status.doing()),
            last_error: status.last_error(),
        }
    }
}

/// Until the files to read are known there is no "n of m" to say (it would read "0 of 0"):
/// the stage is said instead.
fn progress_line(read: u64, total: u64, doing: &str) -> String {
    match (total, doing.is_empty()) {
        (0, true) => "starting…".to_owned(),
        (0, false) => format!("{doing}…"),
        (_, true) => format!("{read} of {total} new or changed files read"),
        (_, false) => format!("{read} of {total} new or changed files read, now in {doing}"),
    }
}

pub struct RunView {
    pub when: String,
    pub kind: String,
    pub folder: Option<String>,
    pub took: String,
    pub sessions: String,
    pub images: String,
    pub broken: i32,
    pub manifest_errors: i32,
    pub error: Option<String>,
    /// Why it went without its backup, when one was due.
    pub backup_skipped: Option<String>,
    pub problems: Vec<Problem>,
    pub more_problems: usize,
}

impl RunView {
    fn new(run: ImportRun) -> RunView {
        let mut problems: Vec<Problem> = serde_json::from_str(&run.problems).unwrap_or_default();
        // Stored with the run, the words were true when it ran: they say so, not "ago".
        for problem in &mut problems {
            problem.reason = problem
                .reason
                .replace("written moments ago", "written moments before this import");
        }
        let more_problems = problems.len().saturating_sub(PROBLEMS_SHOWN);
        problems.truncate(PROBLEMS_SHOWN);
        RunView {
            when: page_text(run.started_at, "%Y-%m-%d %H:%M:%S"),
            kind: run.kind,
            folder: run.folder,
            took: format!("{:.1} s", run.elapsed_ms as f64 / 1000.0),
            sessions: format!(
                "{} found, {} new, {} updated",
                run.sessions_found, run.sessions_new, run.sessions_updated
            ),
            images: format!(
                "{} found, {} new, {} updated",
                run.images_found, run.images_new, run.images_updated
            ),
            broken: run.broken_files,
            manifest_errors: run.manifest_errors,
            error: run.error,
            backup_skipped: run.backup_skipped,
            problems,
            more_problems,
        }
    }
}

pub struct BackupView {
    pub name: String,
    pub size: String,
    pub when: String,
}

impl BackupView {
    fn new(file: BackupFile) -> BackupView {
        BackupView {
            size: human_size(file.bytes),
            when: file
                .modified
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
            name: file.name,
        }
    }
}

pub struct TokenView {
    pub id: String,
    pub label: String,
    pub created: String,
    pub last_used: String,
    pub revoked: bool,
    /// Revoking it signs the admin looking out, or leaves them without a token: the form asks
    /// them to confirm.
    pub locks_me_out: bool,
}

pub struct DeviceView {
    pub id: String,
    pub browser: String,
    pub signed_in: String,
    pub last_seen: String,
    /// Where it signed in from, when that was kept.
    pub address: Option<String>,
    /// The browser looking at the page.
    pub current: bool,
}

/// A sign-in link not yet used, revoked or expired (its address was shown once, when made).
pub struct OpenLinkView {
    pub id: i32,
    pub made: String,
    pub expires: String,
}

pub struct UserView {
    pub id: i32,
    pub name: String,
    pub role: String,
    pub disabled: bool,
    pub active_tokens: i64,
    pub is_me: bool,
    pub tokens: Vec<TokenView>,
    pub devices: Vec<DeviceView>,
    pub links: Vec<OpenLinkView>,
}

pub struct AdminView {
    pub progress: ProgressView,
    pub runs: Vec<RunView>,
    pub problems_now: Vec<Problem>,
    pub more_problems_now: usize,
    pub backups: Vec<BackupView>,
    pub users: Vec<UserView>,
    pub roles: [&'static str; 3],
    pub flash: Option<Flash>,
    /// Why the admin's last form was refused: the page shows what is stored, and this.
    pub refusal: Option<String>,
    /// The last import that was due a backup went without it: when, and why.
    pub unprotected: Option<RunView>,
    /// The library folder cannot be read now (kept in memory by the server, not here).
    pub offline: Option<OfflineView>,
}

pub struct OfflineView {
    pub root: String,
    pub since: String,
    pub why: String,
}

impl OfflineView {
    pub fn new(offline: crate::import::reach::Offline, root: &Path) -> OfflineView {
        OfflineView {
            root: root.display().to_string(),
            since: offline.since_full(),
            why: offline.why,
        }
    }
}

/// Who is looking: their user and the hash of their own sign-in.
pub struct Looking<'a> {
    pub user: crate::db::ids::UserId,
    pub sign_in: Option<&'a str>,
}

pub fn load(
    conn: &mut SqliteConnection,
    db_path: &Path,
    status: &ImportStatus,
    looking: &Looking<'_>,
    note: Option<Note>,
) -> AppResult<AdminView> {
    let now = crate::db::now();
    let tokens = users::tokens_with_owner(conn, None)?;
    let (flash, refusal) = match note {
        Some(Note::Done(flash)) => (Some(flash), None),
        Some(Note::Refused(why)) => (None, Some(why)),
        None => (None, None),
    };
    let my_token = match looking.sign_in {
        Some(hash) => sign_ins::token_of(conn, hash)?,
        None => None,
    };
    let my_live_tokens = tokens
        .iter()
        .filter(|(t, _)| t.user_id == looking.user && t.revoked_at.is_none())
        .count();
    let runs = import_runs::latest(conn, RUNS_SHOWN)?
        .into_iter()
        .map(RunView::new)
        .collect();
    // Only a file changed in the last minute, by the clock now, is "written moments ago".
    let recent_ns = crate::import::still_writing_since();
    let mut problems_now = library_state::library_problems(conn, None, recent_ns)?;
    let more_problems_now = problems_now.len().saturating_sub(PROBLEMS_SHOWN);
    problems_now.truncate(PROBLEMS_SHOWN);
    let devices = sign_ins::live(conn, None, now)?;
    let links = sign_in_links::open(conn, None, now)?;
    let users = users::list_with_token_counts(conn)?
        .into_iter()
        .map(|(user, active_tokens)| UserView {
            id: user.id.0,
            is_me: user.id == looking.user,
            tokens: tokens
                .iter()
                .filter(|(t, _)| t.user_id == user.id)
                .map(|(t, _)| TokenView {
                    id: t.lookup.clone(),
                    label: t.label.clone(),
                    created: page_text(t.created_at, "%Y-%m-%d"),
                    last_used: t
                        .last_used_at
                        .map(|at| page_text(at, "%Y-%m-%d %H:%M"))
                        .unwrap_or_else(|| "never".to_owned()),
                    revoked: t.revoked_at.is_some(),
                    locks_me_out: t.user_id == looking.user
                        && (my_token == Some(t.id) || my_live_tokens <= 1),
                })
                .collect(),
            devices: devices
                .iter()
                .filter(|d| d.user_id == user.id)
                .map(|d| device(d, looking.sign_in))
                .collect(),
            links: links
                .iter()
                .filter(|l| l.user_id == user.id)
                .map(|l| OpenLinkView {
                    id: l.id,
                    made: page_text(l.created_at, "%H:%M"),
                    expires: page_text(l.expires_at, "%H:%M"),
                })
                .collect(),
            name: user.name,
            role: user.role,
            disabled: user.is_disabled,
            active_tokens,
        })
        .collect();
    Ok(AdminView {
        progress: ProgressView::new(status),
        runs,
        problems_now,
        more_problems_now,
        backups: backup_files::list(db_path)?
            .into_iter()
            .map(BackupView::new)
            .collect(),
        users,
        roles: ["admin", "reviewer", "viewer"],
        flash,
        refusal,
        unprotected: import_runs::last_unprotected(conn)?.map(RunView::new),
        offline: None,
    })
}

pub fn device(sign_in: &SignIn, current: Option<&str>) -> DeviceView {
    DeviceView {
        id: sign_in.device_id().to_owned(),
        browser: browser_name(sign_in.user_agent.as_deref().unwrap_or("")),
        signed_in: page_text(sign_in.created_at, "%Y-%m-%d %H:%M"),
        last_seen: sign_in
            .last_seen_at
            .map(|at| page_text(at, "%Y-%m-%d %H:%M"))
            .unwrap_or_else(|| "not recorded".to_owned()),
        address: sign_in.address.clone(),
        current: current == Some(sign_in.id_hash.as_str()),
    }
}

/// "Firefox on Android" from a user-agent string: enough to tell one's devices apart.
pub fn browser_name(agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .iter()
    .find(|(mark, _)| agent.contains(mark))
    .map(|(_, name)| *name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(mark, _)| agent.contains(mark))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => format!("a browser on {s}"),
        (None, None) if agent.is_empty() => "unknown browser".to_owned(),
        (None, None) => agent.chars().take(60).collect(),
    }
}

fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_are_named_by_what_and_where() {
        let android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";
        assert_eq!(browser_name(android), "Chrome on Android");
        let mac =
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(browser_name(mac), "Firefox on macOS");
        assert_eq!(browser_name(""), "unknown browser");
    }

    #[test]
    fn a_rescan_says_its_stage_until_it_knows_how_many_files_to_read() {
        assert_eq!(progress_line(0, 0, ""), "starting…");
        assert_eq!(
            progress_line(0, 0, "listing the library's folders"),
            "listing the library's folders…"
        );
        assert_eq!(
            progress_line(3, 40, "2026-12-06_1015"),
            "3 of 40 new or changed files read, now in 2026-12-06_1015"
        );
    }

    #[test]
    fn sizes_read_in_the_nearest_unit() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1536), "1.5 KB");
        assert_eq!(human_size(95 * 1024 * 1024), "95.0 MB");
    }
}
