//! Whose turn it is to write. SQLite lets one writer in at a time and makes the others poll,
//! sleeping up to 100 ms between tries, so a writer that commits and begins again at once (the
//! import) would keep everyone else out for as long as it runs. Writers take turns here
//! instead: first within this process, then across processes through the lock file
//! `<db>.write-turn`, on which a waiting writer sleeps in the kernel and is woken the moment
//! the turn is given back. The import gives it back between its short transactions and, while
//! another writer waits (each waiting process holds `<db>.write-wish` shared), lets it go
//! first: a rating made during an import waits for one short transaction at most.

use std::collections::HashMap;
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::{Duration, Instant};

use diesel::prelude::*;

use super::file_lock;

/// Within this process: one writer at a time, whatever the database, in the order they came
/// (handed over fairly when a turn ends): ratings queue behind each other, and a lock that
/// lets the newest barge in left a few waiting for many turns (the rating's p99).
static WRITER: parking_lot::Mutex<()> = parking_lot::const_mutex(());
/// The lock files of each database this process writes to.
static LOCK_FILES: LazyLock<Mutex<HashMap<PathBuf, Arc<LockFiles>>>> =
    LazyLock::new(Mutex::default);

/// How long a long writer (the import) lets waiting writers go first, at most, between two of
/// its transactions: past that it takes its turn anyway, so raters cannot starve it.
pub const YIELD_AT_MOST: Duration = Duration::from_millis(60);
/// How long no writer must have waited before a long writer takes the turn again.
const QUIET_FOR: Duration = Duration::from_millis(3);

/// `<db>.write-turn`, held by the writer; `<db>.write-wish`, held shared by every process
/// that has a writer waiting for the turn, so that the import can see someone waits; and a
/// second handle on the wish file to look with (a lock through the same handle would only
/// convert this process's own lock, not test it).
struct LockFiles {
    /// The database file, and its identity (device and inode) when this process first wrote
    /// to it.
    db: PathBuf,
    identity: Option<FileIdentity>,
    turn: File,
    wish: File,
    probe: File,
    /// Writers of this process waiting for the turn: the first takes the wish, the last lets
    /// it go.
    waiting: Mutex<usize>,
}

/// Held while writing; gives the turn back when dropped.
pub struct Turn {
    files: Option<Arc<LockFiles>>,
    /// Whether dropping this turn gives back the turn between processes (not once a group of
    /// writes holds it: [`Turn::keep_file_turn`]).
    gives_back_file: bool,
    in_process: Option<parking_lot::MutexGuard<'static, ()>>,
}

impl Turn {
    /// The database this turn is for; None without lock files.
    pub fn database(&self) -> Option<&Path> {
        self.files.as_ref().map(|files| files.db.as_path())
    }

    /// Whether another writer of this process waits for this database's turn. It waits for
    /// the in-process turn, so it comes next or soon after.
    pub fn others_waiting(&self) -> bool {
        self.writers_waiting() > 0
    }

    /// How many writers of this process wait for this database's turn.
    pub fn writers_waiting(&self) -> usize {
        self.files.as_ref().map_or(0, |files| {
            *files.waiting.lock().unwrap_or_else(PoisonError::into_inner)
        })
    }

    /// Takes the turn between processes out of this turn, to outlast it (a group of writes,
    /// `super::write_group`): this turn, dropped, then gives back only the in-process one.
    pub fn keep_file_turn(&mut self) -> FileTurn {
        let held = self.gives_back_file.then(|| self.files.clone()).flatten();
        self.gives_back_file = false;
        FileTurn(held)
    }
}

/// The turn between processes (`<db>.write-turn`), held apart from the in-process one; given
/// back when dropped. Taken again by this same process it is the same lock, not a second one.
pub struct FileTurn(Option<Arc<LockFiles>>);

impl FileTurn {
    /// Drops this handle without giving the turn back: whoever holds the turn now does.
    pub fn dissolve(&mut self) {
        self.0 = None;
    }
}

impl Drop for FileTurn {
    fn drop(&mut self) {
        if let Some(files) = &self.0 {
            let _ = files.turn.unlock();
        }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        if let Some(files) = &self.files
            && self.gives_back_file
        {
            let _ = files.turn.unlock();
        }
        if let Some(in_process) = self.in_process.take() {
            parking_lot::MutexGuard::unlock_fair(in_process);
        }
    }
}

/// This writer's wish for the turn, from before it waits until it has the turn.
struct Wish(Arc<LockFiles>);

impl Wish {
    fn enter(files: Arc<LockFiles>) -> Wish {
        let mut waiting = files.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        if *waiting == 0
            && let Err(e) = files.wish.lock_shared()
        {
            tracing::warn!("cannot say a writer waits: {e}");
        }
        *waiting += 1;
        drop(waiting);
        Wish(files)
    }
}

impl Drop for Wish {
    fn drop(&mut self) {
        let mut waiting = self
            .0
            .waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *waiting = waiting.saturating_sub(1);
        if *waiting == 0 {
            let _ = self.0.wish.unlock();
        }
    }
}

diesel::table! {
    /// SQLite's list of attached databases, as a table so that diesel keeps the query
    /// prepared: every write asks it, and a statement prepared anew each time showed in a
    /// rating's profile.
    pragma_database_list (name) {
        name -> Text,
        file -> Text,
    }
}

/// The main database's file; None for an in-memory one.
pub(super) fn database_file(conn: &mut SqliteConnection) -> QueryResult<Option<PathBuf>> {
    use pragma_database_list::dsl as list;
    let files: Vec<String> = list::pragma_database_list
        .filter(list::name.eq("main"))
        .select(list::file)
        .load(conn)?;
    Ok(files
        .into_iter()
        .map(PathBuf::from)
        .find(|p| !p.as_os_str().is_empty()))
}

fn open(db: &Path, suffix: &str) -> Option<File> {
    let path = file_lock::lock_path(db, suffix);
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .inspect_err(|e| tracing::warn!("cannot open {}: {e}", path.display()))
        .ok()
}

fn lock_files(conn: &mut SqliteConnection) -> QueryResult<Option<Arc<LockFiles>>> {
    let Some(db) = database_file(conn)? else {
        return Ok(None);
    };
    let mut files = LOCK_FILES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(found) = files.get(&db) {
        return Ok(Some(found.clone()));
    }
    let Some(opened) = (|| {
        Some(LockFiles {
            db: db.clone(),
            identity: FileIdentity::of(&db),
            turn: open(&db, "write-turn")?,
            wish: open(&db, "write-wish")?,
            probe: open(&db, "write-wish")?,
            waiting: Mutex::new(0),
        })
    })() else {
        return Ok(None);
    };
    let opened = Arc::new(opened);
    files.insert(db, opened.clone());
    Ok(Some(opened))
}

/// Which file a path names: a database deleted or replaced (renamed over) while sdreview runs
/// is another file, or none, under the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileIdentity {
    device: u64,
    inode: u64,
}

impl FileIdentity {
    fn of(path: &Path) -> Option<FileIdentity> {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| FileIdentity {
            device: m.dev(),
            inode: m.ino(),
        })
    }
}

/// A write refused because the database file was deleted or replaced while sdreview ran:
/// SQLite would go on writing into the file it has open, which nobody will ever read again.
#[derive(Debug)]
pub struct DatabaseReplaced(pub PathBuf);

impl std::fmt::Display for DatabaseReplaced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the database file {} was moved, deleted or replaced while sdreview was running, so \
             nothing more is written to it: restart sdreview (and to put a database back, use \
             `sdreview restore`)",
            self.0.display()
        )
    }
}

impl std::error::Error for DatabaseReplaced {}

/// Refuses the turn when the file under the database's name is no longer the one this
/// process has open.
fn check_same_file(files: &LockFiles) -> QueryResult<()> {
    let Some(first) = files.identity else {
        return Ok(());
    };
    if FileIdentity::of(&files.db) == Some(first) {
        return Ok(());
    }
    let error = DatabaseReplaced(files.db.clone());
    tracing::error!("{error}");
    Err(diesel::result::Error::QueryBuilderError(Box::new(error)))
}

/// Waits for the turn to write to `conn`'s database. Without its lock files (a read-only
/// folder) writers still take turns within this process, and SQLite keeps them apart. Callers
/// outside `db` take it through [`super::write_group::take_turn`], which first ends a group of
/// writes left open.
pub(super) fn take(conn: &mut SqliteConnection) -> QueryResult<Turn> {
    let files = lock_files(conn)?;
    if let Some(files) = &files {
        check_same_file(files)?;
    }
    let wish = files.clone().map(Wish::enter);
    let in_process = Some(WRITER.lock());
    if let Some(Err(e)) = files.as_ref().map(|f| f.turn.lock()) {
        tracing::warn!("cannot take the write turn: {e}");
        return Ok(Turn {
            files: None,
            gives_back_file: false,
            in_process,
        });
    }
    drop(wish);
    Ok(Turn {
        files,
        gives_back_file: true,
        in_process,
    })
}

/// For a writer that writes again and again (the import), between two turns: while a writer
/// in any process waits for the turn, waits, for at most [`YIELD_AT_MOST`]. A rating made
/// during the import's transaction then goes before the import's next one. Once writers have
/// been seen waiting it waits until none has for [`QUIET_FOR`]: ratings queued together are
/// answered together (`super::write_group`), and raters who rate again at once would otherwise
/// find the import's next transaction begun every time.
pub fn let_waiting_writers_go_first(conn: &mut SqliteConnection) -> QueryResult<()> {
    let Some(files) = lock_files(conn)? else {
        return Ok(());
    };
    let started = Instant::now();
    let mut last_seen: Option<Instant> = None;
    loop {
        let waiting = match files.probe.try_lock() {
            Ok(()) => {
                let _ = files.probe.unlock();
                false
            }
            Err(TryLockError::WouldBlock) => true,
            Err(_) => return Ok(()),
        };
        if waiting {
            last_seen = Some(Instant::now());
        }
        let quiet = last_seen.is_none_or(|seen| seen.elapsed() >= QUIET_FOR);
        if (quiet && !waiting) || started.elapsed() >= YIELD_AT_MOST {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}
