//! Properties of the A1111 parser on any text: no panic, nothing larger than the input, and
//! parse-print-parse gives back what the first parse gave.

use proptest::prelude::*;

use super::*;

/// Pieces that make the parser take its branches: keys, separators, quotes, JSON, line breaks.
fn infotext() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Negative prompt:"),
        Just("Steps"),
        Just("Seed"),
        Just("Size"),
        Just("Model hash"),
        Just("Lora hashes"),
        Just(": "),
        Just(":"),
        Just(", "),
        Just(","),
        Just("\""),
        Just("\\"),
        Just("\"a, b: c\""),
        Just("{"),
        Just("}"),
        Just("["),
        Just("]"),
        Just("{\"k\": \"v, w\"}"),
        Just("\n"),
        Just("\r\n"),
        Just(" "),
        Just("-"),
        Just("/"),
        Just("a"),
        Just("cat"),
        Just("é"),
        Just("日本"),
        Just("7"),
        Just("512x768"),
    ];
    prop::collection::vec(piece, 0..48).prop_map(|pieces| pieces.concat())
}

fn size(p: &Parameters) -> usize {
    p.prompt.len()
        + p.negative_prompt.as_ref().map_or(0, String::len)
        + p.values
            .iter()
            .map(|(k, v)| k.len() + v.len())
            .sum::<usize>()
}

proptest! {
    #![proptest_config(crate::proptest_config::with_cases(512))]

    #[test]
    fn any_text_parses_without_panic_into_no_more_than_it_holds(text in any::<String>()) {
        let parsed = Parameters::parse(&text);
        prop_assert!(size(&parsed) <= text.len());
    }

    #[test]
    fn infotext_like_text_parses_into_no_more_than_it_holds(text in infotext()) {
        let parsed = Parameters::parse(&text);
        prop_assert!(size(&parsed) <= text.len());
    }

    #[test]
    fn parse_print_parse_gives_the_first_parse_back(text in infotext()) {
        let first = Parameters::parse(&text);
        // Two things a first parse may give that the format cannot hold, in A1111's own parser
        // as in ours: a negative prompt line that itself starts with `Negative prompt:` (the
        // prefix is taken off every line that has it), and prompt text with no key/value line
        // whose last line, once written, reads as one (`Negative prompt: ` is itself a key).
        let negative = first.negative_prompt.as_deref().unwrap_or_default();
        prop_assume!(!negative.lines().any(|l| l.trim_start().starts_with(NEGATIVE_PREFIX)));
        let printed = first.to_text();
        let last_line = printed.trim().rsplit('\n').next().unwrap_or_default();
        prop_assume!(!first.values.is_empty() || parse_pairs(last_line).len() < MIN_PAIRS);
        let again = Parameters::parse(&printed);
        prop_assert_eq!(again, first);
    }
}
