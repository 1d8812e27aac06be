//! The benchmark database: 30,000 sessions and 1,000,000 images, built once under target/ and
//! rebuilt when its format or the set of migrations changes.

use std::path::{Path, PathBuf};
use std::time::Instant;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::{fill, people, prompts, real_files, sql};

pub const SESSIONS: i64 = 30_000;
pub const IMAGES: i64 = 1_000_000;
const PROMPTS: i64 = 50_000;
const NEGATIVES: i64 = 40;
/// The newest session: the one whose files exist.
pub const REAL_SESSION: i64 = SESSIONS;
/// Takes the images the plan left over (about 5,000), like a long overnight run.
pub const BIG_SESSION: i64 = 12_345;
/// Bump when the generated data changes.
const FORMAT: u32 = 1;

pub struct Dataset {
    pub db: PathBuf,
    pub library: PathBuf,
}

pub fn ensure(work: &Path) -> Dataset {
    let dataset = Dataset {
        db: work.join("bench.db"),
        library: work.join("library"),
    };
    let stamp_file = work.join("dataset.stamp");
    let stamp = stamp();
    if dataset.db.is_file()
        && std::fs::read_to_string(&stamp_file).ok() == Some(stamp.clone())
        && !marked_gone(&dataset.db)
    {
        println!("database: reusing {}", dataset.db.display());
        return dataset;
    }
    let _ = std::fs::remove_file(&stamp_file);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", dataset.db.display()));
    }
    let _ = std::fs::remove_dir_all(&dataset.library);
    let _ = std::fs::remove_dir_all(sdreview::startup::thumbnail_dir(&dataset.db));
    std::fs::create_dir_all(&dataset.library).unwrap();
    let started = Instant::now();
    build(&dataset);
    println!(
        "database: built in {:.1} s ({:.0} MB)",
        started.elapsed().as_secs_f64(),
        std::fs::metadata(&dataset.db).unwrap().len() as f64 / 1e6
    );
    std::fs::write(&stamp_file, stamp).unwrap();
    dataset
}

/// Whether a server that watched the library (whose folder holds one session of real files)
/// has marked the others' images gone: such a database measures empty pages, not the target.
fn marked_gone(db: &Path) -> bool {
    let Ok(mut conn) = sdreview::db::pool::establish(db.to_str().unwrap()) else {
        return true;
    };
    let gone = super::sql::number(
        &mut conn,
        "SELECT count(*) AS n FROM images WHERE on_disk = 0",
        &[],
    );
    if gone > 1000 {
        println!("database: {gone} images were marked gone by a watching server; building anew");
    }
    gone > 1000
}

/// The migrations are part of the stamp: a database migrated by a newer server would
/// otherwise be backed up and migrated at every start.
fn stamp() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    format!("format {FORMAT}; migrations {}", names.join(","))
}

fn build(dataset: &Dataset) {
    println!("database: building {} (once)...", dataset.db.display());
    drop(sdreview::db::open(&dataset.db).unwrap()); // creates it with the real migrations
    let url = dataset.db.to_str().unwrap();
    let mut conn = sdreview::db::pool::establish(url).unwrap();
    // A throw-away build: no fsync, a big cache. (Leaving WAL would need the pool's
    // connections to be gone, which r2d2 does not promise on drop.)
    conn.batch_execute(
        "PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000; PRAGMA temp_store = MEMORY;",
    )
    .unwrap();
    let c = &mut conn;
    step("prompt texts + search index", || {
        prompts::insert(c, PROMPTS as usize, NEGATIVES as usize).map(|()| PROMPTS + NEGATIVES)
    });
    c.transaction(|c| {
        step("sessions", || {
            fill::sessions(c, SESSIONS, REAL_SESSION).map(n)
        });
        fill::top_up(c, IMAGES, BIG_SESSION)?;
        step("images", || fill::images(c, PROMPTS, NEGATIVES).map(n));
        // 5 % of the sessions were stopped before the end: completion below 100 %.
        diesel::sql_query(
            "UPDATE sessions SET images_requested = images_requested + 1 + id % 10
             WHERE (((id * 2654435761) % 4294967296) >> 27) % 100 < 5 AND id != ?1",
        )
        .bind::<diesel::sql_types::BigInt, _>(REAL_SESSION)
        .execute(c)?;
        step("variations", || fill::variations(c).map(n));
        // People tag and judge first and delete after: the database refuses a write to what
        // is already in the trash (migration guard_trash_writes).
        c.batch_execute(
            "CREATE TEMP TABLE trashed_sessions AS SELECT id FROM sessions WHERE is_deleted;
             CREATE TEMP TABLE trashed_images AS SELECT id FROM images WHERE is_deleted;
             UPDATE sessions SET is_deleted = 0 WHERE id IN (SELECT id FROM trashed_sessions);
             UPDATE images SET is_deleted = 0 WHERE id IN (SELECT id FROM trashed_images);",
        )?;
        step("tags", || people::tags(c).map(n));
        let users = people::users(c)?;
        step("judgements", || people::judgements(c, &users).map(n));
        c.batch_execute(
            "UPDATE sessions SET is_deleted = 1 WHERE id IN (SELECT id FROM trashed_sessions);
             UPDATE images SET is_deleted = 1 WHERE id IN (SELECT id FROM trashed_images);
             DROP TABLE trashed_sessions;
             DROP TABLE trashed_images;",
        )?;
        step("real 512x768 files", || {
            real_files::write(&dataset.library, c, REAL_SESSION).map(n)
        });
        QueryResult::Ok(())
    })
    .unwrap();
    check(c);
    conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
}

fn n(rows: usize) -> i64 {
    rows as i64
}

fn step(label: &str, work: impl FnOnce() -> QueryResult<i64>) {
    let started = Instant::now();
    let rows = work().unwrap_or_else(|e| panic!("{label}: {e}"));
    println!(
        "  {label:<28} {rows:>9} rows {:>6.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// The counters the triggers kept must agree with a recount.
fn check(conn: &mut SqliteConnection) {
    assert_eq!(
        sql::number(conn, "SELECT count(*) AS n FROM sessions", &[]),
        SESSIONS
    );
    assert_eq!(
        sql::number(conn, "SELECT count(*) AS n FROM images", &[]),
        IMAGES
    );
    let wrong_sessions = sql::number(
        conn,
        "SELECT count(*) AS n FROM session_stats st WHERE
             image_count != (SELECT count(*) FROM images i WHERE i.session_id = st.session_id
                             AND i.is_deleted = 0 AND i.on_disk = 1)
          OR rated_count != (SELECT count(*) FROM images i WHERE i.session_id = st.session_id
                             AND i.is_deleted = 0 AND i.on_disk = 1 AND i.rater_count > 0)
          OR liked_count != (SELECT count(*) FROM images i WHERE i.session_id = st.session_id
                             AND i.is_deleted = 0 AND i.on_disk = 1 AND i.like_count > 0)",
        &[],
    );
    assert_eq!(wrong_sessions, 0, "session_stats disagrees with a recount");
    let wrong_raters = sql::number(
        conn,
        "SELECT count(*) AS n FROM user_session_stats u WHERE rated_count !=
             (SELECT count(*) FROM judgements j JOIN images i ON i.id = j.image_id
              WHERE j.user_id = u.user_id AND i.session_id = u.session_id
                AND i.is_deleted = 0 AND i.on_disk = 1)",
        &[],
    );
    assert_eq!(
        wrong_raters, 0,
        "user_session_stats disagrees with a recount"
    );
    println!(
        "  checked: session_stats and user_session_stats agree with a recount; {} judgements, \
         {} rated images",
        sql::number(conn, "SELECT count(*) AS n FROM judgements", &[]),
        sql::number(conn, "SELECT sum(rated_count) AS n FROM session_stats", &[]),
    );
}
