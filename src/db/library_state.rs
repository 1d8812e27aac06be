//! What the database says about the files on disk, for the import report and its validation.
//! Counted from the rows (not from this run's reads) so that an incremental run reports the
//! whole library, the same way every time.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use crate::library::scan::Problem;

#[derive(Debug, Clone, Copy, Default, QueryableByName)]
pub struct LibraryState {
    #[diesel(sql_type = BigInt)]
    pub sessions_on_disk: i64,
    #[diesel(sql_type = BigInt)]
    pub images_on_disk: i64,
    #[diesel(sql_type = BigInt)]
    pub broken: i64,
    #[diesel(sql_type = BigInt)]
    pub manifest_errors: i64,
    #[diesel(sql_type = BigInt)]
    pub missing_listed: i64,
    #[diesel(sql_type = BigInt)]
    pub unlisted: i64,
}

/// The counts for the whole library, or for the session in `folder` only.
pub fn library_state(
    conn: &mut SqliteConnection,
    folder: Option<&str>,
) -> QueryResult<LibraryState> {
    diesel::sql_query(
        "WITH s AS (SELECT * FROM sessions WHERE on_disk AND (?1 IS NULL OR folder_name = ?1))
         SELECT
            (SELECT count(*) FROM s) AS sessions_on_disk,
            (SELECT count(*) FROM images i JOIN s ON s.id = i.session_id WHERE i.on_disk) AS images_on_disk,
            (SELECT count(*) FROM images i JOIN s ON s.id = i.session_id WHERE i.on_disk AND i.broken IS NOT NULL) AS broken,
            (SELECT count(*) FROM s WHERE manifest_error IS NOT NULL) AS manifest_errors,
            (SELECT coalesce(sum(json_array_length(missing_listed)), 0) FROM s) AS missing_listed,
            (SELECT count(*) FROM images i JOIN s ON s.id = i.session_id
              WHERE i.on_disk AND s.source = 'manifest' AND NOT i.listed) AS unlisted",
    )
    .bind::<Nullable<Text>, _>(folder)
    .get_result(conn)
}

#[derive(QueryableByName)]
struct ProblemRow {
    #[diesel(sql_type = Text)]
    path: String,
    #[diesel(sql_type = Text)]
    reason: String,
}

/// Broken files, invalid manifests and listed files that are missing, by path. A file cut
/// short and modified since `recent_ns` may be one the generator is still writing: it says so.
/// The whole library's, or those of the session in `folder` only.
pub fn library_problems(
    conn: &mut SqliteConnection,
    folder: Option<&str>,
    recent_ns: i64,
) -> QueryResult<Vec<Problem>> {
    let rows: Vec<ProblemRow> = diesel::sql_query(
        "SELECT s.folder_name || '/' || i.filename AS path,
                i.broken || CASE WHEN i.file_mtime_ns > ?
                                  AND (i.broken LIKE 'truncated%' OR i.broken LIKE 'empty%')
                            THEN ' (written moments ago: it may still be being written; the next import looks again)'
                            ELSE '' END AS reason
           FROM images i JOIN sessions s ON s.id = i.session_id
          WHERE i.on_disk AND i.broken IS NOT NULL AND s.on_disk AND (?2 IS NULL OR s.folder_name = ?2)
         UNION ALL
         SELECT folder_name || '/manifest.json', 'invalid manifest: ' || manifest_error
           FROM sessions WHERE on_disk AND manifest_error IS NOT NULL AND (?2 IS NULL OR folder_name = ?2)
         UNION ALL
         SELECT s.folder_name || '/' || json_extract(m.value, '$.filename'),
                'listed in manifest.json but not on disk'
           FROM sessions s, json_each(s.missing_listed) m WHERE s.on_disk AND (?2 IS NULL OR s.folder_name = ?2)
         ORDER BY path",
    )
    .bind::<BigInt, _>(recent_ns)
    .bind::<Nullable<Text>, _>(folder)
    .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| Problem {
            path: r.path,
            reason: r.reason,
        })
        .collect())
}
