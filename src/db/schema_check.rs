//! Whether a database file has exactly the schema sdreview's migrations make, so that
//! `restore` takes no file that would stop the server from starting (a table missing) or
//! quietly change what it does (an extra trigger that deletes ratings). The expected schema is
//! never written down here: it is made by running the embedded migrations on an in-memory
//! database, so a new migration is covered the day it is added.

use std::collections::BTreeMap;

use diesel::migration::{Migration, MigrationSource};
use diesel::sql_types::{Nullable, Text};
use diesel::sqlite::Sqlite;
use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection};
use diesel_migrations::MigrationHarness;

use super::pool::MIGRATIONS;

/// How many differences a refusal names before "and N more".
const NAMED: usize = 5;

#[derive(QueryableByName)]
struct MasterRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    tbl_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    sql: Option<String>,
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    version: String,
}

/// (type, name) -> (table, SQL with its white space collapsed).
type Schema = BTreeMap<(String, String), (String, String)>;

fn schema_of(conn: &mut SqliteConnection) -> Result<Schema, String> {
    // ANALYZE's statistics tables come and go with `PRAGMA optimize`; they hold no data.
    let rows: Vec<MasterRow> = diesel::sql_query(
        "SELECT type AS kind, name, tbl_name, sql FROM sqlite_master
          WHERE name NOT LIKE 'sqlite_stat%'",
    )
    .load(conn)
    .map_err(|e| format!("its schema cannot be read: {e}"))?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let sql = row
                .sql
                .unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            // `ALTER TABLE ... RENAME TO` (how a migration rebuilds a table) stores the new name
            // quoted; it is the same table.
            let sql = sql.replacen(
                &format!("CREATE TABLE \"{}\"", row.name),
                &format!("CREATE TABLE {}", row.name),
                1,
            );
            ((row.kind, row.name), (row.tbl_name, sql))
        })
        .collect())
}

/// The versions a candidate has applied, which must be the first of ours in order: a database
/// from an older sdreview is fine (opening it migrates it forward), one from a newer is not.
fn applied_count(
    conn: &mut SqliteConnection,
    ours: &[Box<dyn Migration<Sqlite>>],
) -> Result<usize, String> {
    let applied: Vec<Version> =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations ORDER BY version")
            .load(conn)
            .map_err(|_| "it has no migrations table: it was not made by sdreview".to_owned())?;
    if applied.is_empty() {
        return Err("no migration was ever applied to it: it holds no sdreview data".into());
    }
    let versions: Vec<String> = ours
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    let latest = versions.last().cloned().unwrap_or_default();
    if let Some(unknown) = applied.iter().find(|row| !versions.contains(&row.version)) {
        return Err(if unknown.version > latest {
            format!(
                "it was made by a newer sdreview (migration {} is unknown to this one): \
                 restore it with that version",
                unknown.version
            )
        } else {
            format!(
                "migration {} is unknown to this sdreview: it was made by another version, \
                 or altered",
                unknown.version
            )
        });
    }
    if let Some((expected, _)) = versions
        .iter()
        .zip(&applied)
        .find(|(expected, row)| **expected != row.version)
    {
        return Err(format!(
            "migration {expected} was never applied to it, yet later ones were"
        ));
    }
    Ok(applied.len())
}

/// What the first `count` migrations make, on a fresh in-memory database.
fn expected_schema(ours: &[Box<dyn Migration<Sqlite>>], count: usize) -> Result<Schema, String> {
    let failed = |e: &dyn std::fmt::Display| format!("sdreview's own migrations failed: {e}");
    let mut conn = SqliteConnection::establish(":memory:").map_err(|e| failed(&e))?;
    // Creates the migrations table, as on any database sdreview opens.
    conn.applied_migrations().map_err(|e| failed(&e))?;
    for migration in &ours[..count] {
        conn.run_migration(migration.as_ref())
            .map_err(|e| failed(&e))?;
    }
    schema_of(&mut conn)
}

/// Ok when `conn`'s schema is exactly what our migrations make (up to the ones it has
/// applied); else every difference in words: "table images is missing", "unexpected trigger x".
pub fn check(conn: &mut SqliteConnection) -> Result<(), String> {
    let mut ours = MigrationSource::<Sqlite>::migrations(&MIGRATIONS)
        .map_err(|e| format!("sdreview's own migrations cannot be read: {e}"))?;
    ours.sort_by_key(|m| m.name().version().to_string());
    let count = applied_count(conn, &ours)?;
    let expected = expected_schema(&ours, count)?;
    let found = schema_of(conn)?;
    let mut differences = Vec::new();
    for ((kind, name), (table, sql)) in &expected {
        match found.get(&(kind.clone(), name.clone())) {
            None => differences.push(format!("{kind} {name} is missing")),
            Some((found_table, found_sql)) if found_table != table || found_sql != sql => {
                differences.push(format!("{kind} {name} differs from what sdreview makes"))
            }
            Some(_) => {}
        }
    }
    for (kind, name) in found.keys() {
        if !expected.contains_key(&(kind.clone(), name.clone())) {
            differences.push(format!("unexpected {kind} {name}"));
        }
    }
    if differences.is_empty() {
        return Ok(());
    }
    let more = differences.len().saturating_sub(NAMED);
    differences.truncate(NAMED);
    let mut text = differences.join(", ");
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    Err(text)
}

#[cfg(test)]
#[path = "schema_check_tests.rs"]
mod tests;
