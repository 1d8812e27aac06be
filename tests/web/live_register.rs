//! `sdreview register`: the generator's way to say "this folder is done", through the real
//! binary, alone and while the server writes to the same database.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::live::{PATIENCE, images_of, watching};
use crate::support::app::TestApp;
use crate::support::session_files::{SessionFolder, a1111_png, eventually};
use crate::support::{TestLibrary, path_str, stderr, stdout};

fn register(lib: &TestLibrary, dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    lib.sdreview(&[&["register", path_str(dir)], extra].concat())
}

#[test]
fn register_test_imports_the_folder_flags_it_and_a_second_run_changes_nothing() {
    let lib = TestLibrary::empty();
    let session = SessionFolder::create(&lib.root, "20261201_140000-test run");
    for n in 1..=3 {
        session.write(&format!("{n:05}.png"), &a1111_png(n));
    }
    // A temporary file of a write in progress is not an image of the session.
    session.write(".00004.png", &a1111_png(4));

    let first = register(&lib, &session.path, &["--test", "--json"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let report: serde_json::Value = serde_json::from_str(&stdout(&first)).unwrap();
    assert_eq!(report["images"], 3, "{report}");
    assert_eq!(report["images_new"], 3);
    assert_eq!(report["is_test"], true);
    assert_eq!(
        lib.count(
            "SELECT is_test AS value FROM sessions WHERE folder_name = '20261201_140000-test run'"
        ),
        1
    );

    let again = register(&lib, &session.path, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("3 images, 0 new, 0 updated, 0 broken"),
        "{}",
        stdout(&again)
    );
    assert_eq!(lib.count("SELECT count(*) AS value FROM images"), 3);
    assert_eq!(
        lib.count("SELECT is_test AS value FROM sessions"),
        1,
        "a later run without --test leaves the flag as people set it"
    );
}

#[test]
fn register_refuses_a_folder_outside_the_library_and_says_what_to_pass() {
    let lib = TestLibrary::empty();
    let elsewhere = lib.dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let output = register(&lib, &elsewhere, &[]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("not a session folder of the library") && message.contains("--library"),
        "{message}"
    );
    let missing = register(&lib, &lib.root.join("no such session"), &[]);
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("there is no folder"),
        "{}",
        stderr(&missing)
    );
    assert_eq!(lib.count("SELECT count(*) AS value FROM sessions"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_and_register_processes_writing_at_once_lose_nothing() {
    let lib = TestLibrary::generated();
    lib.import();
    let app = TestApp::serve_with(lib, Some(watching())).await;
    let alice = app.browser("alice", "reviewer").await;
    let ids: Vec<i64> = app
        .lib
        .text("SELECT group_concat(id) AS value FROM (SELECT id FROM images WHERE broken IS NULL AND on_disk ORDER BY id LIMIT 60)")
        .unwrap()
        .split(',')
        .map(|id| id.parse().unwrap())
        .collect();

    let folders: Vec<SessionFolder> = (0..3)
        .map(|s| {
            let folder =
                SessionFolder::create(&app.lib.root, &format!("20261201_15000{s}-together"));
            for n in 0..20 {
                folder.write(&format!("{n:05}.png"), &a1111_png(s * 100 + n));
            }
            folder
        })
        .collect();
    // The watcher imports these folders while three register processes do too, and alice
    // rates meanwhile.
    let registers: Vec<_> = folders
        .iter()
        .map(|folder| {
            Command::new(env!("CARGO_BIN_EXE_sdreview"))
                .args([
                    "--library",
                    path_str(&app.lib.root),
                    "--db",
                    path_str(&app.lib.db),
                ])
                .args(["register", path_str(&folder.path)])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for id in &ids {
        let response = alice
            .post(&format!("/images/{id}/rating"), &[("action", "like")])
            .await;
        assert_eq!(response.status(), 200, "a rating while imports run");
    }
    for child in registers {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(!stderr(&output).contains("locked"), "{}", stderr(&output));
    }

    for folder in &folders {
        let whole = eventually(PATIENCE, || {
            images_of(&app, &folder.name, "broken IS NULL") == 20
        })
        .await;
        assert!(
            whole,
            "{} has {} images",
            folder.name,
            images_of(&app, &folder.name, "1")
        );
    }
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM judgements WHERE liked"),
        ids.len() as i64,
        "every rating made during the imports is kept"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        app.lib
            .count("SELECT count(*) AS value FROM sessions WHERE folder_name LIKE '%-together'"),
        3,
        "each folder is one session, however many imported it"
    );
}
