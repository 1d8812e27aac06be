//! Shared by the integration tests: generated libraries, a fresh database per test, and the
//! real `sdreview` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sdreview::db::{self, Pool};
use sdreview::import::{ImportOptions, ImportReport, import_library};
use sdreview::synth::{Expected, LibrarySpec, generate};
use tempfile::TempDir;

pub mod app;
pub mod near_library;
pub mod planted_pairs;
pub mod planted_verdicts;
pub mod python;
pub mod session_files;
pub mod small_disk;

pub struct TestLibrary {
    /// Holds the library and the database; removed when the test ends.
    pub dir: TempDir,
    pub root: PathBuf,
    pub db: PathBuf,
    pub expected: Expected,
}

impl TestLibrary {
    /// A small generated library holding every fault the SPEC lists.
    pub fn generated() -> TestLibrary {
        Self::with_spec(&LibrarySpec {
            big_session_files: 300,
            ..LibrarySpec::small()
        })
    }

    pub fn with_spec(spec: &LibrarySpec) -> TestLibrary {
        let dir = TempDir::new().unwrap();
        let root = dir.path().join("apioutput");
        let expected = generate(&root, spec).unwrap();
        TestLibrary {
            db: dir.path().join("metadata.db"),
            root,
            dir,
            expected,
        }
    }

    /// An empty library folder.
    pub fn empty() -> TestLibrary {
        let dir = TempDir::new().unwrap();
        let root = dir.path().join("apioutput");
        std::fs::create_dir_all(&root).unwrap();
        TestLibrary {
            db: dir.path().join("metadata.db"),
            root,
            dir,
            expected: Expected::default(),
        }
    }

    pub fn pool(&self) -> Pool {
        db::open(&self.db).unwrap()
    }

    pub fn import(&self) -> ImportReport {
        import_library(
            &self.db,
            &self.pool(),
            &self.root,
            ImportOptions {
                progress: false,
                backup: true,
                read_delay: std::time::Duration::ZERO,
            },
        )
        .unwrap()
    }

    pub fn session_dir(&self, folder: &str) -> PathBuf {
        self.root.join(folder)
    }

    /// Runs the real binary with this library and database.
    pub fn sdreview(&self, args: &[&str]) -> Output {
        sdreview_in(
            self.dir.path(),
            &[
                &[
                    "--library",
                    path_str(&self.root),
                    "--db",
                    path_str(&self.db),
                ],
                args,
            ]
            .concat(),
        )
    }
}

pub fn sdreview_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sdreview"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SDREVIEW_LIBRARY")
        .env_remove("SDREVIEW_DB")
        .output()
        .unwrap()
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Sets a file's mtime forward so that a rewrite within the same clock tick still shows.
pub fn touch_later(path: &Path, seconds: u64) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(seconds);
    file.set_modified(later).unwrap();
}

#[derive(diesel::QueryableByName)]
struct Scalar {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    value: i64,
}

#[derive(diesel::QueryableByName)]
struct TextValue {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    value: Option<String>,
}

impl TestLibrary {
    /// One integer from SQL written as `SELECT ... AS value`.
    pub fn count(&self, sql: &str) -> i64 {
        use diesel::RunQueryDsl;
        diesel::sql_query(sql)
            .get_result::<Scalar>(&mut *self.pool().get().unwrap())
            .unwrap()
            .value
    }

    /// One text from SQL written as `SELECT ... AS value`.
    pub fn text(&self, sql: &str) -> Option<String> {
        use diesel::RunQueryDsl;
        diesel::sql_query(sql)
            .get_result::<TextValue>(&mut *self.pool().get().unwrap())
            .unwrap()
            .value
    }

    pub fn execute(&self, sql: &str) {
        use diesel::connection::SimpleConnection;
        self.pool().get().unwrap().batch_execute(sql).unwrap();
    }

    /// Adds `sessions` sessions of `per_session` images each straight into the database, their
    /// images interleaved (image ids go round the sessions), so that any run of ids spans as
    /// many sessions as it can: the shape that breaks a per-batch cache of sessions.
    pub fn add_many_sessions(&self, sessions: u32, per_session: u32) {
        self.execute(&format!(
            "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < {sessions})
             INSERT INTO sessions (folder_name, name, created_at, source, scanned_at, updated_at)
             SELECT printf('20260101_000000-many%05d', k), printf('many%05d', k), '2026-01-01 00:00:00',
                    'images_only', '2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM n;
             WITH RECURSIVE r(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM r WHERE k < {per_session})
             INSERT INTO images (session_id, filename, format, file_size, file_mtime_ns, listed, on_disk, seed)
             SELECT s.id, printf('%05d.png', r.k), 'png', 1000, 0, 1, 1, r.k
             FROM r, sessions s WHERE s.name LIKE 'many%' ORDER BY r.k, s.id;"
        ));
    }

    /// A session folder with a valid manifest and at least `min_images` readable PNGs.
    pub fn manifest_session(&self, min_images: i64) -> String {
        self.text(&format!(
            "SELECT s.folder_name AS value FROM sessions s WHERE s.source = 'manifest'
               AND (SELECT count(*) FROM images i WHERE i.session_id = s.id AND i.broken IS NULL AND i.format = 'png') >= {min_images}
             ORDER BY s.folder_name LIMIT 1"
        ))
        .unwrap()
    }
}
