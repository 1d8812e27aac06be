//! What a person types in the search box, turned into an FTS5 query that cannot be a syntax
//! error: words, `"quoted phrases"`, `-word` to exclude, `word*` for a prefix, `OR` (in
//! capitals) between alternatives; and which text to search: the prompt, the negative prompt or
//! both.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// As typed, for the search box and links.
    pub text: String,
    /// Words to highlight on the image page.
    pub words: Vec<String>,
    /// The FTS5 MATCH expression.
    pub fts: String,
}

/// Which of an image's texts a search reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchIn {
    #[default]
    Prompt,
    Negative,
    Both,
}

impl SearchIn {
    pub fn parse(value: &str) -> Result<SearchIn, String> {
        match value {
            "" | "prompt" => Ok(SearchIn::Prompt),
            "negative" => Ok(SearchIn::Negative),
            "both" => Ok(SearchIn::Both),
            other => Err(format!("`in` is prompt, negative or both, not `{other}`")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SearchIn::Prompt => "prompt",
            SearchIn::Negative => "negative",
            SearchIn::Both => "both",
        }
    }
}

const MAX_LEN: usize = 500;

fn quoted(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

impl SearchQuery {
    pub fn parse(text: &str) -> Result<Option<SearchQuery>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if text.len() > MAX_LEN {
            return Err(format!("the search is limited to {MAX_LEN} characters"));
        }
        // Alternatives separated by OR, each a list of words that must all be there; the
        // exclusions apply to every alternative.
        let mut groups: Vec<Vec<String>> = vec![Vec::new()];
        let (mut exclude, mut words) = (Vec::new(), Vec::new());
        let mut rest = text;
        while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
            rest = &rest[start..];
            let negative = rest.starts_with('-');
            if negative {
                rest = &rest[1..];
            }
            let (term, prefix, after, bare) = if let Some(inner) = rest.strip_prefix('"') {
                let end = inner.find('"').unwrap_or(inner.len());
                (
                    &inner[..end],
                    false,
                    inner.get(end + 1..).unwrap_or(""),
                    false,
                )
            } else {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let word = &rest[..end];
                let prefix = word.len() > 1 && word.ends_with('*');
                (word.trim_end_matches('*'), prefix, &rest[end..], true)
            };
            rest = after;
            if bare && !negative && !prefix && term == "OR" {
                if groups.last().is_some_and(|g| !g.is_empty()) {
                    groups.push(Vec::new());
                }
                continue;
            }
            // Punctuation alone would make an empty FTS5 string; skip it.
            if !term.chars().any(char::is_alphanumeric) {
                continue;
            }
            let expression = if prefix {
                format!("{}*", quoted(term))
            } else {
                quoted(term)
            };
            if negative {
                exclude.push(expression);
            } else {
                if let Some(group) = groups.last_mut() {
                    group.push(expression);
                }
                words.extend(term.split_whitespace().map(str::to_lowercase));
            }
        }
        groups.retain(|g| !g.is_empty());
        if groups.is_empty() {
            return Err(
                "search for at least one word; `-word` only excludes from what the other words find"
                    .to_owned(),
            );
        }
        let mut fts = if groups.len() == 1 {
            groups[0].join(" ")
        } else {
            let alternatives: Vec<String> = groups
                .iter()
                .map(|g| format!("({})", g.join(" ")))
                .collect();
            let joined = alternatives.join(" OR ");
            if exclude.is_empty() {
                joined
            } else {
                format!("({joined})")
            }
        };
        for expression in exclude {
            fts.push_str(" NOT ");
            fts.push_str(&expression);
        }
        Ok(Some(SearchQuery {
            text: text.to_owned(),
            words,
            fts,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::SearchQuery;

    fn fts(text: &str) -> String {
        SearchQuery::parse(text).unwrap().unwrap().fts
    }

    #[test]
    fn words_phrases_exclusions_and_prefixes() {
        assert_eq!(fts("red cat"), r#""red" "cat""#);
        assert_eq!(fts(r#""red cat" -dog"#), r#""red cat" NOT "dog""#);
        assert_eq!(fts("portra*"), r#""portra"*"#);
        assert_eq!(fts(r#"say "hi"#), r#""say" "hi""#);
        assert_eq!(fts(r#"a"b"#), r#""a""b""#);
    }

    #[test]
    fn or_in_capitals_joins_alternatives_and_exclusions_apply_to_all() {
        assert_eq!(fts("fox OR snow"), r#"("fox") OR ("snow")"#);
        assert_eq!(
            fts("red fox OR snow -dog"),
            r#"(("red" "fox") OR ("snow")) NOT "dog""#
        );
        assert_eq!(fts("fox or snow"), r#""fox" "or" "snow""#);
        assert_eq!(fts(r#""OR" fox"#), r#""OR" "fox""#);
        assert_eq!(fts("OR fox OR"), r#""fox""#);
        assert_eq!(fts("fox OR OR snow"), r#"("fox") OR ("snow")"#);
        let words = SearchQuery::parse("fox OR snow").unwrap().unwrap().words;
        assert_eq!(words, ["fox", "snow"]);
    }

    #[test]
    fn a_search_reads_the_prompt_unless_told_otherwise() {
        use super::SearchIn;
        assert_eq!(SearchIn::parse("").unwrap(), SearchIn::Prompt);
        assert_eq!(SearchIn::parse("both").unwrap(), SearchIn::Both);
        assert!(
            SearchIn::parse("title")
                .unwrap_err()
                .contains("prompt, negative or both")
        );
    }

    #[test]
    fn nothing_to_find_is_none_or_a_clear_error() {
        assert_eq!(SearchQuery::parse("  ").unwrap(), None);
        assert!(
            SearchQuery::parse("-dog")
                .unwrap_err()
                .contains("at least one word")
        );
        assert!(SearchQuery::parse("!!! -").is_err());
    }
}
