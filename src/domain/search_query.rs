//! What a person types in the search box, turned into an FTS5 query that cannot be a syntax
//! error: words, `"quoted phrases"`, `-word` to exclude, `word*` for a prefix.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// As typed, for the search box and links.
    pub text: String,
    /// Words to highlight on the image page.
    pub words: Vec<String>,
    /// The FTS5 MATCH expression.
    pub fts: String,
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
        let (mut include, mut exclude, mut words) = (Vec::new(), Vec::new(), Vec::new());
        let mut rest = text;
        while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
            rest = &rest[start..];
            let negative = rest.starts_with('-');
            if negative {
                rest = &rest[1..];
            }
            let (term, prefix, after) = if let Some(inner) = rest.strip_prefix('"') {
                let end = inner.find('"').unwrap_or(inner.len());
                (&inner[..end], false, inner.get(end + 1..).unwrap_or(""))
            } else {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let word = &rest[..end];
                let prefix = word.len() > 1 && word.ends_with('*');
                (word.trim_end_matches('*'), prefix, &rest[end..])
            };
            rest = after;
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
                include.push(expression);
                words.extend(term.split_whitespace().map(str::to_lowercase));
            }
        }
        if include.is_empty() {
            return Err(
                "search for at least one word; `-word` only excludes from what the other words find"
                    .to_owned(),
            );
        }
        let mut fts = include.join(" ");
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
