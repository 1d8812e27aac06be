//! What the predictor knows of an image: the facts every image already has, as named binary
//! features. From its session: `model=`, `sampler=`, `scheduler=`, `steps=`, `cfg=`,
//! `template=`; from the image: `size=WxH`, each placeholder value (`Expression=angry`) and
//! each word of its prompt (`word:hands`). Names are readable because the recommendations
//! quote them. Session facts are the session's (a run has one model and one sampler).

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use diesel::sql_types::{Double, Integer, Nullable, Text};

/// Words shorter than this are mostly articles and weights ("a", "of", "1.2").
const MIN_WORD: usize = 3;

/// Every image the predictor scores: on disk, readable, outside the trash.
const SCORED: &str = "i.on_disk AND i.broken IS NULL AND NOT i.is_deleted AND NOT s.is_deleted";

#[derive(QueryableByName)]
struct SessionRow {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Nullable<Text>)]
    model_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    sampler: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    scheduler: Option<String>,
    #[diesel(sql_type = Nullable<Integer>)]
    steps: Option<i32>,
    #[diesel(sql_type = Nullable<Double>)]
    cfg_scale: Option<f64>,
    #[diesel(sql_type = Nullable<Text>)]
    template_name: Option<String>,
}

#[derive(QueryableByName)]
struct ImageRow {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Integer)]
    session_id: i32,
    #[diesel(sql_type = Nullable<Integer>)]
    prompt_id: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    width: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    height: Option<i32>,
}

#[derive(QueryableByName)]
struct VariationRow {
    #[diesel(sql_type = Integer)]
    image_id: i32,
    #[diesel(sql_type = Text)]
    placeholder: String,
    #[diesel(sql_type = Text)]
    value: String,
}

#[derive(QueryableByName)]
struct PromptRow {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Text)]
    text: String,
}

/// The images of one batch, each with the names of its features.
pub struct NamedRows {
    pub ids: Vec<i32>,
    pub names: Vec<Vec<String>>,
}

/// Reads features, keeping what does not change between batches (session facts, the words of
/// prompts already seen).
#[derive(Default)]
pub struct FeatureReader {
    sessions: HashMap<i32, Vec<String>>,
    prompts: HashMap<i32, Vec<String>>,
}

fn session_facts(row: SessionRow) -> Vec<String> {
    let mut facts = Vec::new();
    let mut add = |kind: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            facts.push(format!("{kind}={value}"));
        }
    };
    add("model", row.model_name);
    add("sampler", row.sampler);
    add("scheduler", row.scheduler);
    add("steps", row.steps.map(|s| s.to_string()));
    add("cfg", row.cfg_scale.map(|c| format!("{c}")));
    add("template", row.template_name);
    facts
}

/// The distinct lower-case words of a prompt, weights and punctuation left out.
pub fn prompt_words(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= MIN_WORD && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .filter(|w| seen.insert(w.clone()))
        .map(|w| format!("word:{w}"))
        .collect()
}

impl FeatureReader {
    pub fn new(conn: &mut SqliteConnection) -> QueryResult<FeatureReader> {
        let rows: Vec<SessionRow> = diesel::sql_query(
            "SELECT id, model_name, sampler, scheduler, steps, cfg_scale, template_name
             FROM sessions",
        )
        .load(conn)?;
        Ok(FeatureReader {
            sessions: rows.into_iter().map(|r| (r.id, session_facts(r))).collect(),
            prompts: HashMap::new(),
        })
    }

    /// The scored images with id in `ids` (any order; at most a few thousand at once).
    pub fn rows_of(&mut self, conn: &mut SqliteConnection, ids: &[i32]) -> QueryResult<NamedRows> {
        let list = id_list(ids);
        self.read(
            conn,
            &format!(
                "SELECT i.id, i.session_id, i.prompt_id, i.width, i.height FROM images i
                 JOIN sessions s ON s.id = i.session_id WHERE i.id IN ({list}) AND {SCORED}
                 ORDER BY i.id"
            ),
        )
    }

    /// The next `limit` scored images after id `after`, in id order.
    pub fn rows_after(
        &mut self,
        conn: &mut SqliteConnection,
        after: i32,
        limit: usize,
    ) -> QueryResult<NamedRows> {
        self.read(
            conn,
            &format!(
                "SELECT i.id, i.session_id, i.prompt_id, i.width, i.height FROM images i
                 JOIN sessions s ON s.id = i.session_id WHERE i.id > {after} AND {SCORED}
                 ORDER BY i.id LIMIT {limit}"
            ),
        )
    }

    fn read(&mut self, conn: &mut SqliteConnection, sql: &str) -> QueryResult<NamedRows> {
        let images: Vec<ImageRow> = diesel::sql_query(sql).load(conn)?;
        let ids: Vec<i32> = images.iter().map(|i| i.id).collect();
        let mut variations: HashMap<i32, Vec<String>> = HashMap::new();
        if !ids.is_empty() {
            let rows: Vec<VariationRow> = diesel::sql_query(format!(
                "SELECT iv.image_id, v.placeholder, v.value FROM image_variations iv
                 JOIN variations v ON v.id = iv.variation_id WHERE iv.image_id IN ({})",
                id_list(&ids)
            ))
            .load(conn)?;
            for row in rows {
                variations
                    .entry(row.image_id)
                    .or_default()
                    .push(format!("{}={}", row.placeholder, row.value));
            }
        }
        let unseen: Vec<i32> = images
            .iter()
            .filter_map(|i| i.prompt_id)
            .filter(|p| !self.prompts.contains_key(p))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        for chunk in unseen.chunks(2000) {
            let rows: Vec<PromptRow> = diesel::sql_query(format!(
                "SELECT id, text FROM prompt_texts WHERE id IN ({})",
                id_list(chunk)
            ))
            .load(conn)?;
            for row in rows {
                self.prompts.insert(row.id, prompt_words(&row.text));
            }
        }
        let names = images
            .iter()
            .map(|image| {
                let mut names: Vec<String> = self
                    .sessions
                    .get(&image.session_id)
                    .cloned()
                    .unwrap_or_default();
                if let (Some(w), Some(h)) = (image.width, image.height) {
                    names.push(format!("size={w}x{h}"));
                }
                names.extend(variations.remove(&image.id).unwrap_or_default());
                if let Some(words) = image.prompt_id.and_then(|p| self.prompts.get(&p)) {
                    names.extend(words.iter().cloned());
                }
                names
            })
            .collect();
        Ok(NamedRows { ids, names })
    }

    /// Forgets the words of prompts read so far (scoring a million images reads many).
    pub fn forget_prompts(&mut self) {
        self.prompts.clear();
    }
}

fn id_list(ids: &[i32]) -> String {
    ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

/// Feature names to ids: built from the training images (a name on fewer than `min_images`
/// of them is left out: nothing can be learnt from it), then fixed for scoring.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vocabulary {
    pub names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Vocabulary {
    pub fn build<'a>(
        rows: impl IntoIterator<Item = &'a Vec<String>>,
        min_images: usize,
    ) -> Vocabulary {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for row in rows {
            for name in row {
                *counts.entry(name.as_str()).or_default() += 1;
            }
        }
        let mut names: Vec<String> = counts
            .into_iter()
            .filter(|(_, count)| *count >= min_images)
            .map(|(name, _)| name.to_owned())
            .collect();
        names.sort();
        Vocabulary::from_names(names)
    }

    pub fn from_names(names: Vec<String>) -> Vocabulary {
        let index = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        Vocabulary { names, index }
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The ids of the names this vocabulary knows, sorted.
    pub fn ids(&self, names: &[String]) -> Vec<u32> {
        let mut ids: Vec<u32> = names
            .iter()
            .filter_map(|n| self.index.get(n).copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_words_are_distinct_lower_case_words_without_weights() {
        assert_eq!(
            prompt_words("(Masterpiece:1.2), a knight, KNIGHT in 4k snow"),
            ["word:masterpiece", "word:knight", "word:snow"]
        );
    }

    #[test]
    fn rare_names_stay_out_of_the_vocabulary() {
        let rows = vec![
            vec!["model=a".to_owned(), "word:x".to_owned()],
            vec!["model=a".to_owned()],
        ];
        let vocabulary = Vocabulary::build(&rows, 2);
        assert_eq!(vocabulary.names, ["model=a"]);
        assert_eq!(vocabulary.ids(&rows[0]), [0]);
    }
}
