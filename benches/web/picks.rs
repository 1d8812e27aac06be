//! What the scenarios request, chosen from the database so they exist and are typical.

use diesel::SqliteConnection;

use super::dataset::{BIG_SESSION, REAL_SESSION};
use super::sql::{self, Param};

/// In exactly 1 % of the prompts (see words.rs).
pub const SEARCH_WORD: &str = "lighthouse";
/// Distinct images whose first thumbnail is timed, per run.
pub const FIRST_THUMBNAILS: usize = 20;
/// Signs in: a reviewer may rate.
pub const REVIEWER: &str = "reviewer";

pub struct Picks {
    pub model: String,
    /// A session with about 100 images, some rated.
    pub session: i64,
    pub big_session: i64,
    pub image: i64,
    pub reviewer: i64,
    /// Images of the session whose files exist: the first for the cached thumbnail, the
    /// others for first thumbnails.
    pub real_images: Vec<i64>,
}

impl Picks {
    pub fn choose(conn: &mut SqliteConnection) -> Picks {
        let model = sql::text(
            conn,
            "SELECT model_name AS t FROM sessions WHERE is_deleted = 0 AND is_archived = 0
             GROUP BY model_name ORDER BY count(*) DESC LIMIT 1",
            &[],
        );
        let session = sql::number(
            conn,
            "SELECT s.id AS n FROM sessions s JOIN session_stats st ON st.session_id = s.id
             WHERE st.image_count BETWEEN 98 AND 100 AND st.rated_count > 0
               AND s.is_deleted = 0 AND s.is_archived = 0 AND s.is_test = 0 AND s.is_failed = 0
             ORDER BY s.id LIMIT 1 OFFSET 20",
            &[],
        );
        let image = sql::number(
            conn,
            "SELECT id AS n FROM images WHERE session_id = ?1 AND broken IS NULL
               AND is_deleted = 0 ORDER BY filename LIMIT 1 OFFSET 37",
            &[Param::Int(session)],
        );
        let reviewer = sql::number(
            conn,
            "SELECT id AS n FROM users WHERE name = ?1",
            &[Param::Text(REVIEWER.to_owned())],
        );
        let real = [Param::Int(REAL_SESSION)];
        let first = sql::number(
            conn,
            "SELECT min(id) AS n FROM images WHERE session_id = ?1",
            &real,
        );
        let count = sql::number(
            conn,
            "SELECT count(*) AS n FROM images WHERE session_id = ?1",
            &real,
        );
        assert!(
            count as usize > FIRST_THUMBNAILS,
            "the real session is too small"
        );
        Picks {
            model,
            session,
            big_session: BIG_SESSION,
            image,
            reviewer,
            real_images: (first..first + count).collect(),
        }
    }

    /// How much the search word finds, to show the search scenario is a realistic one.
    pub fn describe_search(conn: &mut SqliteConnection) -> String {
        let word = [Param::Text(SEARCH_WORD.to_owned())];
        let prompts = sql::number(
            conn,
            "SELECT count(*) AS n FROM prompts_fts WHERE prompts_fts MATCH ?1",
            &word,
        );
        let all = sql::number(conn, "SELECT count(*) AS n FROM prompt_texts", &[]);
        let images = sql::number(
            conn,
            "SELECT count(*) AS n FROM images WHERE prompt_id IN
                 (SELECT rowid FROM prompts_fts WHERE prompts_fts MATCH ?1)",
            &word,
        );
        format!(
            "`{SEARCH_WORD}` is in {prompts} of {all} prompt texts ({:.2} %), {images} images",
            prompts as f64 * 100.0 / all as f64
        )
    }
}
