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

/// Segments of a text whose marked parts lie between `start` and `end` (as SQLite's `snippet()`
/// writes them); a mark left open runs to the end.
pub fn between_marks(text: &str, start: char, end: char) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut marked = false;
    let mut current = String::new();
    for c in text.chars() {
        if c == start || c == end {
            if !current.is_empty() {
                segments.push(Segment {
                    text: std::mem::take(&mut current),
                    marked,
                });
            }
            marked = c == start;
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        segments.push(Segment {
            text: current,
            marked,
        });
    }
    segments
}

/// Cuts what comes before the first marked segment to its last `words` words, so the match shows
/// early in a line or two.
pub fn lead_in(mut segments: Vec<Segment>, words: usize) -> Vec<Segment> {
    if let [first, _, ..] = segments.as_mut_slice()
        && !first.marked
    {
        let kept: Vec<&str> = first.text.split(' ').collect();
        if kept.len() > words + 1 {
            let tail = kept[kept.len() - words - 1..].join(" ");
            first.text = format!("…{}", tail.trim_start());
            if !first.text.ends_with(' ') && first.text.len() > "…".len() {
                first.text.push(' ');
            }
        }
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
    fn marks_from_a_snippet_become_marked_segments() {
        let segments = between_marks("…a \u{2}red\u{3} fox in \u{2}snow", '\u{2}', '\u{3}');
        let marked: Vec<(&str, bool)> = segments
            .iter()
            .map(|s| (s.text.as_str(), s.marked))
            .collect();
        assert_eq!(
            marked,
            [
                ("…a ", false),
                ("red", true),
                (" fox in ", false),
                ("snow", true)
            ]
        );
    }

    #[test]
    fn a_long_lead_in_is_cut_to_its_last_words() {
        let segments = between_marks(
            "masterpiece, best quality, a portrait of a \u{2}robot\u{3}, joyful",
            '\u{2}',
            '\u{3}',
        );
        let text: String = lead_in(segments, 3).into_iter().map(|s| s.text).collect();
        assert_eq!(text, "…portrait of a robot, joyful");
        let short = between_marks("a \u{2}robot\u{3}", '\u{2}', '\u{3}');
        let text: String = lead_in(short, 3).into_iter().map(|s| s.text).collect();
        assert_eq!(text, "a robot");
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
