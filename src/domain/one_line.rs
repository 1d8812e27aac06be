//! A long text (a prompt template: hundreds of characters over several lines) as a label of
//! one short line, for the statistics' rows: where the whole text stays in the data, and a
//! person only needs to tell one row from the next.

/// `text` on one line (every run of white space one space), cut to at most `max` characters
/// and "…": after a whole word when one ends in the second half, so no word is cut in two.
pub fn one_line(text: &str, max: usize) -> String {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some((cut, _)) = words.char_indices().nth(max) else {
        return words;
    };
    let mut kept = &words[..cut];
    if !words[cut..].starts_with(' ')
        && let Some(space) = kept
            .rfind(' ')
            .filter(|&at| kept[..at].chars().count() >= max / 2)
    {
        kept = &kept[..space];
    }
    format!("{}…", kept.trim_end_matches([' ', ',', ';']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_on_several_lines_becomes_one_short_line() {
        assert_eq!(
            one_line("A photo of {Subject},\n  in {Setting}", 100),
            "A photo of {Subject}, in {Setting}"
        );
        assert_eq!(one_line("Grand-mère Zoé sings", 14), "Grand-mère Zoé…");
        assert_eq!(
            one_line("a portrait, film grain, 85mm lens", 20),
            "a portrait, film…",
            "no word cut in two, no comma before the dots"
        );
        assert_eq!(
            one_line("Unbreakablewordofthirtycharacters", 10),
            "Unbreakabl…"
        );
        assert_eq!(one_line("exactly", 7), "exactly");
    }
}
