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

#[test]
fn users_added_before_names_had_skeletons_get_theirs_and_a_look_alike_pair_still_opens() {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName, Debug, PartialEq)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        name_skeleton: Option<String>,
    }
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("metadata.db");
    {
        let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
        conn.run_pending_migrations(MIGRATIONS).unwrap();
        while conn
            .applied_migrations()
            .unwrap()
            .iter()
            .any(|v| v.to_string() == "20261202160800")
        {
            conn.revert_last_migration(MIGRATIONS).unwrap();
        }
        // Two names that look alike, from before they were refused (a Cyrillic а in the second).
        conn.batch_execute(
            "INSERT INTO users (name, role, created_at, updated_at) VALUES
             ('adm', 'admin', '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
             ('\u{430}dm', 'viewer', '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
             ('bob', 'viewer', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
        )
        .unwrap();
    }
    let pool = sdreview::db::open(&path).unwrap();
    let mut conn = pool.get().unwrap();
    let rows = diesel::sql_query("SELECT name, name_skeleton FROM users ORDER BY id")
        .load::<Row>(&mut *conn)
        .unwrap();
    let row = |name: &str, skeleton: Option<String>| Row {
        name: name.into(),
        name_skeleton: skeleton,
    };
    let skeleton = |name| Some(sdreview::domain::user_name::skeleton(name));
    assert_eq!(
        rows,
        [
            row("adm", skeleton("adm")),
            row("\u{430}dm", None),
            row("bob", skeleton("bob"))
        ]
    );
    let another = sdreview::domain::user_name::UserName::parse("adrn").unwrap();
    let refused = sdreview::auth::accounts::add_user(
        &mut conn,
        &another,
        sdreview::domain::role::Role::Viewer,
    )
    .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("`adrn` looks like the existing user `adm`"),
        "{refused}"
    );
}
