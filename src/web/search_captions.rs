//! Under each search result: the session it belongs to, and the words of its prompt (or
//! negative prompt) around what the search matched, those words marked.

use std::collections::HashMap;

use diesel::SqliteConnection;
use diesel::result::QueryResult;

use crate::db::gallery::GalleryItem;
use crate::db::ids::{ImageId, SessionId};
use crate::db::prompt_search::{self, MARK_END, MARK_START};
use crate::db::session_detail;
use crate::domain::gallery_filter::GalleryFilter;
use crate::domain::highlight::{Segment, between_marks, lead_in};
use crate::domain::search_query::SearchIn;

pub struct Caption {
    pub session: String,
    /// The words come from the negative prompt.
    pub negative: bool,
    pub snippet: Vec<Segment>,
}

/// A caption for each item, when the filter searches; none otherwise.
pub fn captions(
    conn: &mut SqliteConnection,
    items: &[GalleryItem],
    filter: &GalleryFilter,
) -> QueryResult<HashMap<ImageId, Caption>> {
    let Some(search) = &filter.search else {
        return Ok(HashMap::new());
    };
    let mut sessions: Vec<SessionId> = items.iter().map(|item| item.session_id).collect();
    sessions.sort();
    sessions.dedup();
    let titles = session_detail::titles(conn, &sessions)?;
    let (prompts, negatives) = match filter.search_in {
        SearchIn::Prompt => (true, false),
        SearchIn::Negative => (false, true),
        SearchIn::Both => (true, true),
    };
    let mut texts: Vec<i32> = items
        .iter()
        .flat_map(|item| {
            [
                item.prompt_id.filter(|_| prompts),
                item.negative_prompt_id.filter(|_| negatives),
            ]
        })
        .flatten()
        .collect();
    texts.sort_unstable();
    texts.dedup();
    let snippets = prompt_search::snippets(conn, &search.fts, filter.search_in, &texts)?;
    let snippet_of = |text: Option<i32>| text.and_then(|id| snippets.get(&id));
    Ok(items
        .iter()
        .map(|item| {
            let (negative, snippet) = match snippet_of(item.prompt_id.filter(|_| prompts)) {
                Some(found) => (false, Some(found)),
                None => (
                    true,
                    snippet_of(item.negative_prompt_id.filter(|_| negatives)),
                ),
            };
            let caption = Caption {
                session: titles.get(&item.session_id).cloned().unwrap_or_default(),
                negative: negative && snippet.is_some(),
                snippet: snippet
                    .map(|text| lead_in(between_marks(text, MARK_START, MARK_END), 3))
                    .unwrap_or_default(),
            };
            (item.id, caption)
        })
        .collect())
}
