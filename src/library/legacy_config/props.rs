//! Properties of the `session_config.txt` reader on any text: no panic, fields no larger than
//! the text, and a file written field by field reads back field by field.

use proptest::prelude::*;

use super::*;

const LABELS: &[&str] = &[
    "Date de génération",
    "Nom de session",
    "Prompt de base",
    "Prompt négatif",
    "seed",
    "max_images",
    "Modèle utilisé",
    "Remarque",
];

fn config_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Prompt de base:"),
        Just("Nom de session:"),
        Just("Date de génération:"),
        Just("seed:"),
        Just("==="),
        Just("---"),
        Just(":"),
        Just("\n"),
        Just("\r\n"),
        Just("\n\n"),
        Just(" "),
        Just("\u{feff}"),
        Just("\u{301}"),
        Just("- "),
        Just("a cat"),
        Just("é"),
        Just("42"),
        Just("2024-05-01 10:00:00"),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn size(config: &LegacyConfig) -> usize {
    config.fields.iter().map(|(l, v)| l.len() + v.len()).sum()
}

proptest! {
    #![proptest_config(crate::proptest_config::with_cases(512))]

    #[test]
    fn any_text_reads_without_panic_into_no_more_than_it_holds(text in any::<String>()) {
        prop_assert!(size(&LegacyConfig::parse(&text)) <= text.len());
    }

    #[test]
    fn config_like_text_reads_into_no_more_than_it_holds(text in config_like()) {
        prop_assert!(size(&LegacyConfig::parse(&text)) <= text.len());
    }

    #[test]
    fn fields_written_one_a_line_read_back_in_order(
        fields in prop::collection::vec(
            (prop::sample::select(LABELS), "([a-zA-Z0-9é,.]([a-zA-Z0-9é ,.]{0,20}[a-zA-Z0-9é,.])?)?"),
            0..8,
        ),
    ) {
        let text: String = fields.iter().map(|(l, v)| format!("{l}: {v}\n")).collect();
        let read = LegacyConfig::parse(&format!("=== Configuration de session ===\n{text}"));
        let expected: Vec<(String, String)> =
            fields.iter().map(|(l, v)| ((*l).to_owned(), v.clone())).collect();
        prop_assert_eq!(&read.fields, &expected);
        let last = |label: &str| fields.iter().rev().find(|(l, _)| *l == label).map(|(_, v)| v);
        prop_assert_eq!(
            read.session_name.as_ref(),
            last("Nom de session").filter(|v| !v.is_empty())
        );
        prop_assert_eq!(read.seed, last("seed").and_then(|v| v.parse().ok()));
    }
}
