use super::*;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(y, mo, d).and_then(|date| date.and_hms_opt(h, mi, s))
}

const FULL: &str = "\
=== Configuration de la session ===
Date de génération: 2024-05-01 10:00:00
Nom de session: portraits d'été

Prompt de base: a portrait of {Person}, (masterpiece:1.2),
in the style of {Style}

highly detailed
Prompt négatif: blurry, lowres,
bad hands
seed: 42
max_images: 100
Modèle: sd_v15.safetensors
=====================

Variations:
- Person: cat, dog
";

#[test]
fn a_realistic_file_is_read_whole() {
    let c = LegacyConfig::parse(FULL);
    assert_eq!(c.generated_at, at(2024, 5, 1, 10, 0, 0));
    assert_eq!(c.session_name.as_deref(), Some("portraits d'été"));
    assert_eq!(
        c.prompt.as_deref(),
        Some(
            "a portrait of {Person}, (masterpiece:1.2),\nin the style of {Style}\n\nhighly detailed"
        )
    );
    assert_eq!(
        c.negative_prompt.as_deref(),
        Some("blurry, lowres,\nbad hands")
    );
    assert_eq!(c.seed, Some(42));
    assert_eq!(c.max_images, Some(100));
    let labels: Vec<&str> = c.fields.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Date de génération",
            "Nom de session",
            "Prompt de base",
            "Prompt négatif",
            "seed",
            "max_images",
            "Modèle",
            "Variations",
            "Person"
        ]
    );
    assert_eq!(c.fields[6].1, "sd_v15.safetensors");
    assert_eq!(c.fields[8].1, "cat, dog");
}

#[test]
fn missing_fields_stay_none() {
    let c = LegacyConfig::parse("Nom de session: test\n");
    assert_eq!(c.session_name.as_deref(), Some("test"));
    assert_eq!(
        (
            c.generated_at,
            c.prompt,
            c.negative_prompt,
            c.seed,
            c.max_images
        ),
        (None, None, None, None, None)
    );
    assert_eq!(LegacyConfig::parse(""), LegacyConfig::default());
}

#[test]
fn windows_line_endings_and_a_bom() {
    let text = "\u{feff}Date de génération: 2024-05-01 10:00:00\r\nPrompt de base: a\r\nb\r\n\r\nseed: 7\r\n";
    let c = LegacyConfig::parse(text);
    assert_eq!(c.generated_at, at(2024, 5, 1, 10, 0, 0));
    assert_eq!(c.prompt.as_deref(), Some("a\nb"));
    assert_eq!(c.seed, Some(7));
    assert_eq!(c.fields[0].0, "Date de génération");
}

#[test]
fn labels_match_ignoring_case_accents_and_separators() {
    let text = "DATE DE GENERATION : 2024-05-01T10:00:00\nnom_de_session: x\nPROMPT DE BASE: p\nPrompt negatif: n\nSEED: -3\nmax-images: 5";
    let c = LegacyConfig::parse(text);
    assert_eq!(c.generated_at, at(2024, 5, 1, 10, 0, 0));
    assert_eq!(c.session_name.as_deref(), Some("x"));
    assert_eq!(c.prompt.as_deref(), Some("p"));
    assert_eq!(c.negative_prompt.as_deref(), Some("n"));
    assert_eq!(c.seed, Some(-3));
    assert_eq!(c.max_images, Some(5));
    // Decomposed accents (e + U+0301).
    let c = LegacyConfig::parse("Prompt ne\u{301}gatif: n");
    assert_eq!(c.negative_prompt.as_deref(), Some("n"));
}

#[test]
fn the_accepted_date_formats() {
    for (text, expected) in [
        ("2024-05-01 10:00:00", at(2024, 5, 1, 10, 0, 0)),
        ("2024-05-01T10:00:00", at(2024, 5, 1, 10, 0, 0)),
        ("01/05/2024 10:00", at(2024, 5, 1, 10, 0, 0)),
        ("01/05/2024 à 10:00", at(2024, 5, 1, 10, 0, 0)),
        ("2024-05-01 10:00", at(2024, 5, 1, 10, 0, 0)),
        ("2024-05-01", at(2024, 5, 1, 0, 0, 0)),
        ("2024-05-01T10:00:00+02:00", at(2024, 5, 1, 10, 0, 0)),
        ("13/13/2024 10:00", None),
        ("hier", None),
    ] {
        let c = LegacyConfig::parse(&format!("Date de génération: {text}"));
        assert_eq!(c.generated_at, expected, "{text}");
    }
    let c = LegacyConfig::parse("Date de génération: 2024-05-01 10:00:00.250000");
    let expected =
        NaiveDate::from_ymd_opt(2024, 5, 1).and_then(|d| d.and_hms_milli_opt(10, 0, 0, 250));
    assert_eq!(c.generated_at, expected);
}

#[test]
fn prompt_text_with_colons_continues_the_prompt() {
    let text = "Prompt de base:\na cat, style: watercolor\n(best quality:1.3)\nhttps://example.org/x\nseed: 1";
    let c = LegacyConfig::parse(text);
    assert_eq!(
        c.prompt.as_deref(),
        Some("a cat, style: watercolor\n(best quality:1.3)")
    );
    // A label-shaped line ends the prompt, and is kept as a field.
    assert_eq!(
        c.fields[1],
        ("https".to_string(), "//example.org/x".to_string())
    );
    assert_eq!(c.seed, Some(1));
}

#[test]
fn lines_that_continue_nothing_are_skipped() {
    let c = LegacyConfig::parse("stray text\nNom de session: s\nmore stray text\n---\nafter");
    assert_eq!(c.fields, [("Nom de session".to_string(), "s".to_string())]);
    assert_eq!(c.session_name.as_deref(), Some("s"));
}

#[test]
fn unreadable_numbers_and_empty_values_are_none_but_kept_as_fields() {
    let c = LegacyConfig::parse("seed: abc\nmax_images: 1e9\nNom de session:\nPrompt négatif:");
    assert_eq!((c.seed, c.max_images), (None, None));
    assert_eq!(c.session_name, None);
    assert_eq!(c.negative_prompt, None);
    assert_eq!(c.fields.len(), 4);
}

#[test]
fn the_last_of_repeated_labels_wins() {
    let c = LegacyConfig::parse("seed: 1\nseed: 2");
    assert_eq!(c.seed, Some(2));
    assert_eq!(c.fields.len(), 2);
}

#[test]
fn serializes_the_date_as_iso_8601() {
    let c = LegacyConfig::parse("Date de génération: 2024-05-01 10:00:00\nseed: 4");
    let json = serde_json::to_value(&c).unwrap_or_default();
    assert_eq!(json["generated_at"], "2024-05-01T10:00:00");
    assert_eq!(json["seed"], 4);
    assert_eq!(json["fields"][1], serde_json::json!(["seed", "4"]));
    let json = serde_json::to_value(LegacyConfig::default()).unwrap_or_default();
    assert!(json.is_object());
    assert_eq!(json["generated_at"], serde_json::Value::Null);
}

#[test]
fn garbage_and_every_split_never_panic() {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let alphabet = [
        'a', 'é', '日', '😀', ':', ':', '\n', '\r', ' ', '=', '-', '\u{feff}', '\u{301}', '/', '0',
        '9', 'P',
    ];
    for _ in 0..3000 {
        let mut text = String::new();
        for _ in 0..(state % 80) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let i = usize::try_from(state % alphabet.len() as u64).unwrap_or(0);
            text.push(alphabet[i]);
        }
        let _ = LegacyConfig::parse(&text);
        let _ = LegacyConfig::parse(&format!("Prompt de base: {text}"));
        let _ = LegacyConfig::parse(&format!("Date de génération: {text}"));
    }
    for (i, _) in FULL.char_indices() {
        let _ = LegacyConfig::parse(&FULL[..i]);
        let _ = LegacyConfig::parse(&FULL[i..]);
    }
    let bytes = FULL.as_bytes();
    for i in 0..=bytes.len() {
        let _ = LegacyConfig::parse(&String::from_utf8_lossy(&bytes[..i]));
    }
}
