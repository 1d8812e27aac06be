//! `sdreview export` read back with real readers (the csv crate, the parquet crate's reader,
//! serde_json) and compared with the database row by row, with commas, quotes, newlines and
//! non-Latin text in prompts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
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
                (SELECT group_concat(tag, ';') FROM (SELECT tag FROM session_tags t WHERE t.session_id = s.id ORDER BY tag)) AS tags
         FROM images i JOIN sessions s ON s.id = i.session_id
         LEFT JOIN prompt_texts p ON p.id = i.prompt_id LEFT JOIN prompt_texts n ON n.id = i.negative_prompt_id
         WHERE i.on_disk AND NOT i.is_deleted AND NOT s.is_deleted AND ({condition}) ORDER BY i.id"
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
                ("ml_predictions", r.predictions),
                ("rater_ann_status", r.ann),
                ("rater_ann_notes", r.ann_notes),
                ("rater_bo_quality", r.bo),
                ("session_tags", Some(r.tags.unwrap_or_default())),
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
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
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
                        other => Some(other.to_string()),
                    };
                    (name.clone(), text)
                })
                .collect()
        })
        .collect()
}

fn compare(expected: &Expected, rows: Vec<BTreeMap<String, Option<String>>>) {
    assert_eq!(rows.len(), expected.len(), "one row per image");
    for (row, (id, columns)) in rows.iter().zip(expected) {
        assert_eq!(row["image_id"].as_deref(), Some(id.to_string().as_str()));
        for (column, value) in columns {
            let got = row[*column].clone();
            let want = value
                .clone()
                .filter(|v| !(column == &"session_tags" && v.is_empty()));
            let got = got.filter(|v| !(column == &"session_tags" && v.is_empty()));
            assert_eq!(got, want, "image {id}, column {column}");
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
    assert!(
        first["session_tags"].contains("'=tag"),
        "{}",
        first["session_tags"]
    );
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
