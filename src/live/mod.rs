//! The live library: while the server runs, new session folders and new images are imported
//! within seconds of being written, and a periodic reconcile (the ordinary incremental import)
//! catches whatever the events missed.

mod backend;
mod events;
mod mounts;
pub mod rescan;
mod settle;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant, SystemTime};

use crate::db::Pool;
use crate::error::error_chain;
use crate::import::reach::LibraryReach;
use crate::import::record::{Importer, RunKind};
use crate::import::{ImportOptions, Scope};
use crate::library::scan::confirm_root;
use backend::Backend;
use settle::Settling;

#[derive(Debug, Clone)]
pub struct WatchSettings {
    /// Listen to file-system events; off, only the reconcile finds new folders (tests use it to
    /// show that the reconcile alone catches what events missed).
    pub events: bool,
    /// A folder is imported once no event arrived for it for this long.
    pub settle: Duration,
    /// How long a folder stays watched after its last event.
    pub linger: Duration,
    /// The whole library is checked this often; None: never.
    pub reconcile: Option<Duration>,
    /// How often the library is polled where events cannot be used.
    pub poll_interval: Duration,
    /// Poll even where events would work.
    pub force_polling: bool,
    /// At most this many session folders are watched at once, besides the root: a generator
    /// writes one or two at a time; past this, the folder written least recently gives its
    /// watch to the new one (a bulk copy, whose folders the import reads whole anyway).
    pub max_watched: usize,
}

impl Default for WatchSettings {
    fn default() -> Self {
        WatchSettings {
            events: true,
            settle: Duration::from_secs(1),
            linger: Duration::from_secs(10 * 60),
            reconcile: Some(Duration::from_secs(5 * 60)),
            poll_interval: Duration::from_secs(2),
            force_polling: false,
            max_watched: 256,
        }
    }
}

/// More folders than this waiting to be imported at once are imported in one whole-library
/// run.
const MANY_AT_ONCE: usize = 32;

pub enum Message {
    Event(notify::Result<notify::Event>),
    Stop,
}

/// Stops the watcher when dropped (when the server stops, or a test's server goes away).
pub struct Watching {
    sender: Sender<Message>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.sender.send(Message::Stop);
    }
}

/// What the watcher imports into.
#[derive(Clone)]
pub struct Target {
    pub db_path: PathBuf,
    pub pool: Pool,
    pub root: PathBuf,
    /// Whether the root can be read; while it cannot, it is tried every poll interval and
    /// nothing else is imported.
    pub reach: Arc<LibraryReach>,
}

/// Watches `target.root` from now on (a folder created once this returns is seen), and
/// imports what changes on a thread of its own.
pub fn spawn(target: Target, settings: WatchSettings) -> Watching {
    let (sender, receiver) = mpsc::channel();
    let events = settings.events.then(|| sender.clone());
    let watcher = Watcher::new(target, settings, events);
    std::thread::spawn(move || watcher.run(&receiver));
    Watching { sender }
}

struct Watcher {
    target: Target,
    settings: WatchSettings,
    backend: Option<Backend>,
    settling: Settling,
    next_reconcile: Option<Instant>,
    /// While the library folder cannot be read: when to try it again.
    next_probe: Instant,
}

impl Watcher {
    fn new(target: Target, settings: WatchSettings, events: Option<Sender<Message>>) -> Watcher {
        let backend = events.and_then(|sender| {
            Backend::start(
                &target.root,
                sender,
                settings.poll_interval,
                settings.force_polling,
            )
            .map_err(|e| {
                tracing::error!(
                    "cannot watch the library ({e}): only the periodic check will find new sessions"
                )
            })
            .ok()
        });
        let mut watcher = Watcher {
            settling: Settling::new(settings.settle, settings.linger, settings.max_watched),
            next_reconcile: settings.reconcile.map(|every| Instant::now() + every),
            next_probe: Instant::now(),
            target,
            settings,
            backend,
        };
        watcher.adopt_recent_folders();
        watcher
    }

    /// Folders written in the last few minutes (a generator that was running when the server
    /// started) are watched from the start, as long as there is room: they give up their
    /// watch first to a folder written while the server runs.
    fn adopt_recent_folders(&mut self) {
        let Some(backend) = &mut self.backend else {
            return;
        };
        let now = Instant::now();
        for (name, age) in recent_folders(&self.target.root, self.settings.linger) {
            if !self
                .settling
                .adopt(&name, now.checked_sub(age).unwrap_or(now))
            {
                break;
            }
            backend.watch_folder(&name, &[]);
        }
    }

    fn run(mut self, receiver: &Receiver<Message>) {
        loop {
            let probe = self.target.reach.is_offline().then_some(self.next_probe);
            let deadline = [self.settling.next_deadline(), self.next_reconcile, probe]
                .into_iter()
                .flatten()
                .min();
            let message = match deadline {
                Some(at) => receiver.recv_timeout(at.saturating_duration_since(Instant::now())),
                None => receiver.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match message {
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(Message::Event(event)) => self.take(event),
                Err(RecvTimeoutError::Timeout) => {}
            }
            let now = Instant::now();
            if self.target.reach.is_offline() {
                self.while_offline(now);
                continue;
            }
            let due = self.settling.due(now);
            if !due.is_empty() && due.len() + self.settling.pending() > MANY_AT_ONCE {
                // A bulk copy into the library: one pass over it beats a run per folder. A
                // folder still being written is read as it is, and again on its next event.
                self.settling.all_imported();
                self.import(RunKind::Watch, Scope::Library);
            } else {
                for folder in due {
                    // The rest would fail the same way; the check once the library is back
                    // reads them.
                    if self.target.reach.is_offline() {
                        break;
                    }
                    self.import(RunKind::Watch, Scope::Folder(&folder));
                }
            }
            for folder in self.settling.expired(now) {
                if let Some(backend) = &mut self.backend {
                    backend.unwatch_folder(&folder);
                }
            }
            if self.next_reconcile.is_some_and(|at| now >= at) {
                self.import(RunKind::Reconcile, Scope::Library);
                self.next_reconcile = self.settings.reconcile.map(|every| Instant::now() + every);
            }
        }
    }

    /// The library folder cannot be read: events only say its folders vanished, which they
    /// did not. It is tried every poll interval; once it can be read, the whole library is
    /// checked, which ends the offline state.
    fn while_offline(&mut self, now: Instant) {
        self.settling.all_imported();
        for folder in self.settling.expired(now) {
            if let Some(backend) = &mut self.backend {
                backend.unwatch_folder(&folder);
            }
        }
        if now < self.next_probe {
            return;
        }
        self.next_probe = now + self.settings.poll_interval;
        if confirm_root(&self.target.root).is_ok() {
            self.import(RunKind::Reconcile, Scope::Library);
            self.next_reconcile = self.settings.reconcile.map(|every| Instant::now() + every);
        }
    }

    fn take(&mut self, event: notify::Result<notify::Event>) {
        let now = Instant::now();
        let event = match event {
            Ok(event) => event,
            Err(error) => {
                let watched = self.settling.watched_names();
                if let Some(backend) = &mut self.backend {
                    backend.failed(&error, &watched);
                }
                // Whatever the failing watch would have reported is found by a check now.
                self.next_reconcile = Some(now);
                return;
            }
        };
        if event.need_rescan() {
            self.next_reconcile = Some(now);
        }
        for folder in events::folders_touched(&self.target.root, &event) {
            if self.settling.touch(&folder, now) {
                self.watch(&folder);
            }
        }
    }

    /// Watches a folder being written, in place of the one written least recently when the
    /// limit is reached.
    fn watch(&mut self, folder: &str) {
        let watched = self.settling.watched_names();
        let Some(backend) = &mut self.backend else {
            return;
        };
        if backend.watch_folder(folder, &watched)
            && let Some(least_recent) = self.settling.watched(folder)
        {
            backend.unwatch_folder(&least_recent);
        }
    }

    fn import(&self, kind: RunKind, scope: Scope<'_>) {
        let importer = Importer {
            db_path: &self.target.db_path,
            pool: &self.target.pool,
            root: &self.target.root,
            reach: &self.target.reach,
        };
        // A copy of the database before every folder of every run would be hundreds a day;
        // these runs only add rows, never touching what people wrote.
        let options = ImportOptions {
            progress: false,
            backup: false,
            read_delay: Duration::ZERO,
        };
        match importer.run(kind, scope, options, None) {
            Ok(report) if report.changed_anything() => {
                tracing::info!(
                    "{}: {} new images, {} updated, {} new sessions",
                    match scope {
                        Scope::Folder(name) => name,
                        Scope::Library => "library check",
                    },
                    report.images_new,
                    report.images_updated,
                    report.sessions_new
                );
            }
            Ok(_) => {}
            Err(error) => tracing::error!("import of {scope:?} failed: {}", error_chain(&error)),
        }
    }
}

/// Folders of `root` modified less than `within` ago, with their age.
fn recent_folders(root: &Path, within: Duration) -> Vec<(String, Duration)> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let now = SystemTime::now();
    let mut recent: Vec<(String, Duration)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let age = now
                .duration_since(e.metadata().ok()?.modified().ok()?)
                .ok()?;
            let name = e.file_name().into_string().ok()?;
            (age < within && !name.starts_with('.')).then_some((name, age))
        })
        .collect();
    recent.sort_by_key(|(_, age)| *age);
    recent
}
