//! "Prompts like this that worked": the judged-OK images whose prompts share the most with an
//! image's, by TF-IDF cosine over prompt words. Each word's weight is its inverse document
//! frequency over the library's distinct prompt texts (read from the FTS5 index), a prompt's
//! words counted once each (`predict::features::prompt_words`). On a million images it stays
//! quick because it never scores the library: candidates are the OK images whose prompts hold
//! one of the image's rarest words, ranked first by the weight of the words they share, and
//! only the best of those get their whole cosine.

use std::collections::{HashMap, HashSet};

use diesel::SqliteConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::caller::Caller;
use crate::db::ids::ImageId;
use crate::db::{image_records, ok_images};
use crate::error::AppResult;
use crate::predict::features::prompt_words;

/// A word in more prompts than this counts as in this many (counting a word every prompt has
/// would walk the whole index); its weight is then at most ln(N / CAP), small already.
const DF_CAP: i64 = 5_000;
/// The image's rarest words that candidates are looked for by.
const SEED_WORDS: usize = 8;
/// Enough distinct candidate prompts: looking stops here.
const CANDIDATE_PROMPTS: usize = 400;
const IMAGES_PER_WORD: i64 = 2_000;
/// Candidates whose whole cosine is worked out.
const SCORED_PROMPTS: usize = 40;
/// An image's words beyond this many are left out (a prompt of a hundred tags).
const MAX_WORDS: usize = 60;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlaceholderValue {
    pub placeholder: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LikeThis {
    pub id: i32,
    /// TF-IDF cosine of the two prompts, 0 to 1 (1: the same words).
    pub similarity: f64,
    /// The words both prompts hold, the rarest first.
    pub shared_words: Vec<String>,
    pub prompt: String,
    pub model: Option<String>,
    pub sampler: Option<String>,
    pub steps: Option<i32>,
    pub cfg: Option<f64>,
    pub seed: Option<i64>,
    pub values: Vec<PlaceholderValue>,
}

fn words_of(prompt: &str) -> Vec<String> {
    prompt_words(prompt)
        .into_iter()
        .filter_map(|w| w.strip_prefix("word:").map(str::to_owned))
        .take(MAX_WORDS)
        .collect()
}

/// An FTS5 expression matching one word as written (words hold letters and digits only).
fn fts_word(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

/// Inverse document frequencies, looked up once per word.
struct Idf {
    texts: f64,
    known: HashMap<String, f64>,
}

impl Idf {
    fn of(&mut self, conn: &mut SqliteConnection, word: &str) -> diesel::QueryResult<f64> {
        if let Some(&idf) = self.known.get(word) {
            return Ok(idf);
        }
        let df = ok_images::texts_matching(conn, &fts_word(word), DF_CAP)? as f64;
        let idf = ((1.0 + self.texts) / (1.0 + df)).ln().max(0.0);
        self.known.insert(word.to_owned(), idf);
        Ok(idf)
    }
}

/// Up to `limit` judged-OK images `caller` may see whose prompts are most like `prompt` (the
/// prompt of image `image`, which is left out), most similar first.
pub fn like_this(
    conn: &mut SqliteConnection,
    caller: Caller,
    image: i32,
    prompt: &str,
    limit: usize,
) -> diesel::QueryResult<Vec<LikeThis>> {
    let words = words_of(prompt);
    let mut idf = Idf {
        texts: ok_images::text_count(conn)? as f64,
        known: HashMap::new(),
    };
    let mut weighted = Vec::with_capacity(words.len());
    for word in &words {
        weighted.push((word.clone(), idf.of(conn, word)?));
    }
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let norm = weighted.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    if norm == 0.0 {
        return Ok(Vec::new());
    }
    let mine: HashMap<&str, f64> = weighted.iter().map(|(w, i)| (w.as_str(), *i)).collect();

    let mut images_of: HashMap<i32, Vec<i32>> = HashMap::new();
    for (word, _) in weighted.iter().filter(|(_, w)| *w > 0.0).take(SEED_WORDS) {
        for (id, prompt_id) in
            ok_images::matching(conn, caller, &fts_word(word), image, IMAGES_PER_WORD)?
        {
            let ids = images_of.entry(prompt_id).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        if images_of.len() >= CANDIDATE_PROMPTS {
            break;
        }
    }
    let prompt_ids: Vec<i32> = images_of.keys().copied().collect();
    let texts = ok_images::texts(conn, &prompt_ids)?;

    // First by the weight of the words shared, which needs no lookup; then the best few by the
    // whole cosine, which needs each of their words' weight.
    let mut candidates: Vec<(i32, Vec<String>, f64)> = texts
        .iter()
        .map(|(&id, text)| {
            let theirs = words_of(text);
            let shared: f64 = theirs
                .iter()
                .filter_map(|w| mine.get(w.as_str()))
                .map(|w| w * w)
                .sum();
            (id, theirs, shared)
        })
        .collect();
    candidates.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    candidates.truncate(SCORED_PROMPTS);
    let mut scored: Vec<(i32, f64, Vec<String>)> = Vec::with_capacity(candidates.len());
    for (prompt_id, theirs, shared) in candidates {
        let mut their_norm = 0.0;
        for word in &theirs {
            let weight = idf.of(conn, word)?;
            their_norm += weight * weight;
        }
        if shared == 0.0 || their_norm == 0.0 {
            continue;
        }
        let mut shared_words: Vec<&String> = theirs
            .iter()
            .filter(|w| mine.contains_key(w.as_str()))
            .collect();
        shared_words.sort_by(|a, b| {
            let weight = |w: &str| mine.get(w).copied().unwrap_or(0.0);
            weight(b).total_cmp(&weight(a)).then(a.cmp(b))
        });
        let similarity = (shared / (norm * their_norm.sqrt())).min(1.0);
        scored.push((
            prompt_id,
            similarity,
            shared_words.into_iter().cloned().collect(),
        ));
    }

    let image_ids: Vec<i32> = scored
        .iter()
        .flat_map(|(p, _, _)| images_of.get(p).cloned().unwrap_or_default())
        .collect();
    let settings = ok_images::settings(conn, &image_ids)?;
    let mut found: Vec<LikeThis> = Vec::new();
    let mut shown = HashSet::new();
    for (prompt_id, similarity, shared_words) in &scored {
        for id in images_of.get(prompt_id).into_iter().flatten() {
            let (Some(s), Some(text)) = (settings.get(id), texts.get(prompt_id)) else {
                continue;
            };
            if !shown.insert(*id) {
                continue;
            }
            found.push(LikeThis {
                id: *id,
                similarity: (similarity * 10_000.0).round() / 10_000.0,
                shared_words: shared_words.clone(),
                prompt: text.clone(),
                model: s.model.clone(),
                sampler: s.sampler.clone(),
                steps: s.steps,
                cfg: s.cfg,
                seed: s.seed,
                values: Vec::new(),
            });
        }
    }
    found.sort_by(|a, b| {
        b.similarity.total_cmp(&a.similarity).then_with(|| {
            let likes = |x: &LikeThis| settings.get(&x.id).map_or(0, |s| s.likes);
            likes(b).cmp(&likes(a)).then(a.id.cmp(&b.id))
        })
    });
    found.truncate(limit);
    let values = ok_images::values(conn, &found.iter().map(|f| f.id).collect::<Vec<_>>())?;
    for item in &mut found {
        item.values = values
            .get(&item.id)
            .into_iter()
            .flatten()
            .map(|(placeholder, value)| PlaceholderValue {
                placeholder: placeholder.clone(),
                value: value.clone(),
            })
            .collect();
    }
    Ok(found)
}

/// The list for image `id` as `caller` sees it; None when there is no such image for them.
pub fn for_image(
    conn: &mut SqliteConnection,
    caller: Caller,
    id: ImageId,
    limit: usize,
) -> AppResult<Option<Vec<LikeThis>>> {
    let Some(image) = image_records::one(conn, caller, id)? else {
        return Ok(None);
    };
    let prompt = image.prompt.unwrap_or_default();
    Ok(Some(like_this(conn, caller, id.0, &prompt, limit)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prompt_gives_its_distinct_words_without_weights_or_short_words() {
        assert_eq!(
            words_of("(masterpiece:1.2), a cat on a beach, cat"),
            vec!["masterpiece", "cat", "beach"]
        );
        assert_eq!(fts_word("cat"), "\"cat\"");
    }
}
