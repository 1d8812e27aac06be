//! What the database says about the files on disk, for the import report and its validation.
//! Counted from the rows (not from this run's reads) so that an incremental run reports the
//! whole library, the same way every time.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

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

pub fn library_state(conn: &mut SqliteConnection) -> QueryResult<LibraryState> {
    diesel::sql_query(
        "SELECT
            (SELECT count(*) FROM sessions WHERE on_disk) AS sessions_on_disk,
            (SELECT count(*) FROM images WHERE on_disk) AS images_on_disk,
            (SELECT count(*) FROM images WHERE on_disk AND broken IS NOT NULL) AS broken,
            (SELECT count(*) FROM sessions WHERE on_disk AND manifest_error IS NOT NULL) AS manifest_errors,
            (SELECT coalesce(sum(json_array_length(missing_listed)), 0) FROM sessions WHERE on_disk) AS missing_listed,
            (SELECT count(*) FROM images i JOIN sessions s ON s.id = i.session_id
              WHERE i.on_disk AND s.on_disk AND s.source = 'manifest' AND NOT i.listed) AS unlisted",
    )
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
pub fn library_problems(conn: &mut SqliteConnection, recent_ns: i64) -> QueryResult<Vec<Problem>> {
    let rows: Vec<ProblemRow> = diesel::sql_query(
        "SELECT s.folder_name || '/' || i.filename AS path,
                i.broken || CASE WHEN i.file_mtime_ns > ?
                                  AND (i.broken LIKE 'truncated%' OR i.broken LIKE 'empty%')
                            THEN ' (written moments ago: it may still be being written; the next import looks again)'
                            ELSE '' END AS reason
           FROM images i JOIN sessions s ON s.id = i.session_id
          WHERE i.on_disk AND i.broken IS NOT NULL
         UNION ALL
         SELECT folder_name || '/manifest.json', 'invalid manifest: ' || manifest_error
           FROM sessions WHERE on_disk AND manifest_error IS NOT NULL
         UNION ALL
         SELECT s.folder_name || '/' || json_extract(m.value, '$.filename'),
                'listed in manifest.json but not on disk'
           FROM sessions s, json_each(s.missing_listed) m WHERE s.on_disk
         ORDER BY path",
    )
    .bind::<BigInt, _>(recent_ns)
    .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| Problem {
            path: r.path,
            reason: r.reason,
        })
        .collect())
}
