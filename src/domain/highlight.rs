//! Marks the searched words in a prompt. The result is plain segments that the template
//! escapes one by one and wraps in `<mark>`, so no user text is ever trusted as HTML.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub marked: bool,
}

/// The byte length of `word` at the start of `text`, compared without case, when it is a
/// whole word there (FTS5 matches whole tokens, so "cat" must not light up "category").
fn whole_word_at(text: &str, word: &str) -> Option<usize> {
    let mut rest = text.char_indices();
    let mut end = 0;
    for wanted in word.chars() {
        let (at, found) = rest.next()?;
        if !found.to_lowercase().eq(wanted.to_lowercase()) {
            return None;
        }
        end = at + found.len_utf8();
    }
    let after = text[end..].chars().next();
    (end > 0 && !after.is_some_and(char::is_alphanumeric)).then_some(end)
}

pub fn highlight(text: &str, words: &[String]) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut plain_start = 0;
    let mut previous: Option<char> = None;
    let mut position = 0;
    while position < text.len() {
        let at_word_start = !previous.is_some_and(char::is_alphanumeric);
        let found = at_word_start
            .then(|| {
                words
                    .iter()
                    .filter_map(|w| whole_word_at(&text[position..], w))
                    .max()
            })
            .flatten();
        if let Some(length) = found {
            if plain_start < position {
                segments.push(Segment {
                    text: text[plain_start..position].to_owned(),
                    marked: false,
                });
            }
            let end = position + length;
            segments.push(Segment {
                text: text[position..end].to_owned(),
                marked: true,
            });
            previous = text[..end].chars().next_back();
            position = end;
            plain_start = end;
        } else {
            let c = text[position..].chars().next().unwrap_or(' ');
            previous = Some(c);
            position += c.len_utf8();
        }
    }
    if plain_start < text.len() {
        segments.push(Segment {
            text: text[plain_start..].to_owned(),
            marked: false,
        });
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str, words: &[&str]) -> Vec<String> {
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        highlight(text, &words)
            .into_iter()
            .filter(|s| s.marked)
            .map(|s| s.text)
            .collect()
    }

    #[test]
    fn whole_words_are_marked_whatever_their_case() {
        assert_eq!(
            marked("A Red cat, a red category", &["red", "cat"]),
            ["Red", "cat", "red"]
        );
        assert_eq!(marked("ЁЖИК и ёжик", &["ёжик"]), ["ЁЖИК", "ёжик"]);
        assert!(marked("concatenate", &["cat"]).is_empty());
    }

    #[test]
    fn the_segments_put_together_are_the_text() {
        let text = "<b>red</b> & cat";
        let words = vec!["red".to_owned()];
        let joined: String = highlight(text, &words)
            .into_iter()
            .map(|s| s.text)
            .collect();
        assert_eq!(joined, text);
        assert_eq!(highlight("", &words), vec![]);
    }
}
