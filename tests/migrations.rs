//! Every migration reverts cleanly and applies again; the schema file matches the migrations.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use diesel_migrations::MigrationHarness;
use sdreview::db::pool::MIGRATIONS;

#[test]
fn migrations_run_up_down_and_up_again() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("m.db");
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    conn.run_pending_migrations(MIGRATIONS).unwrap();
    conn.revert_all_migrations(MIGRATIONS).unwrap();
    let leftovers: i64 = {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query("SELECT count(*) AS n FROM sqlite_master WHERE name NOT LIKE '__diesel%' AND name NOT LIKE 'sqlite_%'")
            .get_result::<N>(&mut conn)
            .unwrap()
            .n
    };
    assert_eq!(leftovers, 0, "down.sql leaves nothing behind");
    conn.run_pending_migrations(MIGRATIONS).unwrap();
    conn.batch_execute("SELECT * FROM prompts_fts LIMIT 1")
        .unwrap();
}

#[test]
fn opening_an_old_database_backs_it_up_before_migrating() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("metadata.db");
    {
        let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
        conn.run_pending_migrations(MIGRATIONS).unwrap();
        conn.revert_last_migration(MIGRATIONS).unwrap();
    }
    sdreview::db::open(&path).unwrap();
    let backups: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("-pre-migration"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
}

#[test]
fn every_connection_has_foreign_keys_and_wal() {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct V {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    let dir = tempfile::TempDir::new().unwrap();
    let pool = sdreview::db::open(&dir.path().join("p.db")).unwrap();
    let mut conn = pool.get().unwrap();
    let fk = diesel::sql_query("SELECT CAST(foreign_keys AS TEXT) AS v FROM pragma_foreign_keys")
        .get_result::<V>(&mut *conn)
        .unwrap();
    assert_eq!(fk.v, "1");
    let wal = diesel::sql_query("SELECT journal_mode AS v FROM pragma_journal_mode")
        .get_result::<V>(&mut *conn)
        .unwrap();
    assert_eq!(wal.v, "wal");
    let sync = diesel::sql_query("SELECT CAST(synchronous AS TEXT) AS v FROM pragma_synchronous")
        .get_result::<V>(&mut *conn)
        .unwrap();
    assert_eq!(sync.v, "1", "NORMAL");
}

#[test]
fn programs_opening_a_new_database_at_once_migrate_it_once() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("race.db");
    std::thread::scope(|scope| {
        let openers: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| sdreview::db::open(&path).map(|_| ())))
            .collect();
        for opener in openers {
            opener.join().unwrap().unwrap();
        }
    });
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    assert!(!conn.has_pending_migration(MIGRATIONS).unwrap());
}
