//! The winning combinations as files a generator reads: the values to keep and drop as JSON
//! (`analytics::recommend::ValuesFile`), and the prompts of the best-rated judged-OK images as
//! text, one prompt per line, none carrying a dropped value or pair. See
//! docs/insights.md#the-files-for-a-generator.

use std::collections::HashSet;

use diesel::SqliteConnection;

use crate::analytics::recommend::ValuesFile;
use crate::db::ok_images;
use crate::domain::gallery_filter::SessionFacts;

/// Images read per batch while looking for prompts.
const BATCH: i64 = 500;
/// The most prompts the file holds unless asked for fewer.
pub const DEFAULT_PROMPTS: usize = 200;
pub const MAX_PROMPTS: usize = 10_000;

/// A prompt on one line: line breaks and runs of spaces become one space.
pub fn one_line(prompt: &str) -> String {
    prompt.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Up to `limit` distinct prompts of the judged-OK images of the file's model and template,
/// best rated first (likes, then thumbs up, then OK verdicts), skipping any image with a value
/// or pair the file drops. Images outside the trash only.
pub fn winning_prompts(
    conn: &mut SqliteConnection,
    file: &ValuesFile,
    limit: usize,
) -> diesel::QueryResult<Vec<String>> {
    let facts = SessionFacts {
        model: file.model.clone(),
        template: file.template.clone(),
        ..SessionFacts::default()
    };
    let mut prompts = Vec::new();
    let mut seen = HashSet::new();
    let mut offset = 0;
    while prompts.len() < limit {
        let batch = ok_images::best_rated(conn, &facts, offset, BATCH)?;
        if batch.is_empty() {
            break;
        }
        offset += BATCH;
        let ids: Vec<i32> = batch.iter().map(|(id, _)| *id).collect();
        let prompt_ids: Vec<i32> = batch.iter().filter_map(|(_, p)| *p).collect();
        let values = ok_images::values(conn, &ids)?;
        let texts = ok_images::texts(conn, &prompt_ids)?;
        for (id, prompt_id) in batch {
            let Some(text) = prompt_id.and_then(|p| texts.get(&p)) else {
                continue;
            };
            let line = one_line(text);
            let allowed = file.allows(values.get(&id).map_or(&[][..], |v| v.as_slice()));
            if allowed && !line.is_empty() && seen.insert(line.clone()) {
                prompts.push(line);
                if prompts.len() == limit {
                    break;
                }
            }
        }
    }
    Ok(prompts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prompt_is_written_on_one_line() {
        assert_eq!(one_line("a cat,\n  on a beach\r\n"), "a cat, on a beach");
    }
}
