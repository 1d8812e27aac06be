use diesel::connection::SimpleConnection;

use super::*;

/// A database as sdreview leaves it, with `alter` then run on it.
fn checked(alter: &str) -> Result<(), String> {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("metadata.db");
    drop(crate::db::open(&path).unwrap());
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    conn.batch_execute(alter).unwrap();
    check(&mut conn)
}

#[test]
fn a_database_made_by_sdreview_passes() {
    checked("").unwrap();
}

#[test]
fn a_missing_table_is_named() {
    let why = checked("DROP TABLE session_tags;").unwrap_err();
    assert!(why.contains("table session_tags is missing"), "{why}");
}

#[test]
fn an_extra_trigger_is_named() {
    let why = checked(
        "CREATE TRIGGER eat_ratings AFTER INSERT ON judgements BEGIN DELETE FROM judgements; END;",
    )
    .unwrap_err();
    assert_eq!(why, "unexpected trigger eat_ratings");
}

#[test]
fn a_changed_index_or_table_is_named() {
    let why = checked(
        "DROP INDEX images_deleted; CREATE INDEX images_deleted ON images (id);
         ALTER TABLE users ADD COLUMN shadow TEXT;",
    )
    .unwrap_err();
    assert!(why.contains("index images_deleted differs"), "{why}");
    assert!(why.contains("table users differs"), "{why}");
}

#[test]
fn an_older_sdreview_s_database_passes_and_a_newer_one_s_is_refused() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("old.db");
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    conn.run_pending_migrations(MIGRATIONS).unwrap();
    conn.revert_last_migration(MIGRATIONS).unwrap();
    check(&mut conn).unwrap();
    conn.batch_execute(
        "INSERT INTO __diesel_schema_migrations (version) VALUES ('99991231000000');",
    )
    .unwrap();
    let why = check(&mut conn).unwrap_err();
    assert!(why.contains("newer sdreview"), "{why}");
}

#[test]
fn a_database_without_migrations_is_not_sdreview_s() {
    let why = checked("DROP TABLE __diesel_schema_migrations;").unwrap_err();
    assert!(why.contains("not made by sdreview"), "{why}");
}
