//! `restore` through the real binary: refused while a server runs on the database, refused for
//! a file whose schema is not exactly sdreview's, and an older sdreview's backup migrated.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::BufRead;
use std::process::{Child, Command, Stdio};

use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use diesel_migrations::MigrationHarness;
use support::{TestLibrary, path_str, stderr};

/// The real server on an ephemeral port, once it listens.
fn serve(lib: &TestLibrary) -> Child {
    let mut server = Command::new(env!("CARGO_BIN_EXE_sdreview"))
        .args(["--library", path_str(&lib.root), "--db", path_str(&lib.db)])
        .args(["serve", "--no-import", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = std::io::BufReader::new(server.stdout.take().unwrap()).lines();
    for line in lines {
        if line.unwrap().contains("Press Ctrl+C") {
            return server;
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    panic!("the server never said it was running");
}

fn stop(mut server: Child) {
    let interrupted = Command::new("kill")
        .args(["-INT", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    assert!(server.wait().unwrap().success());
}

/// A backup of a freshly made database, altered by `sql`.
fn altered_backup(lib: &TestLibrary, name: &str, sql: &str) -> std::path::PathBuf {
    let file = lib.dir.path().join(name);
    let backup = lib.sdreview(&["backup", "--output", path_str(&file)]);
    assert!(backup.status.success(), "{}", stderr(&backup));
    let mut conn = SqliteConnection::establish(path_str(&file)).unwrap();
    conn.batch_execute(sql).unwrap();
    file
}

#[test]
fn restore_is_refused_while_a_server_runs_and_every_other_command_still_works() {
    let lib = TestLibrary::generated();
    assert!(
        lib.sdreview(&["user", "add", "ada", "--role", "admin"])
            .status
            .success()
    );
    let backup = lib.dir.path().join("before.db");
    assert!(
        lib.sdreview(&["backup", "--output", path_str(&backup)])
            .status
            .success()
    );
    let server = serve(&lib);

    let refused = lib.sdreview(&["restore", "--backup", path_str(&backup)]);
    assert!(!refused.status.success());
    let message = stderr(&refused);
    assert!(
        message.contains(&format!(
            "a server is running on this database (pid {})",
            server.id()
        )) && message.contains("Ctrl+C"),
        "{message}"
    );
    let imported = lib.sdreview(&["import"]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    for other in [
        &["user", "add", "bob", "--role", "viewer"][..],
        &["backup"][..],
        &["stats"][..],
    ] {
        let output = lib.sdreview(other);
        assert!(output.status.success(), "{other:?}: {}", stderr(&output));
    }
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM images") as usize,
        lib.expected.images_found,
        "an import while the server runs keeps working"
    );

    stop(server);
    let restored = lib.sdreview(&["restore", "--backup", path_str(&backup)]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert_eq!(lib.count("SELECT count(*) AS value FROM images"), 0);
}

#[test]
fn restore_names_a_missing_table_or_an_extra_trigger_and_changes_nothing() {
    let lib = TestLibrary::empty();
    assert!(
        lib.sdreview(&["user", "add", "ada", "--role", "admin"])
            .status
            .success()
    );
    for (name, sql, expected) in [
        (
            "no-tags.db",
            "DROP TABLE session_tags;",
            "table session_tags is missing",
        ),
        (
            "trigger.db",
            "CREATE TRIGGER eat_ratings AFTER INSERT ON judgements
               BEGIN DELETE FROM judgements WHERE id = NEW.id; END;",
            "unexpected trigger eat_ratings",
        ),
    ] {
        let file = altered_backup(&lib, name, sql);
        let refused = lib.sdreview(&["restore", "--backup", path_str(&file)]);
        assert!(!refused.status.success(), "{name} was accepted");
        let message = stderr(&refused);
        assert!(
            message.contains(expected) && message.contains("nothing was changed"),
            "{message}"
        );
        assert_eq!(lib.count("SELECT count(*) AS value FROM users"), 1);
    }
}

#[test]
fn a_backup_from_an_older_sdreview_is_restored_and_migrated_forward() {
    let lib = TestLibrary::empty();
    drop(lib.pool());
    let file = altered_backup(&lib, "old.db", "");
    {
        let mut conn = SqliteConnection::establish(path_str(&file)).unwrap();
        conn.revert_last_migration(sdreview::db::pool::MIGRATIONS)
            .unwrap();
    }
    let restored = lib.sdreview(&["restore", "--backup", path_str(&file)]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    let mut conn = SqliteConnection::establish(path_str(&lib.db)).unwrap();
    assert!(
        !conn
            .has_pending_migration(sdreview::db::pool::MIGRATIONS)
            .unwrap()
    );
}
