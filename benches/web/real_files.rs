//! The one session whose files exist: 512x768 PNGs for the thumbnail measurements. The other
//! 29,999 sessions exist only in the database (the server runs with --no-import).

use std::path::Path;
use std::time::UNIX_EPOCH;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use sdreview::synth::png_file::{TextChunk, TextKind, png_bytes};

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    folder_name: String,
    #[diesel(sql_type = Text)]
    filename: String,
    #[diesel(sql_type = Text)]
    prompt: String,
    #[diesel(sql_type = BigInt)]
    seed: i64,
}

/// Writes the session's files under `library` and records their real sizes and times.
pub fn write(library: &Path, conn: &mut SqliteConnection, session: i64) -> QueryResult<usize> {
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT s.folder_name, i.filename, p.text AS prompt, i.seed
         FROM images i JOIN sessions s ON s.id = i.session_id
         JOIN prompt_texts p ON p.id = i.prompt_id
         WHERE i.session_id = ?1 ORDER BY i.filename",
    )
    .bind::<BigInt, _>(session)
    .load(conn)?;
    for row in &rows {
        let folder = library.join(&row.folder_name);
        std::fs::create_dir_all(&folder).unwrap();
        let parameters = format!(
            "{}\nNegative prompt: lowres, blurry\nSteps: 30, Sampler: Euler a, CFG scale: 7, \
             Seed: {}, Size: 512x768, Model: dreamshaper_8",
            row.prompt, row.seed
        );
        let chunk = TextChunk::new(TextKind::Text, "parameters", &parameters);
        let path = folder.join(&row.filename);
        std::fs::write(&path, png_bytes(512, 768, &[chunk]).unwrap()).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let mtime = meta.modified().unwrap().duration_since(UNIX_EPOCH).unwrap();
        diesel::sql_query(
            "UPDATE images SET file_size = ?1, file_mtime_ns = ?2, width = 512, height = 768,
                 broken = NULL, is_deleted = 0
             WHERE session_id = ?3 AND filename = ?4",
        )
        .bind::<BigInt, _>(meta.len() as i64)
        .bind::<BigInt, _>(mtime.as_nanos() as i64)
        .bind::<Integer, _>(session as i32)
        .bind::<Text, _>(&row.filename)
        .execute(conn)?;
    }
    Ok(rows.len())
}
