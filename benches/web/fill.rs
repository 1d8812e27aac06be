//! The bulk of the data, written by SQLite itself: one `INSERT ... SELECT` per table over a
//! counter, with every attribute derived from the row's id by a multiplicative hash, so a
//! million rows take seconds and the same database comes out every time.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::words::{self, list};

fn json(words: &str) -> String {
    serde_json::to_string(&list(words)).unwrap()
}

/// Sessions over two years from 2024-01-01, one every 35 minutes or so, with their counters
/// row (by trigger). `images_requested` holds the planned image count until `images` runs.
pub fn sessions(conn: &mut SqliteConnection, count: i64, real: i64) -> QueryResult<usize> {
    diesel::sql_query(
        "WITH RECURSIVE n(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM n WHERE id < ?1),
         h AS (SELECT id, (id * 2654435761) % 4294967296 AS h,
                      datetime(1704067200 + id * 2100 + (id * 7919) % 1800, 'unixepoch') AS t
               FROM n),
         k AS (SELECT id, h, t, h % 20 AS tpl, (h >> 5) % 10 AS theme, (h >> 9) % 30 AS style,
                      min(7, ((h >> 3) % 64) * ((h >> 3) % 64) / 512) AS model,
                      (h >> 11) % 6 AS sampler, 20 + ((h >> 18) % 5) * 5 AS steps,
                      5.0 + ((h >> 21) % 8) * 0.5 AS cfg,
                      CASE WHEN id = ?8 THEN 0 ELSE (h >> 14) % 4 END AS size,
                      CASE WHEN id = ?8 THEN 50 ELSE (h >> 16) % 100 END AS flag,
                      (h >> 23) % 100 AS pick,
                      CASE WHEN id = ?8 THEN 24 WHEN id % 100 = 49 THEN 100
                           ELSE 8 + (h >> 17) % 50 END AS images
               FROM h),
         s AS (SELECT *, CASE size WHEN 0 THEN 512 WHEN 1 THEN 768 WHEN 2 THEN 1024 ELSE 832 END AS w,
                      CASE size WHEN 0 THEN 768 WHEN 1 THEN 512 WHEN 2 THEN 1024 ELSE 1216 END AS hh,
                      (?2 ->> tpl) AS tname, (?6 ->> model) AS mname, (?7 ->> sampler) AS sname
               FROM k)
         INSERT INTO sessions (id, folder_name, name, created_at, is_test, is_failed, is_archived,
             is_deleted, is_starred, display_name, metadata, source, template_name, theme, style,
             model_name, model_hash, sampler, scheduler, steps, cfg_scale, width, height,
             images_requested, source_signature, scanned_at, updated_at)
         SELECT id,
             strftime('%Y%m%d_%H%M%S', t) || '-' || tname || '-' || (?3 ->> theme) || '-'
                 || replace((?4 ->> style), ' ', '_'),
             tname, t, flag < 3, flag BETWEEN 3 AND 4, flag BETWEEN 5 AND 14, flag = 15, pick < 4,
             CASE WHEN pick BETWEEN 10 AND 29 THEN (?5 ->> (h % 30)) || ' ' || tname || ' #' || (id % 97) END,
             json_object('snapshot', json_object('version', '2.0',
                     'timestamp', strftime('%Y-%m-%dT%H:%M:%S', t),
                     'runtime_info', json_object('sd_model_checkpoint', mname || '.safetensors',
                                                 'webui_version', 'v1.10.1'),
                     'generation_params', json_object(
                         'mode', CASE WHEN id % 5 = 0 THEN 'combinatorial' ELSE 'random' END,
                         'seed_mode', 'sweep', 'num_images', images),
                     'api_params', json_object('steps', steps, 'cfg_scale', cfg, 'width', w,
                         'height', hh, 'sampler_name', sname, 'scheduler', 'karras',
                         'batch_size', 1, 'n_iter', 1, 'enable_hr', json('false'))),
                 'model_name', mname, 'model_hash', printf('%010x', h * 97), 'sampler', sname,
                 'scheduler', 'karras', 'cfg_scale', cfg, 'steps', steps,
                 'parameters_common', json_object('Steps', CAST(steps AS TEXT), 'Sampler', sname,
                     'Schedule type', 'Karras', 'CFG scale', CAST(cfg AS TEXT),
                     'Size', w || 'x' || hh, 'Model', mname, 'Version', 'v1.10.1')),
             'manifest', tname, (?3 ->> theme), (?4 ->> style), mname, printf('%010x', h * 97),
             sname, 'karras', steps, cfg, w, hh, images, 'bench', t, t
         FROM s",
    )
    .bind::<BigInt, _>(count)
    .bind::<Text, _>(json(words::TEMPLATES))
    .bind::<Text, _>(json(words::THEMES))
    .bind::<Text, _>(json(words::STYLES))
    .bind::<Text, _>(json(words::ADJECTIVES))
    .bind::<Text, _>(json(words::MODELS))
    .bind::<Text, _>(json(words::SAMPLERS))
    .bind::<BigInt, _>(real)
    .execute(conn)
}

/// Gives `big` whatever is left of `total` images, so the library has exactly that many.
pub fn top_up(conn: &mut SqliteConnection, total: i64, big: i64) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE sessions SET images_requested = images_requested + ?1
             - (SELECT sum(images_requested) FROM sessions) WHERE id = ?2",
    )
    .bind::<BigInt, _>(total)
    .bind::<BigInt, _>(big)
    .execute(conn)
}

/// Each session's planned images; a session draws its prompts from a run of 1 to 12
/// consecutive prompts and has one negative prompt; 0.1 % of the files are broken, 0.1 %
/// deleted; every fifth session is combinatorial with two placeholders.
pub fn images(conn: &mut SqliteConnection, prompts: i64, negatives: i64) -> QueryResult<usize> {
    conn.batch_execute(
        "CREATE TEMP TABLE IF NOT EXISTS seq (i INTEGER PRIMARY KEY);
         DELETE FROM seq;
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99999)
         INSERT INTO seq SELECT i FROM n;",
    )?;
    diesel::sql_query(
        "INSERT INTO images (session_id, filename, metadata, prompt_id, negative_prompt_id,
             is_deleted, format, seed, width, height, file_size, file_mtime_ns, broken, listed,
             on_disk, created_at, updated_at)
         SELECT sid, printf('%05d.png', i + 1),
             json_object('seed', seed,
                 'variations', CASE WHEN sid % 5 = 0
                     THEN json_object('Subject', (?1 ->> subj), 'Setting', (?2 ->> sett))
                     ELSE json('{}') END,
                 'file_size', size, 'dimensions', json_array(w, hh), 'format', 'png',
                 'parameters_parsed', json_object('Seed', CAST(seed AS TEXT))),
             1 + ((sh % ?3) + i % (1 + (sh >> 7) % 12)) % ?3, ?3 + 1 + (sh >> 13) % ?4,
             g % 1000 = 7, 'png', seed, w, hh, size, (unixepoch(t) + i * 9) * 1000000000,
             CASE WHEN g % 1000 = 3 THEN 'truncated PNG: unexpected end of IDAT' END,
             1, 1, t, t
         FROM (SELECT s.id AS sid, q.i AS i, s.width AS w, s.height AS hh, s.created_at AS t,
                      (s.id * 2654435761) % 4294967296 AS sh,
                      ((s.id * 50000 + q.i) * 2654435761) % 4294967296 AS g,
                      1000000000 + ((s.id * 2654435761) % 3000000000) + q.i AS seed,
                      350000 + ((s.id * 50000 + q.i) * 2654435761) % 700000 AS size,
                      (s.id * 7 + q.i % (2 + s.id % 4)) % 60 AS subj,
                      (s.id * 3 + (q.i / (2 + s.id % 4)) % (1 + s.id % 3)) % 40 AS sett
               FROM sessions s JOIN seq q ON q.i < s.images_requested
               ORDER BY s.id, q.i)",
    )
    .bind::<Text, _>(json(words::SUBJECTS))
    .bind::<Text, _>(json(words::SETTINGS))
    .bind::<BigInt, _>(prompts)
    .bind::<BigInt, _>(negatives)
    .execute(conn)
}

/// The placeholder values of the combinatorial sessions, as the importer stores them
/// (the same choice of values as `images` wrote into each image's metadata).
pub fn variations(conn: &mut SqliteConnection) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO variations (id, placeholder, value)
         SELECT key + 1, 'Subject', value FROM json_each(?1)
         UNION ALL SELECT key + 61, 'Setting', value FROM json_each(?2)",
    )
    .bind::<Text, _>(json(words::SUBJECTS))
    .bind::<Text, _>(json(words::SETTINGS))
    .execute(conn)?;
    diesel::sql_query(
            "WITH v AS (SELECT id, session_id, CAST(filename AS INTEGER) - 1 AS i
                        FROM images WHERE session_id % 5 = 0)
             INSERT INTO image_variations (image_id, variation_id)
             SELECT id, 1 + (session_id * 7 + i % (2 + session_id % 4)) % 60 FROM v
             UNION ALL
             SELECT id, 61 + (session_id * 3 + (i / (2 + session_id % 4)) % (1 + session_id % 3)) % 40
             FROM v",
    )
    .execute(conn)
}
