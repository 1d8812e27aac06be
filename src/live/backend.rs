//! The file-system watch itself: inotify (or the platform's own) on the library root and on
//! the folders being written, never one watch per folder of the library; polling instead on a
//! network file system, where no event arrives for another machine's writes, or once the
//! system refused a watch.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{Config, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use super::Message;

pub struct Backend {
    watcher: Box<dyn Watcher + Send>,
    polling: bool,
    root: PathBuf,
    sender: Sender<Message>,
    poll_interval: Duration,
    /// Errors while polling are told once; they come back at every poll.
    told_poll_error: bool,
}

impl Backend {
    /// Watches `root` with events where they can work, else by polling; says which in the log.
    pub fn start(
        root: &Path,
        sender: Sender<Message>,
        poll_interval: Duration,
        force_polling: bool,
    ) -> notify::Result<Backend> {
        let network = super::mounts::network_file_system(root);
        if let Some(kind) = &network {
            tracing::info!(
                "the library is on a network file system ({kind}): watching it by polling every {} s",
                poll_interval.as_secs_f32()
            );
        }
        let mut backend = Backend {
            watcher: Box::new(poll_watcher(&sender, poll_interval)?),
            polling: true,
            root: root.to_owned(),
            sender,
            poll_interval,
            told_poll_error: false,
        };
        if network.is_none() && !force_polling {
            match event_watcher(&backend.sender) {
                Ok(watcher) => {
                    backend.watcher = Box::new(watcher);
                    backend.polling = false;
                }
                Err(error) => backend.log_fallback(&error),
            }
        }
        if let Err(error) = backend.watcher.watch(root, RecursiveMode::NonRecursive) {
            if backend.polling {
                return Err(error);
            }
            backend.fall_back(&error, &[])?;
        }
        Ok(backend)
    }

    /// Watches one session folder (not its sub-folders); false when it is not a folder (gone,
    /// or a symbolic link). A refusal (the system's watch limit) moves everything to polling
    /// rather than missing that folder's files.
    pub fn watch_folder(&mut self, folder: &str, watched: &[String]) -> bool {
        let path = self.root.join(folder);
        // Never through a link: inotify watches a folder, not a path, so a link to a watched
        // folder (the root, a session as "latest") would give that folder's watch the link's
        // path, and its events would name the link. The importer ignores links too.
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            return false;
        }
        let Err(error) = self.watcher.watch(&path, RecursiveMode::NonRecursive) else {
            return true;
        };
        if is_gone(&error) {
            return false;
        }
        if !self.polling {
            let with_this_one = [watched, &[folder.to_owned()]].concat();
            if let Err(error) = self.fall_back(&error, &with_this_one) {
                tracing::error!("cannot watch the library, even by polling: {error}");
            }
        }
        true
    }

    pub fn unwatch_folder(&mut self, folder: &str) {
        // A folder removed since is no longer watched anyway.
        let _ = self.watcher.unwatch(&self.root.join(folder));
    }

    /// An error reported by the watcher: events can no longer be trusted, so poll from now on.
    pub fn failed(&mut self, error: &notify::Error, watched: &[String]) {
        if self.polling {
            if !self.told_poll_error {
                tracing::warn!("while polling the library: {error} (told once)");
                self.told_poll_error = true;
            }
            return;
        }
        if let Err(error) = self.fall_back(error, watched) {
            tracing::error!("cannot watch the library, even by polling: {error}");
        }
    }

    fn log_fallback(&self, error: &notify::Error) {
        tracing::warn!(
            "cannot watch the library for changes ({error}): watching it by polling every {} s instead",
            self.poll_interval.as_secs_f32()
        );
    }

    fn fall_back(&mut self, error: &notify::Error, watched: &[String]) -> notify::Result<()> {
        self.log_fallback(error);
        let mut watcher = poll_watcher(&self.sender, self.poll_interval)?;
        watcher.watch(&self.root, RecursiveMode::NonRecursive)?;
        for folder in watched {
            let _ = watcher.watch(&self.root.join(folder), RecursiveMode::NonRecursive);
        }
        self.watcher = Box::new(watcher);
        self.polling = true;
        Ok(())
    }
}

fn is_gone(error: &notify::Error) -> bool {
    match &error.kind {
        notify::ErrorKind::PathNotFound => true,
        notify::ErrorKind::Io(e) => e.kind() == std::io::ErrorKind::NotFound,
        _ => false,
    }
}

fn event_watcher(sender: &Sender<Message>) -> notify::Result<RecommendedWatcher> {
    let sender = sender.clone();
    RecommendedWatcher::new(
        move |event| {
            let _ = sender.send(Message::Event(event));
        },
        // Only matters for recursive watches, which sdreview never asks for; said all the same.
        Config::default().with_follow_symlinks(false),
    )
}

/// Polling the root alone already sees activity in every session folder: a folder's mtime
/// changes when a file is added, renamed or removed in it.
fn poll_watcher(sender: &Sender<Message>, interval: Duration) -> notify::Result<PollWatcher> {
    let sender = sender.clone();
    PollWatcher::new(
        move |event| {
            let _ = sender.send(Message::Event(event));
        },
        Config::default()
            .with_poll_interval(interval)
            .with_follow_symlinks(false),
    )
}
