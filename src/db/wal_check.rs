//! A look at the write-ahead log before SQLite opens the database. SQLite silently ignores a
//! log it cannot trust (a damaged header) or cannot find, and with it every change made since
//! the last checkpoint: acknowledged ratings vanish without a word. Nothing here changes what
//! SQLite does; it says loudly what may be lost, and keeps a copy of a damaged log for
//! recovery.
//!
//! It looks only at the first opening in a process. SQLite's locks on the side files belong to
//! the process, and closing any handle to a file drops all of them (POSIX): reading `-shm` while
//! this process's connections hold it let another program think itself the first user, which
//! empties the index under our mapped copy of it (a SIGBUS, or a log read wrong).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::file_names::with_suffix;

const WAL_MAGIC_LITTLE: u32 = 0x377f_0682;
const WAL_MAGIC_BIG: u32 = 0x377f_0683;

/// What was found, when something is wrong.
#[derive(Debug, PartialEq, Eq)]
pub enum Finding {
    /// The log is there but its header is not a valid one: SQLite will ignore it.
    Damaged {
        log_bytes: u64,
        kept: Option<PathBuf>,
    },
    /// The shared-memory index says the log held frames, and the log is gone or empty.
    Missing { frames: u32 },
}

/// Databases this process has looked at, and so may have open.
static LOOKED_AT: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

/// Checks `<db>-wal` against `<db>-shm`, logs what may be lost, and returns it; None without
/// looking when this process has opened the database before.
pub fn before_open(db: &Path) -> Option<Finding> {
    let first = LOOKED_AT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(identity(db));
    if first { look(db) } else { None }
}

/// The same file whichever way it is named: the folder resolved (the file may not exist yet).
fn identity(db: &Path) -> PathBuf {
    let folder = db.parent().filter(|p| !p.as_os_str().is_empty());
    let folder = folder.unwrap_or(Path::new("."));
    match (std::fs::canonicalize(folder), db.file_name()) {
        (Ok(folder), Some(name)) => folder.join(name),
        _ => db.to_path_buf(),
    }
}

fn look(db: &Path) -> Option<Finding> {
    let wal = with_suffix(db, "-wal");
    let shm = with_suffix(db, "-shm");
    let log = read_head(&wal);
    let finding = match log {
        Some((length, head)) if length > 0 && !header_is_valid(&head) => {
            let kept = keep_copy(&wal);
            Some(Finding::Damaged {
                log_bytes: length,
                kept,
            })
        }
        Some((length, _)) if length > 0 => None,
        _ => frames_in_index(&shm)
            .filter(|&frames| frames > 0)
            .map(|frames| Finding::Missing { frames }),
    };
    match &finding {
        Some(Finding::Damaged { log_bytes, kept }) => tracing::error!(
            "the write-ahead log {} is damaged, so SQLite will ignore it: changes made since the \
             last checkpoint ({} KB of log) are lost from the database. {}Restore a backup with \
             `sdreview restore` if they matter.",
            wal.display(),
            log_bytes.div_ceil(1024),
            kept.as_ref()
                .map(|k| format!("A copy of the log is kept at {}. ", k.display()))
                .unwrap_or_default()
        ),
        Some(Finding::Missing { frames }) => tracing::error!(
            "the write-ahead log {} is missing or empty, though the database's index says it \
             held {frames} changed pages: changes made since the last checkpoint are lost. \
             Restore a backup with `sdreview restore` if they matter.",
            wal.display()
        ),
        None => {}
    }
    finding
}

/// The log's length and its first 32 bytes (fewer when it is shorter): a log can be large.
fn read_head(wal: &Path) -> Option<(u64, Vec<u8>)> {
    use std::io::Read;
    let file = std::fs::File::open(wal).ok()?;
    let length = file.metadata().ok()?.len();
    let mut head = Vec::with_capacity(32);
    file.take(32).read_to_end(&mut head).ok()?;
    Some((length, head))
}

/// The log's 32-byte header: magic, and the checksum of its first 24 bytes (SQLite's file
/// format, section 4.1).
fn header_is_valid(log: &[u8]) -> bool {
    let Some(header) = log.get(..32) else {
        return false;
    };
    let word = |at: usize, big: bool| {
        let bytes = [header[at], header[at + 1], header[at + 2], header[at + 3]];
        if big {
            u32::from_be_bytes(bytes)
        } else {
            u32::from_le_bytes(bytes)
        }
    };
    let big = match word(0, true) {
        WAL_MAGIC_BIG => true,
        WAL_MAGIC_LITTLE => false,
        _ => return false,
    };
    let (mut s0, mut s1) = (0u32, 0u32);
    for at in (0..24).step_by(8) {
        s0 = s0.wrapping_add(word(at, big)).wrapping_add(s1);
        s1 = s1.wrapping_add(word(at + 4, big)).wrapping_add(s0);
    }
    s0 == word(24, true) && s1 == word(28, true)
}

/// `mxFrame` of the first copy of the index header in `<db>-shm` (native byte order).
fn frames_in_index(shm: &Path) -> Option<u32> {
    let bytes = std::fs::read(shm).ok()?;
    let at = bytes.get(16..20)?;
    Some(u32::from_ne_bytes([at[0], at[1], at[2], at[3]]))
}

fn keep_copy(wal: &Path) -> Option<PathBuf> {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let copy = with_suffix(wal, &format!(".damaged-{stamp}"));
    std::fs::copy(wal, &copy).ok().map(|_| copy)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use diesel::connection::SimpleConnection;

    use super::*;

    /// A database in WAL mode with changes still in its log, and its side files copied away
    /// while a connection is open (as after a crash).
    fn crashed(dir: &Path) -> PathBuf {
        let db = dir.join("live.db");
        let pool = crate::db::open(&db).unwrap();
        let mut conn = pool.get().unwrap();
        conn.batch_execute(
            "PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x); INSERT INTO t VALUES (1);",
        )
        .unwrap();
        let copy = dir.join("copy.db");
        for suffix in ["", "-wal", "-shm"] {
            std::fs::copy(with_suffix(&db, suffix), with_suffix(&copy, suffix)).unwrap();
        }
        copy
    }

    #[test]
    fn a_whole_log_is_fine() {
        let dir = tempfile::tempdir().unwrap();
        let db = crashed(dir.path());
        assert_eq!(look(&db), None);
    }

    #[test]
    fn a_log_with_a_damaged_header_is_reported_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let db = crashed(dir.path());
        let wal = with_suffix(&db, "-wal");
        let mut bytes = std::fs::read(&wal).unwrap();
        bytes[5] ^= 0xff;
        std::fs::write(&wal, &bytes).unwrap();
        match look(&db) {
            Some(Finding::Damaged { log_bytes, kept }) => {
                assert_eq!(log_bytes, bytes.len() as u64);
                assert_eq!(std::fs::read(kept.unwrap()).unwrap(), bytes);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_log_gone_or_emptied_while_the_index_counted_frames_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let db = crashed(dir.path());
        std::fs::write(with_suffix(&db, "-wal"), b"").unwrap();
        assert!(matches!(
            look(&db),
            Some(Finding::Missing { frames }) if frames > 0
        ));
        std::fs::remove_file(with_suffix(&db, "-wal")).unwrap();
        assert!(matches!(look(&db), Some(Finding::Missing { .. })));
    }

    /// Whether another process could take the index's "first user" lock (DMS, byte 128 of
    /// `-shm`) that every process with the database open holds shared; None without Python.
    fn dms_lock_is_free(shm: &Path) -> Option<bool> {
        let probe = "import fcntl, sys\n\
            f = open(sys.argv[1], 'r+b')\n\
            try:\n    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 128)\n    print('free')\n\
            except OSError:\n    print('held')\n";
        let output = std::process::Command::new("python3")
            .args(["-c", probe])
            .arg(shm)
            .output()
            .ok()?;
        match String::from_utf8_lossy(&output.stdout).trim() {
            "free" => Some(true),
            "held" => Some(false),
            _ => None,
        }
    }

    #[test]
    fn opening_again_a_database_this_process_has_open_keeps_sqlites_locks() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("live.db");
        let pool = crate::db::open(&db).unwrap();
        let mut conn = pool.get().unwrap();
        // An empty log is the case where the index is read.
        conn.batch_execute(
            "CREATE TABLE t (x); INSERT INTO t VALUES (1); PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .unwrap();
        assert_eq!(
            std::fs::metadata(with_suffix(&db, "-wal")).unwrap().len(),
            0
        );
        let shm = with_suffix(&db, "-shm");
        let Some(free) = dms_lock_is_free(&shm) else {
            eprintln!("skipped: python3 is needed to look at the locks from another process");
            return;
        };
        assert!(!free, "the open connection holds the index");

        let again = crate::db::open(&db).unwrap();
        let _other = again.get().unwrap();
        assert_eq!(dms_lock_is_free(&shm), Some(false), "still held");
        conn.batch_execute("INSERT INTO t VALUES (2);").unwrap();
    }
}
