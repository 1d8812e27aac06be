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

/// The real binary against `db`, in the time zone `zone`; its standard output.
fn sdreview_in_zone(zone: &str, db: &std::path::Path, args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_sdreview"))
        .args(args)
        .args(["--db", db.to_str().unwrap()])
        .env("TZ", zone)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// `sdreview user list`: a start-up, as the server's.
fn start_up_in(zone: &str, db: &std::path::Path) {
    sdreview_in_zone(zone, db, &["user", "list"]);
}

fn zone_known(zone: &str) -> bool {
    let known = std::path::Path::new("/usr/share/zoneinfo")
        .join(zone)
        .exists();
    if !known {
        eprintln!("skipped: this machine has no time zone data for {zone} (install tzdata)");
    }
    known
}

/// The stored times a test reads back, in a fixed order.
fn stored_times(db: &std::path::Path) -> Vec<String> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct T {
        #[diesel(sql_type = diesel::sql_types::Text)]
        t: String,
    }
    let mut conn = SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    diesel::sql_query(
        "SELECT t FROM (
            SELECT 1 AS k, created_at AS t FROM users UNION ALL
            SELECT 2, updated_at FROM users UNION ALL
            SELECT 3, created_at FROM sessions UNION ALL
            SELECT 4, scanned_at FROM sessions UNION ALL
            SELECT 5, created_at FROM images UNION ALL
            SELECT 6, updated_at FROM images UNION ALL
            SELECT 7, updated_at FROM judgements UNION ALL
            SELECT 8, expires_at FROM web_sessions UNION ALL
            SELECT 9, coalesce(revoked_at, 'none') FROM web_sessions
         ) ORDER BY k",
    )
    .load::<T>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|row| row.t)
    .collect()
}

#[test]
fn an_old_database_with_local_times_is_converted_to_utc_once_in_the_servers_zone() {
    if !zone_known("Europe/Paris") {
        return;
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
            .any(|v| v.to_string() == "20261210000001")
        {
            conn.revert_last_migration(MIGRATIONS).unwrap();
        }
        // Written by a server in Paris: summer time, the hour repeated when clocks went back
        // (2026-10-25) and the hour skipped when they went forward (2026-03-29). The session's
        // date is its folder's name and the image's created_at was SQLite's UTC default: both
        // stay as they are. The rated image is in the trash, which no verdict may change but
        // its time must.
        conn.batch_execute(
            "INSERT INTO users (name, role, created_at, updated_at)
                 VALUES ('ada', 'reviewer', '2026-07-01 14:00:00', '2026-10-25 02:30:00');
             INSERT INTO sessions (folder_name, name, created_at, source, scanned_at, updated_at)
                 VALUES ('20261025_023000-x', 'x', '2026-10-25 02:30:00', 'manifest',
                         '2026-03-29 02:30:00', '2026-12-01 09:00:00');
             INSERT INTO images (session_id, filename, format, file_size, file_mtime_ns,
                                 created_at, updated_at)
                 VALUES (1, 'a.png', 'png', 1, 1, '2026-12-01 08:00:00', '2026-12-01 09:00:00');
             INSERT INTO judgements (image_id, user_id, quality, liked, created_at, updated_at)
                 VALUES (1, 1, 'perfect', 1, '2026-12-01 09:05:00', '2026-12-01 09:06:00');
             UPDATE images SET is_deleted = 1;
             INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at, expires_at)
                 VALUES ('h', 1, 'c', '2026-12-01 09:00:00', '2026-12-31 09:00:00');",
        )
        .unwrap();
    }

    start_up_in("Europe/Paris", &path);
    let converted = [
        "2026-07-01 12:00:00",
        "2026-10-25 00:30:00",
        "2026-10-25 02:30:00",
        "2026-03-29 01:30:00",
        "2026-12-01 08:00:00",
        "2026-12-01 08:00:00",
        "2026-12-01 08:06:00",
        "2026-12-31 08:00:00",
        "none",
    ];
    assert_eq!(stored_times(&path), converted);

    start_up_in("Europe/Paris", &path);
    start_up_in("America/New_York", &path);
    assert_eq!(
        stored_times(&path),
        converted,
        "a second start converts nothing again, whatever its zone"
    );

    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    let counts = {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct C {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            rater_count: i32,
            #[diesel(sql_type = diesel::sql_types::Integer)]
            perfect_count: i32,
        }
        let c = diesel::sql_query("SELECT rater_count, perfect_count FROM images")
            .get_result::<C>(&mut conn)
            .unwrap();
        (c.rater_count, c.perfect_count)
    };
    assert_eq!(counts, (1, 1), "the review counters are untouched");
    let refused = conn.batch_execute("UPDATE judgements SET quality = 'imperfect'");
    assert!(
        refused.is_err(),
        "the trash guard is back in place after the conversion"
    );
}

#[test]
fn a_new_database_has_no_times_to_convert() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("metadata.db");
    let pool = sdreview::db::open(&path).unwrap();
    let mut conn = pool.get().unwrap();
    let waiting: i64 = {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query("SELECT count(*) AS n FROM times_to_convert")
            .get_result::<N>(&mut *conn)
            .unwrap()
            .n
    };
    assert_eq!(waiting, 0);
}

#[test]
fn times_are_stamped_in_utc_whatever_the_zone_the_server_runs_in() {
    // Fourteen hours ahead of UTC: a local stamp could not pass for a UTC one.
    let zone = "Pacific/Kiritimati";
    if !zone_known(zone) {
        return;
    }
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("metadata.db");
    sdreview_in_zone(zone, &path, &["user", "add", "ada", "--role", "viewer"]);
    let now = chrono::Utc::now().naive_utc();
    let stored = stored_times(&path)[0].clone();
    let stored = chrono::NaiveDateTime::parse_from_str(&stored, "%Y-%m-%d %H:%M:%S%.f").unwrap();
    assert!(
        (now - stored).num_minutes().abs() < 5,
        "stored {stored}, UTC now {now}"
    );

    let listed = sdreview_in_zone(zone, &path, &["user", "list", "--json"]);
    let listed: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let written = listed[0]["created_at"].as_str().unwrap();
    assert!(written.ends_with('Z'), "RFC 3339 in UTC: {written}");
    let read = chrono::DateTime::parse_from_rfc3339(written).unwrap();
    assert_eq!(read.naive_utc(), stored);
}

#[test]
fn sessions_imported_before_templates_were_read_get_the_template_their_metadata_holds() {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName, Debug, PartialEq)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        template_name: Option<String>,
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
            .any(|v| v.to_string() == "20261211000001")
        {
            conn.revert_last_migration(MIGRATIONS).unwrap();
        }
        conn.batch_execute(
            r#"INSERT INTO sessions (folder_name, name, created_at, source, scanned_at, updated_at, metadata, template_name) VALUES
             ('a', 'a', '2026-01-01 00:00:00', 'manifest', '2026-01-01 00:00:00', '2026-01-01 00:00:00',
              '{"snapshot": {"resolved_template": {"prompt": "a {Subject}\nin snow", "negative": "blur"}}}', NULL),
             ('b', 'b', '2026-01-01 00:00:00', 'legacy_config', '2026-01-01 00:00:00', '2026-01-01 00:00:00',
              '{"legacy_config": {"prompt": "base prompt"}}', NULL),
             ('c', 'c', '2026-01-01 00:00:00', 'manifest', '2026-01-01 00:00:00', '2026-01-01 00:00:00',
              '{"snapshot": {"resolved_template": {"prompt": " \n "}}}', NULL),
             ('d', 'd', '2026-01-01 00:00:00', 'manifest', '2026-01-01 00:00:00', '2026-01-01 00:00:00',
              '{"snapshot": {"resolved_template": {"prompt": "ignored"}}}', 'named by the manifest'),
             ('e', 'e', '2026-01-01 00:00:00', 'images_only', '2026-01-01 00:00:00', '2026-01-01 00:00:00',
              'not json', NULL)"#,
        )
        .unwrap();
    }
    let pool = sdreview::db::open(&path).unwrap();
    let rows = diesel::sql_query("SELECT template_name FROM sessions ORDER BY folder_name")
        .load::<Row>(&mut *pool.get().unwrap())
        .unwrap();
    let templates: Vec<Option<&str>> = rows.iter().map(|r| r.template_name.as_deref()).collect();
    assert_eq!(
        templates,
        [
            Some("a {Subject}\nin snow"),
            Some("base prompt"),
            None,
            Some("named by the manifest"),
            None
        ]
    );
}
