//! `sdreview export` read back with real readers (the csv crate, the parquet crate's reader,
//! serde_json) and compared with the database row by row, with commas, quotes, newlines and
//! non-Latin text in prompts; and read by pandas, Polars, pyarrow and DuckDB at their default
//! settings where a Python with them is at hand (`support::python`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use sdreview::export::csv_cells::unescape_line_breaks;
use support::{TestLibrary, path_str, stderr};

const HOSTILE_PROMPT: &str = "a \"quoted\" fox, with commas,\nand a newline; 猫 кот ゆき émoji 🦊";

/// What the database says about each exported image: id -> (column -> text).
type Expected = BTreeMap<i64, BTreeMap<&'static str, Option<String>>>;

/// A generated library with hostile text, notes, predictions, tags and two raters.
fn library() -> TestLibrary {
    let lib = TestLibrary::generated();
    lib.import();
    lib.execute(&format!(
        "UPDATE prompt_texts SET text = '{}' WHERE id = (SELECT prompt_id FROM images WHERE prompt_id IS NOT NULL ORDER BY id LIMIT 1);
         UPDATE images SET notes = 'note, with \"quotes\"\nand a line', ml_predictions = '{{\"noise\":0.25}}' WHERE id = (SELECT min(id) FROM images WHERE on_disk);
         INSERT INTO users (name, role, created_at, updated_at) VALUES ('ann', 'reviewer', '2026-01-01 00:00:00', '2026-01-01 00:00:00'), ('bo', 'reviewer', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
         INSERT INTO judgements (image_id, user_id, quality, liked, status, failure_category, failure_notes, created_at, updated_at)
           SELECT id, (SELECT id FROM users WHERE name = 'ann'), NULL, 1, 'ko', 'noise', 'grain, \"heavy\"', '2026-01-01 00:00:00', '2026-01-01 00:00:00'
           FROM images WHERE on_disk ORDER BY id LIMIT 3;
         INSERT INTO judgements (image_id, user_id, quality, liked, status, created_at, updated_at)
           SELECT id, (SELECT id FROM users WHERE name = 'bo'), 'perfect', 0, 'ok', '2026-01-01 00:00:00', '2026-01-01 00:00:00'
           FROM images WHERE on_disk ORDER BY id LIMIT 2 OFFSET 1;
         INSERT INTO session_tags (session_id, tag) SELECT id, 'keep' FROM sessions ORDER BY id LIMIT 1;",
        HOSTILE_PROMPT.replace('\'', "''")
    ));
    lib
}

#[derive(diesel::QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    prompt: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    negative: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    seed: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    path: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    notes: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    predictions: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    ann: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    ann_notes: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    bo: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    tags: Option<String>,
}

/// The images a filter-less export must hold, straight from SQL.
fn expected(lib: &TestLibrary, condition: &str) -> Expected {
    use diesel::RunQueryDsl;
    let rows: Vec<Row> = diesel::sql_query(format!(
        "SELECT i.id AS id, p.text AS prompt, n.text AS negative, CAST(i.seed AS TEXT) AS seed,
                s.folder_name || '/' || i.filename AS path, i.notes AS notes,
                i.ml_predictions AS predictions,
                (SELECT j.status FROM judgements j JOIN users u ON u.id = j.user_id WHERE u.name = 'ann' AND j.image_id = i.id) AS ann,
                (SELECT j.failure_notes FROM judgements j JOIN users u ON u.id = j.user_id WHERE u.name = 'ann' AND j.image_id = i.id) AS ann_notes,
                (SELECT j.quality FROM judgements j JOIN users u ON u.id = j.user_id WHERE u.name = 'bo' AND j.image_id = i.id) AS bo,
                (SELECT json_group_array(tag) FROM (SELECT tag FROM session_tags t WHERE t.session_id = s.id ORDER BY tag)) AS tags
         FROM images i JOIN sessions s ON s.id = i.session_id
         LEFT JOIN prompt_texts p ON p.id = i.prompt_id LEFT JOIN prompt_texts n ON n.id = i.negative_prompt_id
         WHERE (i.on_disk OR i.rater_count > 0 OR coalesce(i.notes, '') <> '')
           AND NOT i.is_deleted AND NOT s.is_deleted AND ({condition}) ORDER BY i.id"
    ))
    .load(&mut *lib.pool().get().unwrap())
    .unwrap();
    rows.into_iter()
        .map(|r| {
            let columns = BTreeMap::from([
                ("prompt", r.prompt),
                ("negative_prompt", r.negative),
                ("seed", r.seed),
                ("file_path", Some(r.path)),
                ("notes", r.notes),
                (
                    "ml_predictions",
                    Some(r.predictions.unwrap_or_else(|| "{}".into())),
                ),
                ("rater_ann_status", r.ann),
                ("rater_ann_notes", r.ann_notes),
                ("rater_bo_quality", r.bo),
                ("session_tags", r.tags),
            ]);
            (r.id, columns)
        })
        .collect()
}

fn export(lib: &TestLibrary, format: &str, extra: &[&str]) -> std::path::PathBuf {
    let out = lib.dir.path().join(format!("out.{format}"));
    let mut args = vec!["export", "--format", format, "-o", path_str(&out)];
    args.extend_from_slice(extra);
    let output = lib.sdreview(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    out
}

/// Columns written as JSON text in a CSV cell; the others are texts with escaped line breaks.
const JSON_COLUMNS: [&str; 2] = ["session_tags", "ml_predictions"];

/// Every row of a CSV export, its texts' line breaks unescaped as docs/export.md says.
fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| {
                    let value = match JSON_COLUMNS.contains(&h) {
                        true => v.to_owned(),
                        false => unescape_line_breaks(v),
                    };
                    (h.to_owned(), value)
                })
                .collect()
        })
        .collect()
}

/// Every column of every row as text, `None` for null.
fn read_parquet(path: &Path) -> Vec<BTreeMap<String, Option<String>>> {
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(name, field)| {
                    let text = match field {
                        Field::Null => None,
                        Field::Str(s) => Some(s.clone()),
                        Field::Long(n) => Some(n.to_string()),
                        Field::Bool(b) => Some(b.to_string()),
                        Field::Double(x) => Some(x.to_string()),
                        Field::ListInternal(list) => {
                            let items: Vec<String> = list
                                .elements()
                                .iter()
                                .map(|item| match item {
                                    Field::Str(s) => s.clone(),
                                    other => other.to_string(),
                                })
                                .collect();
                            Some(serde_json::Value::from(items).to_string())
                        }
                        other => Some(other.to_string()),
                    };
                    (name.clone(), text)
                })
                .collect()
        })
        .collect()
}

/// The rows by image id: the first rows of a file are the ones that fill its columns
/// (docs/export.md), the others follow in id order.
fn by_id(mut rows: Vec<BTreeMap<String, Option<String>>>) -> Vec<BTreeMap<String, Option<String>>> {
    let id = |row: &BTreeMap<String, Option<String>>| -> i64 {
        row["image_id"].as_deref().unwrap().parse().unwrap()
    };
    rows.sort_by_key(id);
    rows
}

fn compare(expected: &Expected, rows: Vec<BTreeMap<String, Option<String>>>) {
    assert_eq!(rows.len(), expected.len(), "one row per image");
    for (row, (id, columns)) in by_id(rows).iter().zip(expected) {
        assert_eq!(row["image_id"].as_deref(), Some(id.to_string().as_str()));
        for (column, value) in columns {
            assert_eq!(row[*column], *value, "image {id}, column {column}");
        }
    }
}

#[test]
fn csv_and_parquet_exports_read_back_equal_to_the_database_row_by_row() {
    let lib = library();
    let want = expected(&lib, "1");
    assert!(
        want.values()
            .any(|c| c["prompt"].as_deref() == Some(HOSTILE_PROMPT))
    );

    let csv_rows: Vec<BTreeMap<String, Option<String>>> = read_csv(&export(&lib, "csv", &[]))
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|(k, v)| (k, Some(v).filter(|v| !v.is_empty())))
                .collect()
        })
        .collect();
    compare(&want, csv_rows);
    compare(&want, read_parquet(&export(&lib, "parquet", &[])));

    let jsonl = std::fs::read_to_string(export(&lib, "jsonl", &[])).unwrap();
    let json_rows = jsonl
        .lines()
        .map(|line| {
            let object: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(line).unwrap();
            object
                .into_iter()
                .map(|(k, v)| {
                    let text = match v {
                        serde_json::Value::Null => None,
                        serde_json::Value::String(s) => Some(s),
                        other => Some(other.to_string()),
                    };
                    (k, text)
                })
                .collect()
        })
        .collect();
    compare(&want, json_rows);
}

#[test]
fn parquet_columns_are_typed_and_every_placeholder_and_parameter_has_one() {
    let lib = library();
    let out = export(&lib, "parquet", &[]);
    let reader = SerializedFileReader::new(std::fs::File::open(&out).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr();
    let kind = |name: &str| {
        schema
            .columns()
            .iter()
            .find(|c| c.name() == name)
            .map(|c| c.physical_type())
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    use parquet::basic::Type;
    assert_eq!(kind("image_id"), Type::INT64);
    assert_eq!(kind("seed"), Type::INT64);
    assert_eq!(kind("cfg_scale"), Type::DOUBLE);
    assert_eq!(kind("session_is_test"), Type::BOOLEAN);
    assert_eq!(kind("session_date"), Type::INT64);
    assert_eq!(kind("prompt"), Type::BYTE_ARRAY);
    let placeholders = lib.count(
        "SELECT count(DISTINCT v.placeholder) AS value FROM variations v JOIN image_variations iv ON iv.variation_id = v.id
         JOIN images i ON i.id = iv.image_id WHERE i.on_disk AND NOT i.is_deleted",
    );
    let var_columns = schema
        .columns()
        .iter()
        .filter(|c| c.name().starts_with("var_"))
        .count() as i64;
    assert_eq!(var_columns, placeholders);
    assert!(schema.columns().iter().any(|c| c.name() == "param_Sampler"));
    assert!(
        schema
            .columns()
            .iter()
            .any(|c| c.name() == "rater_bo_quality")
    );
}

#[test]
fn filters_are_the_gallerys_and_a_bad_one_is_refused_without_leaving_a_file() {
    let lib = library();
    let ko = read_csv(&export(&lib, "csv", &["--status", "ko"]));
    assert_eq!(ko.len(), 3, "the three images ann put KO");
    assert!(ko.iter().all(|row| row["rater_ann_status"] == "ko"));
    let mut ko = ko;
    ko.sort_by_key(|row| row["image_id"].parse::<i64>().unwrap());
    let statuses: Vec<&str> = ko.iter().map(|row| row["status"].as_str()).collect();
    assert_eq!(
        statuses,
        ["ko", "split", "split"],
        "bo's OK splits two of them"
    );
    let same = read_csv(&export(
        &lib,
        "csv",
        &["--filter", "status=ko&category=noise"],
    ));
    assert_eq!(same.len(), 3);

    let out = lib.dir.path().join("bad.csv");
    let output = lib.sdreview(&["export", "-o", path_str(&out), "--status", "maybe"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("ok, ko, split or none"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists());
    let output = lib.sdreview(&["export", "-o", path_str(&out), "--format", "xlsx"]);
    assert!(
        stderr(&output).contains("csv, jsonl or parquet"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_command_line_refuses_the_parameters_the_web_export_refuses_in_the_same_words() {
    let lib = library();
    let out = lib.dir.path().join("refused.csv");
    for (filter, field) in [
        ("sort=seed", "sort"),
        ("status=ko&page=2", "page"),
        ("cursor=c1", "cursor"),
        ("limit=5", "limit"),
        ("group=near", "group"),
    ] {
        let output = lib.sdreview(&["export", "-o", path_str(&out), "--filter", filter]);
        assert!(!output.status.success(), "--filter {filter} was taken");
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(filter).unwrap();
        // The check `GET /api/export/images` answers with (tests/web/api_export.rs).
        let web = sdreview::domain::export_request::filter(&pairs).unwrap_err();
        assert_eq!(web.field, field);
        assert!(
            stderr(&output).contains(&web.message),
            "{filter}: {} should say {}",
            stderr(&output),
            web.message
        );
        assert!(!out.exists());
    }
}

/// What a spreadsheet runs as a formula: OWASP's list for CSV injection.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

#[test]
fn csv_text_cells_that_a_spreadsheet_would_run_are_written_with_a_quote_and_numbers_are_not() {
    let lib = TestLibrary::generated();
    lib.import();
    let hostile = [
        ("notes", "=HYPERLINK(\"http://evil.example/\",\"open\")"),
        ("prompt", "+cmd|' /C calc'!A0"),
        ("session_display_name", "-2+3"),
        ("session_notes", "@SUM(A1:A9)"),
        ("rater_ann_notes", "\t=1+1"),
        ("session_tags", "=tag"),
    ];
    let text = |column: &str| {
        let (_, value) = hostile.iter().find(|(c, _)| *c == column).unwrap();
        value.replace('\'', "''")
    };
    lib.execute(&format!(
        "UPDATE images SET notes = '{notes}', seed = -1 WHERE id = (SELECT min(id) FROM images WHERE on_disk);
         UPDATE prompt_texts SET text = '{prompt}' WHERE id = (SELECT prompt_id FROM images WHERE id = (SELECT min(id) FROM images WHERE on_disk));
         UPDATE sessions SET display_name = '{name}', notes = '{session_notes}' WHERE id = (SELECT session_id FROM images WHERE id = (SELECT min(id) FROM images WHERE on_disk));
         INSERT INTO session_tags (session_id, tag) SELECT session_id, '{tag}' FROM images WHERE id = (SELECT min(id) FROM images WHERE on_disk);
         INSERT INTO users (name, role, created_at, updated_at) VALUES ('ann', 'reviewer', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
         INSERT INTO judgements (image_id, user_id, liked, status, failure_category, failure_notes, created_at, updated_at)
           SELECT min(id), (SELECT id FROM users WHERE name = 'ann'), 0, 'ko', 'noise', '{rater_notes}', '2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM images WHERE on_disk;",
        notes = text("notes"),
        prompt = text("prompt"),
        name = text("session_display_name"),
        session_notes = text("session_notes"),
        tag = text("session_tags"),
        rater_notes = text("rater_ann_notes"),
    ));

    let rows = read_csv(&export(&lib, "csv", &[]));
    let first = &rows[0];
    for (column, value) in &hostile[..5] {
        assert_eq!(first[*column], format!("'{value}"), "{column}");
    }
    // Tags are a JSON list in the cell: it begins with `[`, which no spreadsheet runs.
    assert_eq!(first["session_tags"], r#"["=tag"]"#);
    assert_eq!(first["seed"], "-1", "a number stays a number");
    for row in &rows {
        for (column, cell) in row {
            let number = cell.parse::<f64>().is_ok_and(f64::is_finite);
            assert!(
                number || !cell.starts_with(FORMULA_STARTS),
                "image {}, {column}: {cell:?} would run as a formula",
                row["image_id"]
            );
        }
    }

    // JSONL and Parquet are data, not sheets: the text is as it was written.
    let jsonl = std::fs::read_to_string(export(&lib, "jsonl", &[])).unwrap();
    let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(first["notes"], hostile[0].1);
    assert_eq!(first["prompt"], hostile[1].1);
    let parquet = read_parquet(&export(&lib, "parquet", &[]));
    assert_eq!(parquet[0]["session_notes"].as_deref(), Some(hostile[3].1));
}

#[test]
fn an_export_of_more_than_two_thousand_sessions_holds_every_row() {
    let lib = TestLibrary::generated();
    lib.import();
    // 2,500 sessions whose images take turns: each batch of 2,000 ids spans 2,000 sessions.
    lib.add_many_sessions(2_500, 3);
    let selected = lib.count(
        "SELECT count(*) AS value FROM images i JOIN sessions s ON s.id = i.session_id
         WHERE i.on_disk AND NOT i.is_deleted AND NOT s.is_deleted",
    );
    assert!(selected > 7_500);
    let csv = read_csv(&export(&lib, "csv", &[]));
    assert_eq!(
        csv.len() as i64,
        selected,
        "every selected image is a CSV row"
    );
    let jsonl = std::fs::read_to_string(export(&lib, "jsonl", &[])).unwrap();
    assert_eq!(jsonl.lines().count() as i64, selected, "and a JSONL line");
    let ids: std::collections::BTreeSet<&str> =
        csv.iter().map(|row| row["image_id"].as_str()).collect();
    assert_eq!(ids.len() as i64, selected, "each once");
}

/// `sdreview export` of `lib` in `format`, run in the time zone `zone`.
fn export_in_zone(lib: &TestLibrary, zone: &str, format: &str) -> std::path::PathBuf {
    let out = lib.dir.path().join(format!("zoned.{format}"));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_sdreview"))
        .args(["--library", path_str(&lib.root), "--db", path_str(&lib.db)])
        .args(["export", "--format", format, "-o", path_str(&out)])
        .env("TZ", zone)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    out
}

#[test]
fn a_session_date_is_written_as_rfc3339_in_utc_read_in_the_servers_zone() {
    if !Path::new("/usr/share/zoneinfo/Europe/Paris").exists() {
        eprintln!("skipped: this machine has no time zone data for Europe/Paris (install tzdata)");
        return;
    }
    let lib = TestLibrary::empty();
    lib.add_many_sessions(1, 1);
    // A folder named at 09:00 in Paris, in winter: 08:00 UTC.
    lib.execute("UPDATE sessions SET created_at = '2026-12-01 09:00:00'");

    let csv = read_csv(&export_in_zone(&lib, "Europe/Paris", "csv"));
    assert_eq!(csv[0]["session_date"], "2026-12-01T08:00:00Z");

    let jsonl = std::fs::read_to_string(export_in_zone(&lib, "Europe/Paris", "jsonl")).unwrap();
    let row: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(row["session_date"], "2026-12-01T08:00:00Z");

    let parquet = export_in_zone(&lib, "Europe/Paris", "parquet");
    let reader = SerializedFileReader::new(std::fs::File::open(&parquet).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let column = (0..schema.num_columns())
        .map(|i| schema.column(i))
        .find(|c| c.name() == "session_date")
        .unwrap();
    assert_eq!(
        column.logical_type_ref(),
        Some(&parquet::basic::LogicalType::timestamp(
            true,
            parquet::basic::TimeUnit::MILLIS
        )),
        "an instant, adjusted to UTC"
    );
    let rows = read_parquet(&parquet);
    let millis = chrono::DateTime::parse_from_rfc3339("2026-12-01T08:00:00Z")
        .unwrap()
        .timestamp_millis();
    let written = rows[0]["session_date"].clone().unwrap();
    assert!(
        written == millis.to_string() || written.starts_with("2026-12-01 08:00:00"),
        "{written}"
    );
}

/// Rows a reader that guesses types looks at (Polars reads 100).
const GUESSED_FROM: usize = 100;

const LATE_PREDICTIONS: &str = r#"{"sdreview_ko":{"ko":0.73,"call":"ko","category":"noise"},"aesthetic":5,"labels":["a","b"]}"#;

/// A generated library whose later images (past the 150th) hold what the first ones do not:
/// a rater, predictions (a whole `aesthetic` first, a decimal one later), notes, a tag with a
/// semicolon, a prompt with a line break, a word for a placeholder whose values were numbers;
/// and a last session (from the 250th image) with a
/// decimal CFG after whole ones and notes that are a word after numbers. In id order, a
/// reader that guesses types from the first rows sees none of it.
fn late_library() -> (TestLibrary, i64) {
    let lib = TestLibrary::generated();
    lib.import();
    let late = lib.count(
        "SELECT id AS value FROM images i WHERE on_disk AND NOT is_deleted
           AND NOT (SELECT is_deleted FROM sessions s WHERE s.id = i.session_id)
         ORDER BY id LIMIT 1 OFFSET 150",
    );
    lib.execute(&format!(
        "INSERT INTO users (name, role, created_at, updated_at) VALUES ('late', 'reviewer', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
         INSERT INTO judgements (image_id, user_id, quality, liked, status, failure_category, failure_notes, created_at, updated_at)
           SELECT id, (SELECT id FROM users WHERE name = 'late'), 'imperfect', 1, 'ko', 'noise', 'grain,\nheavy', '2026-03-04 05:06:07', '2026-03-04 05:06:07'
           FROM images WHERE on_disk AND id >= {late} AND id % 3 = 0;
         UPDATE images SET ml_predictions = '{LATE_PREDICTIONS}' WHERE on_disk AND id >= {late} AND id % 4 = 0;
         UPDATE images SET ml_predictions = '{{\"aesthetic\":5.5}}' WHERE on_disk AND id >= {late} + 40 AND id % 4 = 1;
         UPDATE images SET notes = 'late note' WHERE id = {late} + 7;
         INSERT INTO variations (placeholder, value) VALUES ('Count', '3'), ('Count', 'many');
         UPDATE images SET metadata = json_set(metadata, '$.variations.Count', '3') WHERE on_disk AND id < {late} AND json_valid(metadata);
         INSERT INTO image_variations (image_id, variation_id)
           SELECT id, (SELECT id FROM variations WHERE placeholder = 'Count' AND value = '3') FROM images WHERE on_disk AND id < {late} AND json_valid(metadata);
         UPDATE images SET metadata = json_set(metadata, '$.variations.Count', 'many') WHERE id = {late} + 30;
         INSERT INTO image_variations (image_id, variation_id)
           SELECT {late} + 30, (SELECT id FROM variations WHERE placeholder = 'Count' AND value = 'many');
         UPDATE sessions SET cfg_scale = 7, notes = '12';
         INSERT INTO sessions (folder_name, name, created_at, source, scanned_at, updated_at, cfg_scale, notes, model_name)
           VALUES ('20260303_000000-late', 'late', '2026-03-03 00:00:00', 'images_only', '2026-03-03 00:00:00', '2026-03-03 00:00:00', 7.5, 'twelve', 'late_model');
         UPDATE images SET session_id = (SELECT id FROM sessions WHERE name = 'late') WHERE id >= {late} + 100;
         INSERT INTO session_tags (session_id, tag) SELECT session_id, 'a;b' FROM images WHERE id = {late} + 9;
         INSERT INTO session_tags (session_id, tag) SELECT session_id, '\"quoted\", tag' FROM images WHERE id = {late} + 9;
         UPDATE prompt_texts SET text = '{}' WHERE id = (SELECT prompt_id FROM images WHERE id >= {late} AND prompt_id IS NOT NULL ORDER BY id LIMIT 1);",
        HOSTILE_PROMPT.replace('\'', "''")
    ));
    (lib, late)
}

/// What a reader that guesses types sees of a value: its JSON type, and each nested field's.
fn json_shapes(prefix: &str, value: &serde_json::Value, out: &mut BTreeSet<String>) {
    use serde_json::Value;
    match value {
        Value::Null => {}
        Value::Object(map) => {
            out.insert(format!("{prefix} object"));
            for (key, inner) in map {
                json_shapes(&format!("{prefix}.{key}"), inner, out);
            }
        }
        Value::Array(items) => {
            out.insert(format!("{prefix} array"));
            for inner in items {
                json_shapes(&format!("{prefix}[]"), inner, out);
            }
        }
        Value::Number(n) if n.is_i64() || n.is_u64() => {
            out.insert(format!("{prefix} integer"));
        }
        other => {
            let kind = match other {
                Value::Bool(_) => "bool",
                Value::String(_) => "string",
                _ => "real",
            };
            out.insert(format!("{prefix} {kind}"));
        }
    }
}

#[test]
fn the_first_rows_of_every_export_show_every_column_with_each_kind_of_value_it_holds() {
    let (lib, _) = late_library();

    let jsonl = std::fs::read_to_string(export(&lib, "jsonl", &[])).unwrap();
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = jsonl
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert!(rows.len() > GUESSED_FROM + 150);
    let keys: Vec<&String> = rows[0].keys().collect();
    assert!(keys.iter().any(|k| *k == "rater_late_status"));
    let shapes = |rows: &[serde_json::Map<String, serde_json::Value>]| {
        let mut out = BTreeSet::new();
        for row in rows {
            assert_eq!(
                row.keys().collect::<Vec<_>>(),
                keys,
                "every key on every line"
            );
            for (key, value) in row {
                json_shapes(key, value, &mut out);
            }
        }
        out
    };
    let everywhere = shapes(&rows);
    let early = shapes(&rows[..GUESSED_FROM]);
    let missing: Vec<&String> = everywhere.difference(&early).collect();
    assert!(
        missing.is_empty(),
        "JSONL: not in the first rows: {missing:?}"
    );
    for column in ["cfg_scale", "predicted_ko"] {
        assert!(
            rows.iter()
                .all(|r| r[column].is_null() || r[column].is_f64()),
            "{column}: one JSON type"
        );
    }

    let csv_path = export(&lib, "csv", &[]);
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        text.lines().count(),
        records.len() + 1,
        "one line per record: line breaks in texts are escaped"
    );
    let cfg = headers.iter().position(|h| h == "cfg_scale").unwrap();
    assert!(
        records
            .iter()
            .all(|r| r[cfg].is_empty() || r[cfg].contains('.')),
        "a float column always has its decimal point"
    );
    let shapes = |records: &[csv::StringRecord]| {
        let mut out = BTreeSet::new();
        for record in records {
            for (column, cell) in record.iter().enumerate() {
                if !cell.is_empty() {
                    out.insert((column, sdreview::domain::text_shape::of(cell)));
                }
            }
        }
        out
    };
    let everywhere = shapes(&records);
    let early = shapes(&records[..GUESSED_FROM]);
    let missing: Vec<String> = everywhere
        .difference(&early)
        .map(|(column, shape)| format!("{} {shape:?}", &headers[*column]))
        .collect();
    assert!(
        missing.is_empty(),
        "CSV: not in the first rows: {missing:?}"
    );
}

#[test]
fn every_reader_opens_every_format_at_its_defaults_with_the_right_types() {
    let Some(python) = support::python::with_readers() else {
        return;
    };
    let (lib, _) = late_library();
    let base = lib.dir.path().join("readers");
    for format in ["csv", "jsonl", "parquet"] {
        let out = base.with_extension(format);
        let output = lib.sdreview(&["export", "--format", format, "-o", path_str(&out)]);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let rows = lib.count(
        "SELECT count(*) AS value FROM images i JOIN sessions s ON s.id = i.session_id
         WHERE i.on_disk AND NOT i.is_deleted AND NOT s.is_deleted",
    );
    let script = include_str!("python/read_exports.py");
    let report: serde_json::Value =
        serde_json::from_str(&support::python::run(&python, script, &[path_str(&base)])).unwrap();
    let mut wrong = Vec::new();
    for (reader, read) in report.as_object().unwrap() {
        if let Some(error) = read.get("error") {
            wrong.push(format!("{reader} fails: {error}"));
            continue;
        }
        assert_eq!(read["rows"], rows, "{reader}: every row");
        let types = &read["types"];
        let kind = |column: &str| types[column].as_str().unwrap_or("absent").to_owned();
        let pandas = reader.starts_with("pandas");
        let format = reader.rsplit(' ').next().unwrap();
        let mut expect = |column: &str, allowed: &[&str]| {
            let got = kind(column);
            if !allowed.contains(&got.as_str()) {
                wrong.push(format!("{reader}: {column} is {got}, not {allowed:?}"));
            }
        };
        expect("image_id", &["int"]);
        expect("cfg_scale", &["float"]);
        expect("session_is_test", &["bool"]);
        expect("prompt", &["string"]);
        // pandas has no missing value in a column of integers or booleans: a float, an object.
        expect("seed", if pandas { &["int", "float"] } else { &["int"] });
        expect("predicted_ko", &["float"]);
        expect(
            "rater_late_liked",
            if pandas {
                &["bool", "float"]
            } else {
                &["bool"]
            },
        );
        expect("rater_late_status", &["string"]);
        match format {
            "csv" => {
                expect("session_tags", &["string"]);
                expect("ml_predictions", &["string"]);
            }
            "jsonl" => {
                expect("session_tags", &["list"]);
                expect(
                    "ml_predictions",
                    &["struct", "other:MAP(VARCHAR, DOUBLE)", "json"],
                );
            }
            _ => {
                expect("session_tags", &["list"]);
                expect("rater_late_rated_at", &["timestamp"]);
                expect("session_date", &["timestamp"]);
                // Parquet's JSON type: DuckDB's JSON, pyarrow's arrow.json, pandas' text;
                // Polars reads it as bytes (docs/export.md says how to decode it).
                expect(
                    "ml_predictions",
                    &[
                        "json",
                        "other:extension<arrow.json>",
                        "string",
                        "other:Binary",
                    ],
                );
            }
        }
        // A type guessed from the first rows is never null where the column holds values.
        for column in [
            "rater_late_rated_at",
            "rater_late_notes",
            "notes",
            "predicted_call",
        ] {
            if kind(column) == "null" || kind(column) == "all-null" {
                wrong.push(format!("{reader}: {column} read as null"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn tags_and_predictions_stay_nested_and_a_tag_keeps_its_semicolon() {
    let (lib, late) = late_library();
    let tagged = late + 9;
    let jsonl = std::fs::read_to_string(export(&lib, "jsonl", &[])).unwrap();
    let row: serde_json::Value = jsonl
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .find(|row| row["image_id"] == tagged)
        .unwrap();
    assert_eq!(
        row["session_tags"],
        serde_json::json!(["\"quoted\", tag", "a;b"]),
        "a list, sorted"
    );
    let predicted: serde_json::Value = jsonl
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .find(|row| row["ml_predictions"].get("labels").is_some())
        .unwrap();
    assert_eq!(
        predicted["ml_predictions"],
        serde_json::from_str::<serde_json::Value>(LATE_PREDICTIONS).unwrap(),
        "an object, not a JSON string"
    );

    let csv = read_csv(&export(&lib, "csv", &[]));
    let row = csv
        .iter()
        .find(|row| row["image_id"] == tagged.to_string())
        .unwrap();
    let tags: Vec<String> = serde_json::from_str(&row["session_tags"]).unwrap();
    assert_eq!(tags, ["\"quoted\", tag", "a;b"], "a JSON array in the cell");

    let parquet = export(&lib, "parquet", &[]);
    let reader = SerializedFileReader::new(std::fs::File::open(&parquet).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let tags = schema
        .columns()
        .iter()
        .find(|c| c.path().parts()[0] == "session_tags")
        .unwrap();
    assert_eq!(tags.path().string(), "session_tags.list.element", "a LIST");
    assert_eq!(tags.max_rep_level(), 1);
    let predictions = schema
        .columns()
        .iter()
        .find(|c| c.name() == "ml_predictions")
        .unwrap();
    assert_eq!(
        predictions.logical_type_ref(),
        Some(&parquet::basic::LogicalType::Json)
    );
    let rows = read_parquet(&parquet);
    let row = rows
        .iter()
        .find(|row| row["image_id"].as_deref() == Some(tagged.to_string().as_str()))
        .unwrap();
    assert_eq!(
        row["session_tags"].as_deref(),
        Some(r#"["\"quoted\", tag","a;b"]"#)
    );
}

#[test]
fn each_raters_verdict_carries_when_they_gave_it_in_utc() {
    let (lib, late) = late_library();
    let judged = lib.count(&format!(
        "SELECT min(image_id) AS value FROM judgements WHERE image_id >= {late}"
    ));
    let csv = read_csv(&export(&lib, "csv", &[]));
    let row = csv
        .iter()
        .find(|row| row["image_id"] == judged.to_string())
        .unwrap();
    assert_eq!(row["rater_late_rated_at"], "2026-03-04T05:06:07Z");
    let unjudged = csv
        .iter()
        .find(|row| row["rater_late_status"].is_empty())
        .unwrap();
    assert_eq!(
        unjudged["rater_late_rated_at"], "",
        "empty where they did not judge"
    );

    let jsonl = std::fs::read_to_string(export(&lib, "jsonl", &[])).unwrap();
    let row: serde_json::Value = jsonl
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .find(|row| row["image_id"] == judged)
        .unwrap();
    assert_eq!(row["rater_late_rated_at"], "2026-03-04T05:06:07Z");

    let parquet = export(&lib, "parquet", &[]);
    let rows = read_parquet(&parquet);
    let row = rows
        .iter()
        .find(|row| row["image_id"].as_deref() == Some(judged.to_string().as_str()))
        .unwrap();
    let millis = chrono::DateTime::parse_from_rfc3339("2026-03-04T05:06:07Z")
        .unwrap()
        .timestamp_millis();
    let written = row["rater_late_rated_at"].clone().unwrap();
    assert!(
        written == millis.to_string() || written.starts_with("2026-03-04 05:06:07"),
        "{written}"
    );
}

#[test]
fn the_template_column_holds_the_manifests_resolved_template() {
    let lib = TestLibrary::generated();
    lib.import();
    let folder = lib.manifest_session(1);
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(lib.session_dir(&folder).join("manifest.json")).unwrap(),
    )
    .unwrap();
    let template = manifest["snapshot"]["resolved_template"]["prompt"]
        .as_str()
        .unwrap();
    let csv = read_csv(&export(&lib, "csv", &[]));
    let rows: Vec<_> = csv
        .iter()
        .filter(|row| row["session_folder"] == folder)
        .collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|row| row["template"] == template));
    let filled = csv.iter().filter(|row| !row["template"].is_empty()).count();
    let manifests = lib.count(
        "SELECT count(*) AS value FROM images i JOIN sessions s ON s.id = i.session_id
         WHERE i.on_disk AND NOT i.is_deleted AND NOT s.is_deleted AND s.source = 'manifest'",
    );
    assert!(filled as i64 >= manifests, "{filled} of {manifests}");
}

#[test]
fn rated_images_of_a_folder_deleted_from_disk_stay_in_exports_marked_file_gone() {
    let lib = TestLibrary::generated();
    lib.import();
    let folder = lib.manifest_session(3);
    let session = lib.count(&format!(
        "SELECT id AS value FROM sessions WHERE folder_name = '{}'",
        folder.replace('\'', "''")
    ));
    lib.execute(&format!(
        "INSERT INTO users (name, role, created_at, updated_at) VALUES ('ann', 'reviewer', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
         INSERT INTO judgements (image_id, user_id, status, liked, created_at, updated_at)
           SELECT id, (SELECT id FROM users WHERE name = 'ann'), 'ko', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00'
           FROM images WHERE session_id = {session} ORDER BY id LIMIT 2;"
    ));
    let images = lib.count(&format!(
        "SELECT count(*) AS value FROM images WHERE session_id = {session} AND on_disk"
    ));
    assert!(images > 2, "some of its images are left unrated");
    std::fs::remove_dir_all(lib.session_dir(&folder)).unwrap();
    lib.import();
    assert_eq!(
        lib.count(&format!(
            "SELECT count(*) AS value FROM images WHERE session_id = {session} AND on_disk"
        )),
        0,
        "the import marked its files gone"
    );

    let rows = read_csv(&export(&lib, "csv", &["--session", &session.to_string()]));
    assert_eq!(rows.len(), 2, "the two rated images, not the unrated ones");
    assert!(rows.iter().all(|row| row["file_gone"] == "true"));
    assert!(rows.iter().all(|row| row["rater_ann_status"] == "ko"));

    let all = read_csv(&export(&lib, "csv", &[]));
    let gone: Vec<_> = all
        .iter()
        .filter(|row| row["file_gone"] == "true")
        .collect();
    assert_eq!(gone.len(), 2, "and in the library's export");
    assert!(all.iter().filter(|row| row["file_gone"] == "false").count() > 2);
}

/// The python snippets of docs/export.md, by the name in the comment above each.
fn doc_snippets() -> Vec<(String, String)> {
    let doc = include_str!("../docs/export.md");
    let mut snippets = Vec::new();
    for part in doc.split("<!-- snippet: ").skip(1) {
        let (name, rest) = part.split_once(" -->").unwrap();
        let code = rest
            .split_once("```python\n")
            .unwrap()
            .1
            .split_once("```")
            .unwrap()
            .0;
        snippets.push((name.to_owned(), code.to_owned()));
    }
    snippets
}

/// What each snippet's result is turned into for the comparison, and the columns and values
/// it relies on (checked against a real export when Python cannot run it).
const SNIPPET_CHECKS: [(&str, &str, &[&str]); 6] = [
    (
        "pandas_ko_rate",
        r#"{"rate": {str(s): [float(r["mean"]), int(r["size"])] for s, r in ko_rate.iterrows()}, "votes": {str(s): float(v) for s, v in ko_vote_share.items()}}"#,
        &["ok_count", "ko_count", "sampler"],
    ),
    (
        "pandas_ko_values",
        r#"sorted([p, v, int(n)] for (p, v), n in ko_values.items())"#,
        &["status", "var_"],
    ),
    (
        "polars_ko_rate",
        r#"{str(r["model"]): [r["ko_rate"], r["images"]] for r in by_model.iter_rows(named=True)}"#,
        &["ok_count", "ko_count", "model"],
    ),
    (
        "duckdb_nested",
        r#"sorted([i, k] for i, k in predicted)"#,
        &["image_id", "ml_predictions", "session_tags"],
    ),
    (
        "polars_jsonl",
        r#"{str(r["image_id"]): r["aesthetic"] for r in aesthetic.iter_rows(named=True) if r["aesthetic"] is not None}"#,
        &["image_id", "ml_predictions"],
    ),
    (
        "pandas_csv",
        r#"{"prompts": {str(i): p for i, p in zip(df.image_id, df.prompt) if isinstance(p, str)}, "tags": {str(i): t for i, t in zip(df.image_id, df.session_tags) if t}, "predictions": {str(i): p for i, p in zip(df.image_id, df.ml_predictions) if p}}"#,
        &["prompt", "session_tags", "ml_predictions"],
    ),
];

#[test]
fn every_snippet_of_the_export_docs_runs_and_finds_what_the_export_holds() {
    let (lib, late) = late_library();
    lib.execute(&format!(
        "INSERT INTO users (name, role, created_at, updated_at) VALUES ('oscar', 'reviewer', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
         INSERT INTO judgements (image_id, user_id, liked, status, created_at, updated_at)
           SELECT id, (SELECT id FROM users WHERE name = 'oscar'), 0, 'ok', '2026-01-02 00:00:00', '2026-01-02 00:00:00'
           FROM images WHERE on_disk AND id % 2 = 0;
         UPDATE sessions SET sampler = 'Euler a' WHERE name = 'late';
         INSERT INTO session_tags (session_id, tag) SELECT session_id, 'keeper' FROM images WHERE id = {late} + 120;"
    ));
    let base = lib.dir.path().join("sdreview-docs");
    for format in ["csv", "jsonl", "parquet"] {
        let out = base.with_extension(format);
        let output = lib.sdreview(&["export", "--format", format, "-o", path_str(&out)]);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let snippets = doc_snippets();
    let names: Vec<&str> = snippets.iter().map(|(name, _)| name.as_str()).collect();
    let checked: Vec<&str> = SNIPPET_CHECKS.iter().map(|(name, _, _)| *name).collect();
    assert_eq!(
        names, checked,
        "every snippet of docs/export.md has its check"
    );

    // What the snippets must find, from the CSV read back in Rust.
    let rows = read_csv(&base.with_extension("csv"));
    let number =
        |row: &BTreeMap<String, String>, column: &str| -> i64 { row[column].parse().unwrap() };
    let rated: Vec<&BTreeMap<String, String>> = rows
        .iter()
        .filter(|r| number(r, "ok_count") + number(r, "ko_count") > 0)
        .collect();
    let by = |column: &str| {
        let mut groups: BTreeMap<String, (usize, usize, i64, i64)> = BTreeMap::new();
        for row in &rated {
            let key = match row[column].as_str() {
                "" => "None".to_owned(),
                value => value.to_owned(),
            };
            let group = groups.entry(key).or_default();
            group.0 += usize::from(number(row, "ko_count") > 0);
            group.1 += 1;
            group.2 += number(row, "ko_count");
            group.3 += number(row, "ok_count");
        }
        groups
    };
    let samplers = by("sampler");
    let models = by("model");
    assert!(
        samplers.len() > 1 && rated.len() > 20,
        "a library worth comparing"
    );

    let Some(python) = support::python::with_readers() else {
        // No Python: the columns and values the snippets use exist in a real export.
        for ((name, code), (_, _, columns)) in snippets.iter().zip(SNIPPET_CHECKS) {
            for column in columns {
                assert!(code.contains(column), "{name} uses {column}");
                assert!(
                    rows[0].keys().any(|k| k.starts_with(column)),
                    "{name}: the export has {column}"
                );
            }
        }
        assert!(
            rows.iter().any(|r| r["status"] == "ko"),
            "KO images to count"
        );
        assert!(rows.iter().any(|r| r["session_tags"].contains("keeper")));
        return;
    };
    let mut script = String::from("import json\n__results = {}\n");
    for ((name, code), (_, result, _)) in snippets.iter().zip(SNIPPET_CHECKS) {
        script.push_str(&code.replace("sdreview-2026-12-01-31000", path_str(&base)));
        script.push_str(&format!("__results[{name:?}] = {result}\n"));
    }
    script.push_str("print(json.dumps(__results))\n");
    let results: serde_json::Value =
        serde_json::from_str(&support::python::run(&python, &script, &[])).unwrap();

    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    let rate = &results["pandas_ko_rate"]["rate"];
    let votes = &results["pandas_ko_rate"]["votes"];
    for (sampler, (ko, images, ko_votes, ok_votes)) in &samplers {
        if sampler == "None" {
            continue; // pandas' groupby leaves out a missing key
        }
        let got = &rate[sampler];
        assert!(
            close(got[0].as_f64().unwrap(), *ko as f64 / *images as f64),
            "{sampler}: {got}"
        );
        assert_eq!(got[1], *images as i64, "{sampler}: images");
        let share = *ko_votes as f64 / (*ko_votes + *ok_votes) as f64;
        assert!(close(votes[sampler].as_f64().unwrap(), share), "{sampler}");
    }
    for (model, (ko, images, _, _)) in &models {
        let got = &results["polars_ko_rate"][model];
        assert!(
            close(got[0].as_f64().unwrap(), *ko as f64 / *images as f64),
            "{model}: {got}"
        );
        assert_eq!(got[1], *images as i64);
    }

    let mut ko_values: BTreeMap<(String, String), i64> = BTreeMap::new();
    for row in rows.iter().filter(|r| r["status"] == "ko") {
        for (column, value) in row {
            if let Some(placeholder) = column.strip_prefix("var_")
                && !value.is_empty()
            {
                *ko_values
                    .entry((format!("var_{placeholder}"), value.clone()))
                    .or_default() += 1;
            }
        }
    }
    assert!(!ko_values.is_empty());
    let want: Vec<serde_json::Value> = ko_values
        .iter()
        .map(|((p, v), n)| serde_json::json!([p, v, n]))
        .collect();
    assert_eq!(results["pandas_ko_values"], serde_json::json!(want));

    let mut predicted: Vec<serde_json::Value> = rows
        .iter()
        .filter(|r| r["session_tags"].contains("\"keeper\""))
        .map(|r| {
            let predictions: serde_json::Value =
                serde_json::from_str(&r["ml_predictions"]).unwrap();
            serde_json::json!([number(r, "image_id"), predictions["sdreview_ko"]["ko"]])
        })
        .collect();
    predicted.sort_by_key(|pair| pair[0].as_i64());
    assert!(predicted.iter().any(|pair| pair[1].is_f64()));
    assert_eq!(results["duckdb_nested"], serde_json::json!(predicted));

    for row in &rows {
        let predictions: serde_json::Value = serde_json::from_str(&row["ml_predictions"]).unwrap();
        let id = &row["image_id"];
        match predictions
            .get("aesthetic")
            .and_then(serde_json::Value::as_f64)
        {
            Some(aesthetic) => assert_eq!(results["polars_jsonl"][id].as_f64(), Some(aesthetic)),
            None => assert!(results["polars_jsonl"].get(id).is_none()),
        }
        let csv = &results["pandas_csv"];
        if !row["prompt"].is_empty() {
            assert_eq!(csv["prompts"][id], row["prompt"].as_str(), "{id}: prompt");
        }
        let tags: serde_json::Value = serde_json::from_str(&row["session_tags"]).unwrap();
        if tags != serde_json::json!([]) {
            assert_eq!(csv["tags"][id], tags, "{id}: tags");
        }
        if predictions != serde_json::json!({}) {
            assert_eq!(csv["predictions"][id], predictions, "{id}: predictions");
        }
    }
    assert!(
        results["pandas_csv"]["prompts"]
            .as_object()
            .unwrap()
            .values()
            .any(|p| p == HOSTILE_PROMPT),
        "a prompt with a line break comes back whole"
    );
}
