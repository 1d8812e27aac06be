//! Distinct prompt and negative prompt texts, made from the word lists with a seeded generator,
//! stored as the importer stores them (128-bit XXH3 hash, big-endian) and indexed for search.

use std::collections::HashSet;

use diesel::prelude::*;
use sdreview::db::schema::prompt_texts::dsl as p;

use super::words::{self, list};

/// splitmix64: small, fast and the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len())]
    }
}

/// `count` distinct prompts (ids 1..=count), then `negatives` distinct negative prompts.
pub fn insert(conn: &mut SqliteConnection, count: usize, negatives: usize) -> QueryResult<()> {
    let mut texts = prompts(count);
    texts.extend(negative_prompts(negatives));
    for (chunk_index, chunk) in texts.chunks(2_000).enumerate() {
        let rows: Vec<_> = chunk
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let hash = xxhash_rust::xxh3::xxh3_128(text.as_bytes());
                (
                    p::id.eq((chunk_index * 2_000 + i + 1) as i32),
                    p::hash.eq(hash.to_be_bytes().to_vec()),
                    p::text.eq(text.as_str()),
                )
            })
            .collect();
        diesel::insert_into(p::prompt_texts)
            .values(&rows)
            .execute(conn)?;
    }
    diesel::sql_query("INSERT INTO prompts_fts (rowid, text) SELECT id, text FROM prompt_texts")
        .execute(conn)?;
    Ok(())
}

fn prompts(count: usize) -> Vec<String> {
    let [
        quality,
        adjectives,
        subjects,
        settings,
        rare,
        light,
        styles,
        artists,
        extras,
    ] = [
        words::QUALITY,
        words::ADJECTIVES,
        words::SUBJECTS,
        words::SETTINGS,
        words::RARE,
        words::LIGHT,
        words::STYLES,
        words::ARTISTS,
        words::EXTRAS,
    ]
    .map(list);
    let mut rng = Rng::new(4);
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let text = format!(
            "{}, {}, a {} {} {}, a {} in the distance, {}, {}, by {}, {}, {}",
            rng.pick(&quality),
            rng.pick(&quality),
            rng.pick(&adjectives),
            rng.pick(&subjects),
            rng.pick(&settings),
            // Cycling (not drawn) so that each rare word is in exactly 1 % of the prompts.
            rare[out.len() % rare.len()],
            rng.pick(&light),
            rng.pick(&styles),
            rng.pick(&artists),
            rng.pick(&extras),
            rng.pick(&extras),
        );
        if seen.insert(text.clone()) {
            out.push(text);
        }
    }
    out
}

fn negative_prompts(count: usize) -> Vec<String> {
    let negative = list(words::NEGATIVE);
    let mut rng = Rng::new(5);
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let size = 4 + rng.below(6);
        let text = (0..size)
            .map(|_| rng.pick(&negative))
            .collect::<Vec<_>>()
            .join(", ");
        if seen.insert(text.clone()) {
            out.push(text);
        }
    }
    out
}
