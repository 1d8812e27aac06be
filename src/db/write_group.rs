//! Short writes that share a commit. A rating's own work in the write turn is a few row
//! changes; its commit (the pages written to the log, a checkpoint now and then) cost as much
//! again, and sixteen people rating at once wrote the same counters' pages sixteen times. A
//! rating that finds others waiting for the turn leaves its transaction open for them: each
//! writes in its own savepoint, in turn, and the last one (or the sixteenth, or the one after
//! 5 ms) commits for all. Nobody answers before that commit: a writer whose savepoint went
//! through waits for it, and if it fails, every writer of the group hears that nothing of
//! theirs was written. Every other writer takes the turn with [`take_turn`], which commits a
//! group left open before anything else writes.

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;

use super::write_turn::{self, Turn};
use super::writer::{self, Group, Slot};

/// Writes in one group at most: the first of them waits for all the others' work.
const MEMBERS_AT_MOST: usize = 16;
/// How long a group stays open at most, from its first write.
const OPEN_AT_MOST: Duration = Duration::from_millis(5);

/// The write turn of `conn`'s database, with no group of writes left open on it: for every
/// writer that is not itself one of a group's (the import, a plain write transaction).
pub fn take_turn(conn: &mut SqliteConnection) -> QueryResult<Turn> {
    let turn = write_turn::take(conn)?;
    if let Some(writer) = turn.database().and_then(writer::of) {
        // This turn holds the turn between processes now: the group must not give it back.
        let committed = close(&mut writer.lock(), Hand::Keep);
        if let Err(e) = committed {
            tracing::warn!("a group of writes could not be committed: {e}");
        }
    }
    Ok(turn)
}

/// A short write transaction that may share its commit with the writes queued behind it
/// (see the module's notes). `work` runs on the process's writing connection, in a savepoint;
/// its changes are kept only if it returns Ok, and this returns once they are committed (or
/// with the commit's error: then none of them were).
pub fn run<T, E, F>(conn: &mut SqliteConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut SqliteConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let mut turn = write_turn::take(conn)?;
    let writer = turn.database().and_then(writer::of);
    let Some(mut slot) = writer.as_ref().and_then(|writer| writer.slot()) else {
        // No writing connection (an in-memory database, or it cannot be opened): alone.
        drop(turn);
        return super::write_transaction(conn, work);
    };
    let Slot {
        conn: Some(writing),
        group,
    } = &mut *slot
    else {
        drop(slot);
        drop(turn);
        return super::write_transaction(conn, work);
    };
    let group = match group {
        Some(open) => {
            // The group holds the turn between processes; this turn must not give it back.
            turn.keep_file_turn().dissolve();
            open
        }
        None => {
            AnsiTransactionManager::begin_transaction_sql(writing, "BEGIN IMMEDIATE")?;
            group.insert(Group::open(turn.keep_file_turn()))
        }
    };
    let result = writing.transaction(work);
    group.members += 1;
    let last = !turn.others_waiting()
        || group.members >= MEMBERS_AT_MOST
        || group.opened.elapsed() >= OPEN_AT_MOST;
    if last {
        let committed = close(&mut slot, Hand::GiveBack);
        drop(slot);
        drop(turn);
        let value = result?;
        committed?;
        return Ok(value);
    }
    let outcome = group.outcome.clone();
    drop(slot);
    drop(turn);
    let value = result?;
    outcome.wait().map_err(|e| E::from(commit_failed(e)))?;
    Ok(value)
}

/// What a closed group does with the turn between processes.
enum Hand {
    /// Gives it back: the writer closing the group is one of its members.
    GiveBack,
    /// Leaves it held: whoever closes the group has taken the turn for its own write.
    Keep,
}

/// Commits the group open on `slot` and tells its writers how that went.
fn close(slot: &mut Slot, hand: Hand) -> QueryResult<()> {
    let Some(mut group) = slot.group.take() else {
        return Ok(());
    };
    let committed = match slot.conn.as_mut() {
        Some(conn) => commit(conn),
        None => Err(commit_failed(
            "the connection writing it was lost".to_owned(),
        )),
    };
    if committed.is_err() {
        // A connection whose transaction could not be ended cannot be trusted with the next.
        let ended = slot.conn.as_mut().is_some_and(|conn| {
            AnsiTransactionManager::transaction_manager_status_mut(conn)
                .transaction_depth()
                .is_ok_and(|depth| depth.is_none())
        });
        if !ended {
            slot.conn = None;
        }
    }
    group
        .outcome
        .finish(committed.as_ref().map(|_| ()).map_err(ToString::to_string));
    if let Hand::Keep = hand {
        group.file_turn.dissolve();
    }
    // Dropped here: the turn between processes goes back unless kept.
    drop(group);
    committed
}

/// Commits the connection's open transaction; rolls it back when the commit fails.
fn commit(conn: &mut SqliteConnection) -> QueryResult<()> {
    AnsiTransactionManager::commit_transaction(conn).inspect_err(|_| {
        let _ = AnsiTransactionManager::rollback_transaction(conn);
    })
}

fn commit_failed(why: String) -> diesel::result::Error {
    diesel::result::Error::DatabaseError(
        diesel::result::DatabaseErrorKind::Unknown,
        Box::new(format!(
            "the write was not saved: the commit it shared with other writes failed ({why})"
        )),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::thread::JoinHandle;

    use diesel::connection::SimpleConnection;
    use diesel::sql_types::BigInt;

    use super::*;
    use crate::db::Pool;

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    fn rows(pool: &Pool, table: &str) -> i64 {
        diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
            .get_result::<Count>(&mut pool.get().unwrap())
            .unwrap()
            .n
    }

    /// A database where a `child` row must name a `parent` row, checked at the commit.
    fn database() -> (tempfile::TempDir, Pool) {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::open(&dir.path().join("metadata.db")).unwrap();
        pool.get()
            .unwrap()
            .batch_execute(
                "CREATE TABLE parent (id INTEGER PRIMARY KEY);
                 CREATE TABLE child (parent_id INTEGER NOT NULL
                     REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
                 INSERT INTO parent VALUES (1);",
            )
            .unwrap();
        (dir, pool)
    }

    /// Starts a writer of a group inserting `sql`, and waits until it waits for the turn
    /// `held` keeps, behind `before` others.
    fn queue(
        pool: &Pool,
        held: &Turn,
        before: usize,
        sql: &'static str,
    ) -> JoinHandle<QueryResult<()>> {
        let pool = pool.clone();
        let writer = std::thread::spawn(move || {
            run(&mut pool.get().unwrap(), |conn| conn.batch_execute(sql))
        });
        while held.writers_waiting() <= before {
            std::thread::sleep(Duration::from_millis(1));
        }
        writer
    }

    #[test]
    fn writes_queued_together_share_a_commit_and_all_hear_when_it_fails() {
        let (_dir, pool) = database();
        let held = take_turn(&mut pool.get().unwrap()).unwrap();
        let good = queue(&pool, &held, 0, "INSERT INTO child VALUES (1)");
        // Its savepoint goes through; the commit finds the child without a parent.
        let bad = queue(&pool, &held, 1, "INSERT INTO child VALUES (2)");
        drop(held);
        let good = good.join().unwrap();
        let bad = bad.join().unwrap();
        assert!(good.is_err(), "the first write shared the failed commit");
        assert!(
            good.unwrap_err().to_string().contains("was not saved"),
            "it says its write was not saved"
        );
        assert!(bad.is_err());
        assert_eq!(rows(&pool, "child"), 0, "nothing of the group was written");

        // The writing connection is whole again: the next write goes through.
        run(&mut pool.get().unwrap(), |conn| {
            conn.batch_execute("INSERT INTO child VALUES (1)")
        })
        .unwrap();
        assert_eq!(rows(&pool, "child"), 1);
    }

    #[test]
    fn a_write_that_fails_leaves_the_rest_of_its_group_written() {
        let (_dir, pool) = database();
        let held = take_turn(&mut pool.get().unwrap()).unwrap();
        let first = queue(&pool, &held, 0, "INSERT INTO child VALUES (1)");
        let failing = queue(&pool, &held, 1, "INSERT INTO nowhere VALUES (1)");
        let last = queue(&pool, &held, 2, "INSERT INTO parent VALUES (2)");
        drop(held);
        assert!(first.join().unwrap().is_ok());
        assert!(failing.join().unwrap().is_err());
        assert!(last.join().unwrap().is_ok());
        assert_eq!(rows(&pool, "child"), 1);
        assert_eq!(rows(&pool, "parent"), 2);
    }

    #[test]
    fn a_writer_outside_the_group_commits_it_before_its_own_write() {
        let (_dir, pool) = database();
        let held = take_turn(&mut pool.get().unwrap()).unwrap();
        // Sees the plain writer waiting, so leaves its transaction open for it.
        let grouped = queue(&pool, &held, 0, "INSERT INTO child VALUES (1)");
        let plain = {
            let pool = pool.clone();
            std::thread::spawn(move || {
                crate::db::write_transaction(&mut pool.get().unwrap(), |conn| {
                    conn.batch_execute("INSERT INTO parent VALUES (2)")
                })
            })
        };
        while held.writers_waiting() < 2 {
            std::thread::sleep(Duration::from_millis(1));
        }
        drop(held);
        // Without the group committed first, the plain write would wait for SQLite's lock
        // for seconds and fail.
        plain.join().unwrap().unwrap();
        grouped.join().unwrap().unwrap();
        assert_eq!(rows(&pool, "child"), 1);
        assert_eq!(rows(&pool, "parent"), 2);
    }

    #[test]
    fn many_writers_at_once_lose_nothing() {
        let (_dir, pool) = database();
        let writers: Vec<_> = (0..8)
            .map(|_| {
                let pool = pool.clone();
                std::thread::spawn(move || {
                    for _ in 0..40 {
                        run(&mut pool.get().unwrap(), |conn| {
                            conn.batch_execute("INSERT INTO child VALUES (1)")
                        })
                        .unwrap();
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap();
        }
        assert_eq!(rows(&pool, "child"), 320);
    }
}
