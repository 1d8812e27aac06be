//! The command line, through the real binary: errors people see, users and tokens, stats,
//! backup and restore.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{TestLibrary, path_str, sdreview_in, stderr, stdout};

#[test]
fn a_missing_library_is_a_one_line_error_that_says_what_to_do() {
    let lib = TestLibrary::empty();
    let output = sdreview_in(lib.dir.path(), &["--library", "nowhere", "import"]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert_eq!(message.trim().lines().count(), 1, "{message}");
    assert!(
        message.contains("nowhere") && message.contains("--library"),
        "{message}"
    );
}

#[test]
fn an_unwritable_database_path_is_a_one_line_error() {
    let lib = TestLibrary::empty();
    let output = sdreview_in(
        lib.dir.path(),
        &[
            "--library",
            path_str(&lib.root),
            "--db",
            "/proc/no/such/dir/metadata.db",
            "import",
        ],
    );
    assert!(!output.status.success());
    let message = stderr(&output);
    assert_eq!(message.trim().lines().count(), 1, "{message}");
    assert!(message.contains("--db"), "{message}");
}

#[test]
fn defaults_find_the_library_and_database_beside_the_current_folder() {
    let lib = TestLibrary::generated();
    let output = sdreview_in(lib.dir.path(), &["import", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(lib.dir.path().join("metadata.db").exists());
}

#[test]
fn the_json_report_has_every_count_and_agrees_with_the_words() {
    let lib = TestLibrary::generated();
    let output = lib.sdreview(&["import", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    for key in [
        "sessions_found",
        "sessions_new",
        "sessions_updated",
        "legacy_sessions",
        "manifest_errors",
        "images_found",
        "images_new",
        "images_indexed",
        "broken_files",
        "missing_listed",
        "unlisted_files",
        "elapsed_ms",
        "problems",
    ] {
        assert!(report.get(key).is_some(), "missing {key}");
    }
    assert_eq!(report["images_found"], lib.expected.images_found);
    assert_eq!(report["validation"]["ok"], true);
    let words = lib.sdreview(&["import"]);
    let text = stdout(&words);
    assert!(
        text.contains(&format!("{} found", lib.expected.images_found)),
        "{text}"
    );
    assert!(text.contains("the database agrees with the disk"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no progress bar when stdout is not a terminal"
    );
}

#[test]
fn users_get_a_token_shown_once_and_stored_only_as_the_sha256_of_its_secret() {
    let lib = TestLibrary::empty();
    let output = lib.sdreview(&["user", "add", "ada", "--role", "reviewer"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let token = stdout(&output).lines().last().unwrap().trim().to_owned();
    assert!(token.starts_with("sdr_"), "{token}");
    let secret = token.rsplit('_').next().unwrap();
    let hash = lib
        .text("SELECT secret_hash AS value FROM api_tokens")
        .unwrap();
    assert!(!hash.contains(secret));
    assert_eq!(hash, sdreview::auth::digest::sha256_hex(secret));

    let again = lib.sdreview(&["user", "add", "ada", "--role", "viewer"]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already exists"));
    let bad_role = lib.sdreview(&["user", "add", "bob", "--role", "root"]);
    assert!(!bad_role.status.success());
    assert!(stderr(&bad_role).contains("admin, reviewer or viewer"));

    let list = lib.sdreview(&["user", "list", "--json"]);
    let users: serde_json::Value = serde_json::from_str(&stdout(&list)).unwrap();
    assert_eq!(users[0]["name"], "ada");
    assert_eq!(users[0]["role"], "reviewer");
    assert_eq!(users[0]["active_tokens"], 1);
}

/// Someone may copy just `metadata.db` after a command: what the command wrote is in it, not
/// left in the write-ahead log beside it.
#[test]
fn a_command_that_wrote_leaves_the_database_file_whole() {
    let lib = TestLibrary::empty();
    let output = lib.sdreview(&["user", "add", "ada", "--role", "reviewer"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let wal = std::path::PathBuf::from(format!("{}-wal", lib.db.display()));
    let log = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert_eq!(log, 0, "the log is folded into the file");
    let copy = lib.dir.path().join("copied.db");
    std::fs::copy(&lib.db, &copy).unwrap();
    let users = sdreview_in(
        lib.dir.path(),
        &["--library", path_str(&lib.root), "--db", path_str(&copy)]
            .into_iter()
            .chain(["user", "list", "--json"])
            .collect::<Vec<_>>(),
    );
    assert!(stdout(&users).contains("\"ada\""), "{}", stderr(&users));
}

#[test]
fn user_link_prints_a_one_time_link_on_the_given_address_and_its_qr_code() {
    let lib = TestLibrary::empty();
    assert!(
        lib.sdreview(&["user", "add", "Grand-mère Zoé", "--role", "reviewer"])
            .status
            .success()
    );
    let output = lib.sdreview(&[
        "user",
        "link",
        "Grand-mère Zoé",
        "--base-url",
        "http://sdreview.lan:8080",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let link = text.lines().last().unwrap().trim();
    assert!(link.starts_with("http://sdreview.lan:8080/link/"), "{text}");
    assert!(
        text.contains('\u{2588}') || text.contains('\u{2580}'),
        "a QR code in blocks"
    );
    assert!(text.contains("works once"), "{text}");
    let secret = link.rsplit('/').next().unwrap();
    assert_eq!(
        lib.text("SELECT secret_hash AS value FROM sign_in_links")
            .unwrap(),
        sdreview::auth::digest::sha256_hex(secret)
    );
    let unknown = lib.sdreview(&["user", "link", "nobody"]);
    assert!(!unknown.status.success());
    assert!(stderr(&unknown).contains("no user `nobody`"));
}

#[test]
fn a_user_name_is_stored_composed_and_a_look_alike_of_it_is_refused() {
    let lib = TestLibrary::empty();
    let decomposed = lib.sdreview(&["user", "add", "e\u{301}lo\u{ef}se", "--role", "viewer"]);
    assert!(decomposed.status.success(), "{}", stderr(&decomposed));
    assert_eq!(
        lib.text("SELECT name AS value FROM users").as_deref(),
        Some("\u{e9}lo\u{ef}se")
    );
    let composed = lib.sdreview(&["user", "add", "\u{e9}lo\u{ef}se", "--role", "viewer"]);
    assert!(
        stderr(&composed).contains("already exists"),
        "{}",
        stderr(&composed)
    );

    assert!(
        lib.sdreview(&["user", "add", "adm", "--role", "admin"])
            .status
            .success()
    );
    // A Cyrillic а, then `rn` for `m`.
    for look_alike in ["\u{430}dm", "adrn"] {
        let output = lib.sdreview(&["user", "add", look_alike, "--role", "admin"]);
        assert!(!output.status.success());
        assert!(
            stderr(&output).contains(&format!(
                "`{look_alike}` looks like the existing user `adm`"
            )),
            "{}",
            stderr(&output)
        );
    }
    assert_eq!(lib.count("SELECT count(*) AS value FROM users"), 2);
}

#[test]
fn tokens_can_be_added_listed_and_revoked() {
    let lib = TestLibrary::empty();
    assert!(
        lib.sdreview(&["user", "add", "ada", "--role", "admin"])
            .status
            .success()
    );
    let created = lib.sdreview(&["token", "create", "ada", "--label", "generator"]);
    assert!(created.status.success(), "{}", stderr(&created));
    let token = stdout(&created).lines().last().unwrap().trim().to_owned();
    let revoked = lib.sdreview(&["token", "revoke", &token]);
    assert!(revoked.status.success(), "{}", stderr(&revoked));
    let list: serde_json::Value =
        serde_json::from_str(&stdout(&lib.sdreview(&["token", "list", "--json"]))).unwrap();
    let states: Vec<bool> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["revoked_at"].is_null())
        .collect();
    assert_eq!(states.iter().filter(|active| **active).count(), 1);
    let twice = lib.sdreview(&["token", "revoke", &token]);
    assert!(!twice.status.success());
    assert!(stderr(&twice).contains("no active token"));
    let nobody = lib.sdreview(&["token", "create", "nobody"]);
    assert!(stderr(&nobody).contains("no user `nobody`"));
}

#[test]
fn stats_count_images_verdicts_and_categories() {
    let lib = TestLibrary::generated();
    assert!(lib.sdreview(&["import"]).status.success());
    lib.execute(
        "INSERT INTO users (name, role, created_at, updated_at) VALUES ('ada', 'reviewer', '2026-01-01', '2026-01-01');
         INSERT INTO judgements (image_id, user_id, status, failure_category, liked, created_at, updated_at)
           VALUES (1, 1, 'ko', 'noise', 0, '2026-01-01', '2026-01-01'), (2, 1, 'ok', NULL, 1, '2026-01-01', '2026-01-01');",
    );
    let output = lib.sdreview(&["stats", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let stats: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(stats["totals"]["images"], lib.expected.images_found);
    assert_eq!(stats["totals"]["broken_images"], lib.expected.broken_files);
    assert_eq!(stats["totals"]["rated"], 2);
    assert_eq!(stats["totals"]["liked"], 1);
    assert_eq!(stats["totals"]["ko"], 1);
    let noise = stats["ko_by_category"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "noise")
        .unwrap();
    assert_eq!(noise["images"], 1);
    let per_model: i64 = stats["by_model"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["images"].as_i64().unwrap())
        .sum();
    assert_eq!(per_model as usize, lib.expected.images_found);
    assert!(stdout(&lib.sdreview(&["stats"])).contains("By sampler"));
}

/// Image 1 judged KO by ada and OK by bo (a tie), image 2 KO by both, image 3 OK by ada:
/// `any` 2 of 3 images, `majority` 1 of 3, `each` 3 of 5 judgements.
#[test]
fn stats_take_a_ko_rule_and_print_a_table_as_csv() {
    let lib = TestLibrary::generated();
    assert!(lib.sdreview(&["import"]).status.success());
    lib.execute(
        "INSERT INTO users (name, role, created_at, updated_at) VALUES
           ('ada', 'reviewer', '2026-01-01', '2026-01-01'), ('bo', 'reviewer', '2026-01-01', '2026-01-01');
         INSERT INTO judgements (image_id, user_id, status, failure_category, liked, created_at, updated_at) VALUES
           (1, 1, 'ko', 'noise', 0, '2026-01-01', '2026-01-01'), (1, 2, 'ok', NULL, 0, '2026-01-01', '2026-01-01'),
           (2, 1, 'ko', 'noise', 0, '2026-01-01', '2026-01-01'), (2, 2, 'ko', 'noise', 0, '2026-01-01', '2026-01-01'),
           (3, 1, 'ok', NULL, 0, '2026-01-01', '2026-01-01');",
    );
    let ko = |rule: &str| {
        let output = lib.sdreview(&["stats", "--json", "--rule", rule]);
        assert!(output.status.success(), "{}", stderr(&output));
        let stats: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        assert_eq!(stats["rule"], rule);
        (
            stats["totals"]["ko"].as_u64().unwrap(),
            stats["totals"]["counted"].as_u64().unwrap(),
        )
    };
    assert_eq!(ko("any"), (2, 3));
    assert_eq!(ko("majority"), (1, 3));
    assert_eq!(ko("each"), (3, 5));
    let text = stdout(&lib.sdreview(&["stats", "--rule", "majority"]));
    assert!(
        text.contains("KO by majority: 1 of 3 judged images"),
        "{text}"
    );
    assert!(text.contains("1.7 raters per image"), "{text}");
    let csv = lib.sdreview(&["stats", "--csv", "totals", "--rule", "each"]);
    assert!(csv.status.success(), "{}", stderr(&csv));
    let csv = stdout(&csv);
    assert!(csv.starts_with("rule,judged,judgements,"), "{csv}");
    assert!(
        csv.lines().nth(1).unwrap().starts_with("each,3,5,"),
        "{csv}"
    );
    let wrong = lib.sdreview(&["stats", "--rule", "most"]);
    assert!(!wrong.status.success());
    assert!(stderr(&wrong).contains("any, majority or each"));
}

#[test]
fn a_backup_restores_the_database_as_it_was() {
    let lib = TestLibrary::generated();
    assert!(lib.sdreview(&["import"]).status.success());
    let backup_file = lib.dir.path().join("before-users.db");
    let backup = lib.sdreview(&["backup", "--output", path_str(&backup_file)]);
    assert!(backup.status.success(), "{}", stderr(&backup));
    assert!(
        lib.sdreview(&["user", "add", "ada", "--role", "admin"])
            .status
            .success()
    );

    let restore = lib.sdreview(&["restore", "--backup", path_str(&backup_file)]);
    assert!(restore.status.success(), "{}", stderr(&restore));
    assert_eq!(lib.count("SELECT count(*) AS value FROM users"), 0);
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM images") as usize,
        lib.expected.images_found
    );
    let kept = std::fs::read_dir(lib.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().ends_with("-replaced"))
        .expect("the replaced database is kept as a backup");
    let replaced = kept.path();
    let restore_back = lib.sdreview(&["restore", "--backup", path_str(&replaced)]);
    assert!(restore_back.status.success());
    assert_eq!(lib.count("SELECT count(*) AS value FROM users"), 1);
}

#[test]
fn a_default_backup_sits_beside_the_database() {
    let lib = TestLibrary::generated();
    assert!(lib.sdreview(&["import"]).status.success());
    let output = lib.sdreview(&["backup"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("metadata.db.backup."));
}

#[test]
fn restore_refuses_what_is_not_an_sdreview_database_and_changes_nothing() {
    let lib = TestLibrary::generated();
    assert!(lib.sdreview(&["import"]).status.success());
    let text_file = lib.dir.path().join("notes.txt");
    std::fs::write(&text_file, "not a database at all").unwrap();
    let refused = lib.sdreview(&["restore", "--backup", path_str(&text_file)]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("not an sdreview database"),
        "{}",
        stderr(&refused)
    );

    let other_db = lib.dir.path().join("other.db");
    {
        use diesel::Connection;
        use diesel::connection::SimpleConnection;
        let mut conn = diesel::SqliteConnection::establish(path_str(&other_db)).unwrap();
        conn.batch_execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let refused = lib.sdreview(&["restore", "--backup", path_str(&other_db)]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("not made by sdreview"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        lib.count("SELECT count(*) AS value FROM images") as usize,
        lib.expected.images_found
    );
}

#[test]
fn reading_commands_do_not_create_a_database_in_the_wrong_folder() {
    let lib = TestLibrary::empty();
    for command in [&["stats"][..], &["backup"][..]] {
        let output = lib.sdreview(command);
        assert!(!output.status.success());
        assert!(
            stderr(&output).contains("run `sdreview import` first"),
            "{}",
            stderr(&output)
        );
    }
    assert!(!lib.db.exists());
}

/// Runs the binary on `lib` with its stdout read by nobody: the reader closes before the first
/// line, as `head` does once it has its lines.
fn with_stdout_closed(lib: &TestLibrary, args: &[&str]) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sdreview"))
        .args(["--library", path_str(&lib.root), "--db", path_str(&lib.db)])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_command_whose_reader_has_gone_ends_quietly_as_cat_does() {
    use std::os::unix::process::ExitStatusExt;
    let lib = TestLibrary::generated();
    assert!(lib.sdreview(&["import"]).status.success());
    assert!(
        lib.sdreview(&["user", "add", "ann", "--role", "viewer"])
            .status
            .success()
    );
    for args in [
        &["stats"][..],
        &["stats", "--json"],
        &["export", "--format", "csv", "-o", "-"],
        &["export", "--format", "jsonl", "-o", "-"],
        &["user", "list"],
        &["token", "list"],
        &["import"],
    ] {
        let output = with_stdout_closed(&lib, args);
        let said = stderr(&output);
        assert!(
            !said.contains("panicked") && !said.contains("Broken pipe"),
            "{args:?}: {said}"
        );
        assert!(
            output.status.success() || output.status.signal() == Some(13),
            "{args:?} ends as a closed pipe ends `cat` (SIGPIPE, 141 in a shell), not {:?}",
            output.status
        );
    }
}

/// Reads the server's stdout until it prints the line that starts with `prefix`.
fn read_until(lines: &mut impl Iterator<Item = std::io::Result<String>>, prefix: &str) -> String {
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.trim_start().starts_with(prefix) {
            return line.trim().to_owned();
        }
    }
    panic!("the server never printed a line starting with {prefix}");
}

#[tokio::test]
async fn serve_creates_a_first_admin_imports_in_the_background_and_stops_cleanly_on_ctrl_c_with_an_empty_log()
 {
    use std::io::BufRead;
    let lib = TestLibrary::generated();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_sdreview"))
        .args(["--library", path_str(&lib.root), "--db", path_str(&lib.db)])
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(server.stdout.take().unwrap()).lines();
    let token = read_until(&mut lines, "sdr_");
    let url = read_until(&mut lines, "http://127.0.0.1:");
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let signed_in = client
        .post(format!("{url}login"))
        .form(&[("name", "admin"), ("secret", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        signed_in.status(),
        303,
        "the printed token signs the admin in"
    );
    // The pages answer while the import runs; the import finishes on its own.
    let mut imported = 0;
    for _ in 0..600 {
        imported = lib.count("SELECT count(*) AS value FROM images");
        if imported as usize == lib.expected.images_found {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(imported as usize, lib.expected.images_found);
    // Another program has the database open (as a backup tool or a shell would): the server
    // is then not the last connection, and SQLite alone would leave the log behind.
    let other = lib.pool();
    let _open = other.get().unwrap();
    let interrupted = std::process::Command::new("kill")
        .args(["-INT", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let status = server.wait().unwrap();
    assert!(
        status.success(),
        "Ctrl+C stops the server cleanly: {status}"
    );
    let wal = format!("{}-wal", lib.db.display());
    let left = std::fs::metadata(&wal).map_or(0, |m| m.len());
    assert_eq!(
        left, 0,
        "a clean stop folds the write-ahead log into the database"
    );
}

#[test]
fn predictions_import_writes_each_good_line_back_and_reports_the_refused_ones() {
    let lib = TestLibrary::generated();
    lib.import();
    let image = lib.count("SELECT min(id) AS value FROM images WHERE on_disk");
    let file = lib.dir.path().join("predictions.jsonl");
    std::fs::write(
        &file,
        format!(
            "{{\"image_id\": {image}, \"predictions\": {{\"malformed\": 0.12, \"label\": \"ok, 猫\"}}}}\n\
             {{\"image_id\": 99999999, \"predictions\": {{}}}}\n\
             {{broken\n"
        ),
    )
    .unwrap();
    let output = lib.sdreview(&["predictions", "import", path_str(&file)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("Applied 1 lines; refused 2."), "{text}");
    assert!(
        text.contains("line 2: there is no image 99999999"),
        "{text}"
    );
    assert!(text.contains("line 3: not a line of the form"), "{text}");
    let stored = lib
        .text(&format!(
            "SELECT ml_predictions AS value FROM images WHERE id = {image}"
        ))
        .unwrap();
    let stored: serde_json::Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(stored["label"], "ok, 猫");
}

#[test]
fn predictions_import_reads_a_file_with_a_byte_order_mark_and_keeps_every_digit() {
    let lib = TestLibrary::generated();
    lib.import();
    let image = lib.count("SELECT min(id) AS value FROM images WHERE on_disk");
    let predictions = r#"{"big":123456789012345678901234567890,"p":1.00000000000000000001}"#;
    let file = lib.dir.path().join("predictions.jsonl");
    std::fs::write(
        &file,
        format!("\u{feff}{{\"image_id\": {image}, \"predictions\": {predictions}}}\r\n"),
    )
    .unwrap();
    let output = lib.sdreview(&["predictions", "import", path_str(&file)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("Applied 1 lines; refused 0."),
        "{}",
        stdout(&output)
    );
    let stored = lib.text(&format!(
        "SELECT ml_predictions AS value FROM images WHERE id = {image}"
    ));
    assert_eq!(stored.as_deref(), Some(predictions));
}

#[test]
fn predictions_import_stops_at_an_over_long_line_and_says_which_and_what_was_written() {
    let lib = TestLibrary::generated();
    lib.import();
    let image = lib.count("SELECT min(id) AS value FROM images WHERE on_disk");
    let file = lib.dir.path().join("predictions.jsonl");
    let mut text = format!(
        "{{\"image_id\": {image}, \"predictions\": {{\"kept\": 1}}}}\n\
         {{\"image_id\": 99999999, \"predictions\": {{}}}}\n\
         {{\"image_id\": {image}, \"predictions\": {{\"x\": ["
    );
    text.push_str(&"0,".repeat(4 * 1024 * 1024));
    text.push_str("0]}}\n");
    text.push_str(&format!(
        "{{\"image_id\": {image}, \"predictions\": {{\"after\": 1}}}}\n"
    ));
    std::fs::write(&file, text).unwrap();
    let output = lib.sdreview(&["predictions", "import", path_str(&file)]);
    assert!(!output.status.success());
    let error = stderr(&output);
    assert!(
        error.contains("line 3 is longer than 128 KiB, the limit for one line"),
        "{error}"
    );
    assert!(
        error.contains("Before it, 1 line was written and 1 refused"),
        "{error}"
    );
    assert!(
        stdout(&output).contains("line 2: there is no image 99999999"),
        "{}",
        stdout(&output)
    );
    let stored = lib.text(&format!(
        "SELECT ml_predictions AS value FROM images WHERE id = {image}"
    ));
    assert_eq!(stored.as_deref(), Some(r#"{"kept":1}"#));
}

#[test]
fn a_backup_without_room_is_refused_before_it_starts_and_leaves_nothing() {
    let lib = TestLibrary::generated();
    lib.import();
    let tiny = lib.dir.path().join("tiny");
    let Some(_disk) = support::small_disk::SmallDisk::mount(&tiny, 256) else {
        return;
    };
    let out = tiny.join("copy.db");
    let output = lib.sdreview(&["backup", "--output", path_str(&out)]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("a backup needs about"),
        "{}",
        stderr(&output)
    );
    let left: Vec<_> = std::fs::read_dir(&tiny).unwrap().collect();
    assert!(left.is_empty(), "nothing written: {left:?}");
}

#[test]
fn an_import_without_room_for_its_backup_goes_on_and_says_so() {
    let lib = TestLibrary::generated();
    lib.import();
    let size = std::fs::metadata(&lib.db).unwrap().len();
    let disk = lib.dir.path().join("disk");
    // Room for the database and its log, not for a copy of it beside them.
    let Some(_disk) = support::small_disk::SmallDisk::mount(&disk, size / 1024 + 6 * 1024) else {
        return;
    };
    let db = disk.join("metadata.db");
    std::fs::copy(&lib.db, &db).unwrap();
    let session = lib.manifest_session(1);
    let image = std::fs::read_dir(lib.session_dir(&session))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "png"))
        .unwrap();
    support::touch_later(&image, 5);
    let output = support::sdreview_in(
        lib.dir.path(),
        &[
            "--library",
            path_str(&lib.root),
            "--db",
            path_str(&db),
            "import",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output) + &stderr(&output);
    assert!(text.contains("No backup before this import"), "{text}");
    let backups = std::fs::read_dir(&disk)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".backup.")
        })
        .count();
    assert_eq!(backups, 0, "no partial backup left behind");
}

/// `sdreview` with the system refusing it any file larger than `kib` KiB (as a full quota
/// would), the signal that would kill it ignored so that a write fails instead.
fn sdreview_limited(lib: &TestLibrary, kib: u64, args: &[&str]) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f {kib}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_sdreview"))
        .args(["--library", path_str(&lib.root), "--db", path_str(&lib.db)])
        .args(args)
        .current_dir(lib.dir.path())
        .output()
        .unwrap()
}

/// The error the command ended with (the log lines before it aside).
fn said(output: &std::process::Output) -> String {
    let text = stderr(output);
    text.lines()
        .filter(|line| line.starts_with("error: "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_backup_or_an_import_whose_copy_fails_part_way_names_the_partial_files_it_removed() {
    let lib = TestLibrary::generated();
    lib.import();
    let half = std::fs::metadata(&lib.db).unwrap().len() / 2 / 1024;
    let out = lib.dir.path().join("copy.db");
    let output = sdreview_limited(&lib, half, &["backup", "--output", path_str(&out)]);
    assert!(!output.status.success());
    let error = said(&output);
    let partial = format!("{}.partial", out.display());
    assert!(
        error.contains("failed (removed the partial copy: ") && error.contains(&partial),
        "{error}"
    );
    assert!(!std::path::Path::new(&partial).exists() && !out.exists());

    let session = lib.manifest_session(1);
    let image = std::fs::read_dir(lib.session_dir(&session))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "png"))
        .unwrap();
    support::touch_later(&image, 5);
    let output = sdreview_limited(&lib, half, &["import"]);
    assert!(!output.status.success());
    let error = said(&output);
    assert!(
        error.contains("failed (removed the partial copy: ") && error.contains(".partial"),
        "{error}"
    );
    let left = std::fs::read_dir(lib.dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("partial")
        })
        .count();
    assert_eq!(left, 0, "no partial copy left");
}

#[test]
fn hash_resumes_where_it_stopped_and_hashes_a_rewritten_file_again() {
    let lib = TestLibrary::generated();
    lib.import();
    let output = lib.sdreview(&["hash"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let eligible =
        lib.count("SELECT count(*) AS value FROM images WHERE on_disk AND broken IS NULL");
    let stored = lib.count("SELECT count(*) AS value FROM image_hashes");
    assert_eq!(
        stored, eligible,
        "every readable image has a hash or a failure"
    );
    assert!(
        stdout(&output).contains(&format!("Hashed {eligible} images")),
        "{}",
        stdout(&output)
    );

    let again = lib.sdreview(&["hash"]);
    assert!(
        stdout(&again).contains("Hashed 0 images"),
        "nothing twice: {}",
        stdout(&again)
    );

    // A file rewritten since: the import records its new mtime, and only it is hashed again.
    let path = lib
        .text(
            "SELECT s.folder_name || '/' || i.filename AS value FROM images i
             JOIN sessions s ON s.id = i.session_id
             WHERE i.on_disk AND i.broken IS NULL AND i.format = 'png' ORDER BY i.id LIMIT 1",
        )
        .unwrap();
    support::touch_later(&lib.root.join(path), 5);
    lib.import();
    let third = lib.sdreview(&["hash", "--one-core"]);
    assert!(
        stdout(&third).contains("Hashed 1 image "),
        "{}",
        stdout(&third)
    );
}

fn plant_verdicts(lib: &TestLibrary, value: &str) {
    let added = lib.sdreview(&["user", "add", "ann", "--role", "reviewer"]);
    assert!(added.status.success(), "{}", stderr(&added));
    support::planted_verdicts::plant(lib, "ann", value);
}

#[test]
fn predict_learns_a_planted_failure_and_measures_only_on_judgements_it_did_not_learn_from() {
    let lib = TestLibrary::generated();
    lib.import();
    let value = support::planted_verdicts::common_value(&lib);
    plant_verdicts(&lib, &value);
    let output = lib.sdreview(&["predict", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();

    let judged = lib.count("SELECT count(*) AS value FROM images WHERE ok_count + ko_count > 0 AND on_disk AND broken IS NULL AND NOT is_deleted");
    let held_out = report["held_out"].as_i64().unwrap();
    assert_eq!(report["judged"].as_i64(), Some(judged));
    assert_eq!(
        held_out,
        judged - judged * 80 / 100,
        "the newest fifth is held out"
    );
    assert_eq!(report["trained_on"].as_i64(), Some(judged - held_out));
    // The figures count the held-out images exactly: the newest judgements, not the others.
    let newest_ko = lib.count(&format!(
        "SELECT count(*) AS value FROM (SELECT i.ko_count > 0 AS ko FROM images i
           JOIN judgements j ON j.image_id = i.id
          WHERE i.ok_count + i.ko_count > 0 AND i.on_disk AND i.broken IS NULL AND NOT i.is_deleted
          GROUP BY i.id ORDER BY max(j.updated_at) DESC, i.id DESC LIMIT {held_out}) WHERE ko"
    ));
    assert_eq!(report["ko"]["held_out"].as_i64(), Some(held_out));
    assert_eq!(report["ko"]["positives"].as_i64(), Some(newest_ko));
    let auc = &report["ko"]["auc"];
    assert!(
        auc["low"].as_f64().unwrap() > 0.5,
        "better than chance on unseen judgements: {auc}"
    );

    // Every image got a prediction, and the planted value's are well above the rest.
    let mean = |planted: bool| {
        lib.text(&format!(
            "SELECT avg(json_extract(ml_predictions, '$.sdreview_ko.ko')) AS value FROM images i
             WHERE i.broken IS NULL AND i.on_disk AND {} EXISTS (SELECT 1 FROM image_variations iv
               JOIN variations v ON v.id = iv.variation_id WHERE iv.image_id = i.id AND v.value = '{value}')",
            if planted { "" } else { "NOT" }
        ))
        .unwrap()
        .parse::<f64>()
        .unwrap()
    };
    assert!(
        mean(true) > mean(false) + 0.3,
        "{} against {}",
        mean(true),
        mean(false)
    );
    let unscored = lib.count(
        "SELECT count(*) AS value FROM images WHERE broken IS NULL AND on_disk AND NOT is_deleted
         AND json_extract(ml_predictions, '$.sdreview_ko.ko') IS NULL",
    );
    assert_eq!(unscored, 0);
}

/// The most common placeholder value of a generated library.
fn most_common_value(lib: &TestLibrary) -> (String, String) {
    let pair = lib
        .text(
            "SELECT v.placeholder || '=' || v.value AS value FROM variations v
             JOIN image_variations iv ON iv.variation_id = v.id
             GROUP BY v.id ORDER BY count(*) DESC, v.id LIMIT 1",
        )
        .unwrap();
    let (placeholder, value) = pair.split_once('=').unwrap();
    (placeholder.to_owned(), value.to_owned())
}

fn recommend_json(lib: &TestLibrary, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["recommend", "--json"];
    all.extend_from_slice(args);
    let output = lib.sdreview(&all);
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).unwrap()
}

#[test]
fn recommend_drops_a_planted_failure_with_its_counts_and_interval_and_keeps_a_value_that_rarely_fails()
 {
    let lib = TestLibrary::generated();
    lib.import();
    let (placeholder, value) = most_common_value(&lib);
    plant_verdicts(&lib, &value);
    let trained = lib.sdreview(&["predict"]);
    assert!(trained.status.success(), "{}", stderr(&trained));
    let report = recommend_json(&lib, &[]);

    let carrying = format!(
        "EXISTS (SELECT 1 FROM image_variations iv JOIN variations va ON va.id = iv.variation_id
                 WHERE iv.image_id = i.id AND va.placeholder = '{placeholder}' AND va.value = '{value}')"
    );
    let judged = lib.count(&format!(
        "SELECT count(*) AS value FROM images i WHERE i.ok_count + i.ko_count > 0 AND {carrying}"
    ));
    let ko = lib.count(&format!(
        "SELECT count(*) AS value FROM images i WHERE i.ko_count > 0 AND {carrying}"
    ));
    let drop = report["drop"].as_array().unwrap();
    let planted = drop
        .iter()
        .find(|d| d["placeholder"] == placeholder.as_str() && d["value"] == value.as_str())
        .unwrap_or_else(|| panic!("{placeholder}={value} is to be dropped: {report:#}"));
    assert_eq!(planted["judged"].as_i64(), Some(judged));
    assert_eq!(planted["ko"].as_i64(), Some(ko));
    let interval = sdreview::domain::stats::wilson::wilson(ko as u64, judged as u64).unwrap();
    assert!((planted["ko_rate"]["low"].as_f64().unwrap() - interval.low).abs() < 1e-9);
    assert!((planted["ko_rate"]["high"].as_f64().unwrap() - interval.high).abs() < 1e-9);
    assert!(interval.low > report["baseline"]["rate"].as_f64().unwrap());
    let evidence = planted["evidence"].as_str().unwrap();
    assert!(
        evidence.starts_with(&format!(
            "drop {placeholder}={value} with every model: {ko} of {judged} KO ("
        )),
        "{evidence}"
    );
    assert!(
        planted["weight"].as_f64().unwrap() > 0.0,
        "the predictor agrees"
    );
    assert!(evidence.contains("predicted 0."), "{evidence}");
    assert_eq!(
        drop.len(),
        1,
        "only the planted value fails clearly: {report:#}"
    );

    // Keep: values that fail at the library's background rate, well below the average that
    // the planted value raises.
    let keep = report["keep"].as_array().unwrap();
    assert!(!keep.is_empty(), "{report:#}");
    for kept in keep {
        assert!(
            kept["ko_rate"]["high"].as_f64().unwrap()
                < report["baseline"]["rate"].as_f64().unwrap()
        );
        assert!(kept["judged"].as_u64().unwrap() >= report["min_judged"].as_u64().unwrap());
    }

    // The files: the values to keep and drop, and prompts of OK images without the planted value.
    let dir = tempfile::tempdir().unwrap();
    let (values_path, prompts_path) = (
        dir.path().join("values.json"),
        dir.path().join("prompts.txt"),
    );
    let exported = lib.sdreview(&[
        "recommend",
        "--export-values",
        path_str(&values_path),
        "--export-prompts",
        path_str(&prompts_path),
    ]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    let values: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&values_path).unwrap()).unwrap();
    assert_eq!(
        values["drop"][placeholder.as_str()],
        serde_json::json!([value])
    );
    for kept in keep {
        let listed = values["keep"][kept["placeholder"].as_str().unwrap()]
            .as_array()
            .unwrap();
        assert!(listed.contains(&kept["value"]), "{values:#}");
    }
    let prompts = std::fs::read_to_string(&prompts_path).unwrap();
    let lines: Vec<&str> = prompts.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        let ok_without_planted = lib.count(&format!(
            "SELECT count(*) AS value FROM images i JOIN prompt_texts p ON p.id = i.prompt_id
             WHERE i.ok_count > 0 AND i.ko_count = 0 AND NOT {carrying}
               AND replace(replace(p.text, char(10), ' '), '  ', ' ') = '{}'",
            line.replace('\'', "''")
        ));
        assert!(
            ok_without_planted > 0,
            "a prompt of an OK image without the planted value: {line}"
        );
    }
}

#[test]
fn recommend_makes_no_call_on_too_few_judgements() {
    let lib = TestLibrary::generated();
    lib.import();
    let (_, value) = most_common_value(&lib);
    plant_verdicts(&lib, &value);
    lib.execute(
        "DELETE FROM judgements WHERE image_id NOT IN (SELECT id FROM images ORDER BY id LIMIT 8)",
    );
    let report = recommend_json(&lib, &[]);
    assert_eq!(report["drop"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["keep"], serde_json::json!([]), "{report:#}");
    assert!(report["too_few"].as_u64().unwrap() > 0);
    let unknown = lib.sdreview(&["recommend", "--model", "no_such_model"]);
    assert!(!unknown.status.success());
    assert!(stderr(&unknown).contains("no session used the model `no_such_model`"));
}

#[tokio::test]
async fn serve_with_a_self_signed_certificate_answers_https_with_the_printed_fingerprint_and_secure_cookies()
 {
    use sha2::{Digest, Sha256};
    use std::io::BufRead;
    let lib = TestLibrary::generated();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_sdreview"))
        .args(["--library", path_str(&lib.root), "--db", path_str(&lib.db)])
        .args(["serve", "--bind", "127.0.0.1:0", "--tls-self-signed"])
        .args(["--no-import", "--no-watch", "--no-hash", "--no-predict"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(server.stdout.take().unwrap()).lines();
    let token = read_until(&mut lines, "sdr_");
    let url = read_until(&mut lines, "https://127.0.0.1:");
    let printed = read_until(&mut lines, "HTTPS certificate SHA-256:");
    let told = read_until(&mut lines, "A phone shows");
    let printed = printed.rsplit(' ').next().unwrap().to_owned();
    let client = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .tls_info(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = client.get(format!("{url}login")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let der = page
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|info| info.peer_certificate())
        .unwrap()
        .to_vec();
    let served: Vec<String> = Sha256::digest(&der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    assert_eq!(
        served.join(":"),
        printed,
        "the certificate served is the one printed"
    );
    assert!(told.contains("not private"), "{told}");
    let signed_in = client
        .post(format!("{url}login"))
        .form(&[("name", "admin"), ("secret", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("Secure"),
        "over HTTPS the sign-in cookie is Secure: {cookie}"
    );
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    assert!(server.wait().unwrap().success());
    // The certificate is kept: a second start presents the same one.
    let kept = format!("{}.tls-cert.pem", lib.db.display());
    assert!(std::path::Path::new(&kept).is_file(), "{kept}");
}

#[test]
fn serve_refuses_a_certificate_it_cannot_read_with_what_to_do() {
    let lib = TestLibrary::generated();
    let missing = lib.root.join("no-such-cert.pem");
    let output = lib.sdreview(&[
        "serve",
        "--bind",
        "127.0.0.1:0",
        "--tls-cert",
        path_str(&missing),
        "--tls-key",
        path_str(&missing),
    ]);
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("cannot read the TLS certificate"), "{said}");
    assert!(said.contains("PEM"), "{said}");
    assert!(!said.contains("panicked"), "{said}");
}
