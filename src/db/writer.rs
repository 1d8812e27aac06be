//! The one connection a process writes a database with, while it holds the write turn
//! ([`super::write_turn`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, LazyLock, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Instant;

use diesel::prelude::*;

use super::write_turn::FileTurn;

/// The connection a process writes a database with, while it holds the turn; it lives as long
/// as a pool of that database does ([`hold`]). One connection for every write keeps its
/// page cache true from one write to the next: a write on whichever pooled connection a
/// request had found its cache stale after the others' writes and read the pages again,
/// inside the turn. When the last pool goes, so does this connection, and the last
/// connection to close folds the write-ahead log into the file (someone may copy just it).
pub struct Writer {
    db: PathBuf,
    slot: Mutex<Slot>,
}

/// The writing connection, and the group of writes open on it, if any.
pub struct Slot {
    pub conn: Option<SqliteConnection>,
    pub group: Option<Group>,
}

/// Writes that share one transaction and one commit (`super::write_group`): each ran in its
/// own savepoint; the writers wait for the commit to answer.
pub struct Group {
    pub members: usize,
    pub opened: Instant,
    /// The turn between processes, held from the first write of the group to its commit.
    pub file_turn: FileTurn,
    pub outcome: Arc<Outcome>,
}

impl Group {
    pub fn open(file_turn: FileTurn) -> Group {
        Group {
            members: 0,
            opened: Instant::now(),
            file_turn,
            outcome: Arc::default(),
        }
    }

    /// Ends the group without a commit (its connection is given up): its writers hear their
    /// writes are lost. The turn is left to whoever holds it now.
    fn abandon(mut self) {
        self.file_turn.dissolve();
    }
}

impl Drop for Group {
    /// A group dropped before its commit said how it went (abandoned, or its writer gone)
    /// lets its waiting writers go with an error rather than wait for ever.
    fn drop(&mut self) {
        self.outcome
            .finish(Err("the connection writing it was lost".to_owned()));
    }
}

/// How a group's commit went, for the writers waiting on it.
#[derive(Default)]
pub struct Outcome {
    result: Mutex<Option<Result<(), String>>>,
    done: Condvar,
}

impl Outcome {
    pub fn finish(&self, result: Result<(), String>) {
        let mut slot = self.result.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = Some(result);
        }
        self.done.notify_all();
    }

    /// Waits for the commit; Err says why nothing of the group was written.
    pub fn wait(&self) -> Result<(), String> {
        let mut slot = self.result.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(result) = slot.as_ref() {
                return result.clone();
            }
            slot = self.done.wait(slot).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("db", &self.db)
            .finish_non_exhaustive()
    }
}

/// The writer of each database, while a pool holds it.
static WRITERS: LazyLock<Mutex<HashMap<PathBuf, Weak<Writer>>>> = LazyLock::new(Mutex::default);

/// The writer of `conn`'s database, for a pool to hold; None for an in-memory database.
pub fn hold(conn: &mut SqliteConnection) -> QueryResult<Option<Arc<Writer>>> {
    let Some(db) = super::write_turn::database_file(conn)? else {
        return Ok(None);
    };
    let mut writers = WRITERS.lock().unwrap_or_else(PoisonError::into_inner);
    writers.retain(|_, writer| writer.strong_count() > 0);
    if let Some(held) = writers.get(&db).and_then(Weak::upgrade) {
        return Ok(Some(held));
    }
    let writer = Arc::new(Writer {
        db: db.clone(),
        slot: Mutex::new(Slot {
            conn: None,
            group: None,
        }),
    });
    writers.insert(db, Arc::downgrade(&writer));
    Ok(Some(writer))
}

/// The writer of `db`, while a pool holds it.
pub fn of(db: &Path) -> Option<Arc<Writer>> {
    WRITERS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(db)
        .and_then(Weak::upgrade)
}

impl Writer {
    /// Its connection (and the group open on it), opened at the first write; None when it
    /// cannot be opened (then the caller's own connection writes). Take the turn first.
    pub fn slot(&self) -> Option<MutexGuard<'_, Slot>> {
        let mut slot = self.lock();
        if slot.conn.is_none() {
            slot.conn = super::pool::database_url(&self.db)
                .and_then(|url| super::pool::establish(&url))
                .inspect_err(|e| tracing::warn!("cannot open a connection to write with: {e}"))
                .ok();
        }
        slot.conn.is_some().then_some(slot)
    }

    /// Its slot as it is, no connection opened: to see whether a group is open. Take the turn
    /// first.
    pub fn lock(&self) -> MutexGuard<'_, Slot> {
        let slot = self.slot.lock().unwrap_or_else(|poisoned| {
            // A panic in the middle of a write leaves the connection in doubt: a new one, and
            // the group's writes, rolled back with the old one, are lost.
            let mut slot = poisoned.into_inner();
            slot.conn = None;
            if let Some(group) = slot.group.take() {
                group.abandon();
            }
            slot
        });
        self.slot.clear_poison();
        slot
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use diesel::connection::SimpleConnection;
    use diesel::sql_types::BigInt;

    use super::*;

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    fn count(db: &Path) -> i64 {
        let mut conn = SqliteConnection::establish(db.to_str().unwrap()).unwrap();
        diesel::sql_query("SELECT count(*) AS n FROM t")
            .get_result::<Count>(&mut conn)
            .unwrap()
            .n
    }

    #[test]
    fn writes_go_through_one_connection_and_the_file_is_whole_once_the_pool_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("metadata.db");
        let pool = crate::db::open(&db).unwrap();
        pool.get()
            .unwrap()
            .batch_execute("CREATE TABLE t (x INTEGER)")
            .unwrap();
        for x in 0..3 {
            let mut conn = pool.get().unwrap();
            crate::db::write_transaction(&mut conn, |conn| {
                conn.batch_execute(&format!("INSERT INTO t VALUES ({x})"))
            })
            .unwrap();
        }
        let mut conn = pool.get().unwrap();
        let turn = super::super::write_turn::take(&mut conn).unwrap();
        let writer = of(turn.database().unwrap()).expect("the pool holds the writer");
        assert!(writer.slot().is_some(), "opened at the first write");
        drop((writer, turn, conn, pool));

        // Someone may copy just the file once sdreview is done with it.
        let copy = dir.path().join("copy.db");
        std::fs::copy(&db, &copy).unwrap();
        assert_eq!(count(&copy), 3);
    }
}
