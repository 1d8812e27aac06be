//! What the review screen shows of each queued image besides the picture: its session, prompts,
//! variations, my verdict and the other raters' verdicts (as blind mode lets the caller see
//! them, `db::blind_review`), read for a whole page at once.

use std::collections::HashMap;

use diesel::prelude::*;

use super::caller::Caller;
use super::gallery::GalleryItem;
use super::ids::{ImageId, PromptId, SessionId, UserId};
use super::models::Judgement;
use super::schema::image_variations::dsl as iv;
use super::schema::images::dsl as i;
use super::schema::judgements::dsl as j;
use super::schema::prompt_texts::dsl as p;
use super::schema::sessions::dsl as s;
use super::schema::users::dsl as u;
use super::schema::variations::dsl as v;
use crate::domain::rating::Verdict;

#[derive(Debug, Clone, Default)]
pub struct ItemFacts {
    pub session_name: String,
    pub prompt: Option<String>,
    pub negative: Option<String>,
    /// (placeholder, value), by placeholder.
    pub variations: Vec<(String, String)>,
    pub mine: Verdict,
    /// The other raters' verdicts, by name, newest first; empty verdicts left out. None while
    /// the household's blind mode hides them from the caller.
    pub others: Option<Vec<(String, Verdict)>>,
}

fn session_names(
    conn: &mut SqliteConnection,
    sessions: &[SessionId],
) -> QueryResult<HashMap<SessionId, String>> {
    let rows: Vec<(SessionId, String, Option<String>)> = s::sessions
        .filter(s::id.eq_any(sessions))
        .select((s::id, s::name, s::display_name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, shown)| (id, shown.filter(|n| !n.trim().is_empty()).unwrap_or(name)))
        .collect())
}

type PromptIds = (ImageId, Option<PromptId>, Option<PromptId>);
/// An image's prompt and negative prompt.
type Prompts = (Option<String>, Option<String>);

fn prompts(conn: &mut SqliteConnection, ids: &[ImageId]) -> QueryResult<HashMap<ImageId, Prompts>> {
    let links: Vec<PromptIds> = i::images
        .filter(i::id.eq_any(ids))
        .select((i::id, i::prompt_id, i::negative_prompt_id))
        .load(conn)?;
    let wanted: Vec<PromptId> = links
        .iter()
        .flat_map(|(_, a, b)| [*a, *b])
        .flatten()
        .collect();
    let texts: HashMap<PromptId, String> = p::prompt_texts
        .filter(p::id.eq_any(&wanted))
        .select((p::id, p::text))
        .load::<(PromptId, String)>(conn)?
        .into_iter()
        .collect();
    let text = |id: Option<PromptId>| id.and_then(|id| texts.get(&id).cloned());
    Ok(links
        .into_iter()
        .map(|(id, prompt, negative)| (id, (text(prompt), text(negative))))
        .collect())
}

/// Facts for each of `items`, by image.
pub fn facts(
    conn: &mut SqliteConnection,
    items: &[GalleryItem],
    caller: Caller,
) -> QueryResult<HashMap<ImageId, ItemFacts>> {
    let me: UserId = caller.user;
    let ids: Vec<ImageId> = items.iter().map(|item| item.id).collect();
    let mut sessions: Vec<SessionId> = items.iter().map(|item| item.session_id).collect();
    sessions.sort();
    sessions.dedup();
    let names = session_names(conn, &sessions)?;
    let mut prompts = prompts(conn, &ids)?;
    let revealed = super::blind_review::revealed(conn, caller, &ids)?;
    let mut out: HashMap<ImageId, ItemFacts> = items
        .iter()
        .map(|item| {
            let (prompt, negative) = prompts.remove(&item.id).unwrap_or_default();
            let facts = ItemFacts {
                session_name: names.get(&item.session_id).cloned().unwrap_or_default(),
                prompt,
                negative,
                others: revealed.shows(item.id).then(Vec::new),
                ..ItemFacts::default()
            };
            (item.id, facts)
        })
        .collect();
    let variations: Vec<(ImageId, String, String)> = iv::image_variations
        .inner_join(v::variations)
        .filter(iv::image_id.eq_any(&ids))
        .order((v::placeholder.asc(), v::value.asc()))
        .select((iv::image_id, v::placeholder, v::value))
        .load(conn)?;
    for (id, placeholder, value) in variations {
        if let Some(facts) = out.get_mut(&id) {
            facts.variations.push((placeholder, value));
        }
    }
    let verdicts: Vec<(String, Judgement)> = j::judgements
        .inner_join(u::users)
        .filter(j::image_id.eq_any(&ids))
        .order(j::updated_at.desc())
        .select((u::name, Judgement::as_select()))
        .load(conn)?;
    for (name, row) in verdicts {
        let Some(facts) = out.get_mut(&row.image_id) else {
            continue;
        };
        let verdict = row.verdict();
        if row.user_id == me {
            facts.mine = verdict;
        } else if !verdict.is_empty()
            && let Some(others) = &mut facts.others
        {
            others.push((name, verdict));
        }
    }
    Ok(out)
}
