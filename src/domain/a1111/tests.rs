use super::*;

const CANONICAL: &str = "a cat, watercolor\nNegative prompt: blurry, lowres\nSteps: 30, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 42, Size: 512x768, Model hash: 6ce0161689, Model: sd_v15, Version: v1.10.1";

fn pairs(p: &Parameters) -> Vec<(&str, &str)> {
    p.values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[test]
fn a_typical_infotext_parses_into_prompt_negative_and_values() {
    let p = Parameters::parse(CANONICAL);
    assert_eq!(p.prompt, "a cat, watercolor");
    assert_eq!(p.negative_prompt.as_deref(), Some("blurry, lowres"));
    assert_eq!(p.values.len(), 9);
    assert_eq!(p.steps(), Some(30));
    assert_eq!(p.sampler(), Some("DPM++ 2M"));
    assert_eq!(p.scheduler(), Some("Karras"));
    assert_eq!(p.cfg_scale(), Some(7.0));
    assert_eq!(p.seed(), Some(42));
    assert_eq!(p.size(), Some((512, 768)));
    assert_eq!(p.model_hash(), Some("6ce0161689"));
    assert_eq!(p.model(), Some("sd_v15"));
    assert_eq!(p.get("Version"), Some("v1.10.1"));
    assert_eq!(p.get("version"), None);
}

const REAL_WORLD: &str = "masterpiece, best quality, 1girl, <lora:add_detail:0.5>\nNegative prompt: (worst quality, low quality:1.4), EasyNegative\nSteps: 25, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7.5, Seed: 1234567890, Size: 512x768, Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Denoising strength: 0.45, Clip skip: 2, ADetailer model: face_yolov8n.pt, ADetailer prompt: \"smile, blue eyes\", ADetailer version: 24.1.2, Hires upscale: 2, Hires upscaler: R-ESRGAN 4x+, Lora hashes: \"add_detail: 7c6bad76eb54\", TI hashes: \"EasyNegative: c74b4e810b03\", Hashes: {\"vae\": \"c6a580b13a\", \"lora:add_detail\": \"7c6bad76eb\"}, Version: v1.10.1";

#[test]
fn a_real_world_infotext_with_extensions_parses_and_round_trips() {
    let p = Parameters::parse(REAL_WORLD);
    assert_eq!(
        p.prompt,
        "masterpiece, best quality, 1girl, <lora:add_detail:0.5>"
    );
    assert_eq!(
        p.negative_prompt.as_deref(),
        Some("(worst quality, low quality:1.4), EasyNegative")
    );
    assert_eq!(p.values.len(), 19);
    assert_eq!(p.cfg_scale(), Some(7.5));
    assert_eq!(p.seed(), Some(1_234_567_890));
    assert_eq!(p.model(), Some("v1-5-pruned-emaonly"));
    assert_eq!(p.get("ADetailer prompt"), Some("smile, blue eyes"));
    assert_eq!(p.get("Hires upscaler"), Some("R-ESRGAN 4x+"));
    assert_eq!(p.get("Lora hashes"), Some("add_detail: 7c6bad76eb54"));
    assert_eq!(
        p.values_json()["Hashes"]["lora:add_detail"],
        Value::String("7c6bad76eb".into())
    );
    assert_eq!(p.to_text(), REAL_WORLD);
}

#[test]
fn quoted_values_may_hold_commas_and_colons() {
    let p = Parameters::parse(
        "x\nSteps: 20, Lora hashes: \"a: 1, b: 2\", ADetailer prompt: \"face, \\\"smile\\\"\\nline2\", Seed: 1",
    );
    assert_eq!(p.get("Lora hashes"), Some("a: 1, b: 2"));
    assert_eq!(p.get("ADetailer prompt"), Some("face, \"smile\"\nline2"));
    assert_eq!(p.seed(), Some(1));
    assert_eq!(p.values.len(), 4);
}

#[test]
fn an_unquoted_json_object_is_one_value_and_becomes_json() {
    let p = Parameters::parse(
        "x\nSteps: 20, Hashes: {\"vae\": \"c6a5\", \"model\": \"e6bb\", \"s\": \"}, {\"}, Seed: 5, TI: [1, 2]",
    );
    assert_eq!(
        p.get("Hashes"),
        Some("{\"vae\": \"c6a5\", \"model\": \"e6bb\", \"s\": \"}, {\"}")
    );
    assert_eq!(p.seed(), Some(5));
    assert_eq!(p.get("TI"), Some("[1, 2]"));
    let json = p.values_json();
    let keys: Vec<&str> = json.keys().map(String::as_str).collect();
    assert_eq!(keys, ["Steps", "Hashes", "Seed", "TI"]);
    assert_eq!(json["Steps"], Value::String("20".into()));
    assert_eq!(json["Hashes"]["model"], Value::String("e6bb".into()));
    assert_eq!(json["TI"], serde_json::json!([1, 2]));
}

#[test]
fn brackets_that_are_not_json_end_at_the_comma() {
    let p = Parameters::parse("x\nSteps: 20, Wildcard: [a, b], Seed: 5, Other: {oops");
    assert_eq!(p.get("Wildcard"), Some("[a"));
    assert_eq!(p.seed(), Some(5));
    assert_eq!(p.get("Other"), Some("{oops"));
    assert_eq!(p.values_json()["Wildcard"], Value::String("[a".into()));
}

#[test]
fn unicode_prompts_keys_and_values_are_kept() {
    let text = "café au lait, 日本語の猫 🐱\nNegative prompt: flou, 醜い 😡\nSteps: 20, Modèle: été, Seed: 3, Note: \"ß, ü\"";
    let p = Parameters::parse(text);
    assert_eq!(p.prompt, "café au lait, 日本語の猫 🐱");
    assert_eq!(p.negative_prompt.as_deref(), Some("flou, 醜い 😡"));
    assert_eq!(p.get("Modèle"), Some("été"));
    assert_eq!(p.get("Note"), Some("ß, ü"));
    assert_eq!(p.to_text(), text);
}

#[test]
fn without_a_negative_prompt_line_the_negative_is_none() {
    let p = Parameters::parse("a dog\nSteps: 20, Seed: 1, Size: 64x64");
    assert_eq!(p.prompt, "a dog");
    assert_eq!(p.negative_prompt, None);
    assert_eq!(p.size(), Some((64, 64)));
}

#[test]
fn an_empty_negative_prompt_is_some_empty() {
    let p = Parameters::parse("a dog\nNegative prompt: \nSteps: 20, Seed: 1, Size: 64x64");
    assert_eq!(p.negative_prompt.as_deref(), Some(""));
    assert_eq!(
        p.to_text(),
        "a dog\nNegative prompt:\nSteps: 20, Seed: 1, Size: 64x64"
    );
}

#[test]
fn multi_line_prompt_and_negative_keep_their_newlines() {
    let text = "line one,\n  indented two\n\nfour\nNegative prompt: bad,\nworse\n\nworst\nSteps: 20, Seed: 1, Size: 64x64";
    let p = Parameters::parse(text);
    assert_eq!(p.prompt, "line one,\n  indented two\n\nfour");
    assert_eq!(p.negative_prompt.as_deref(), Some("bad,\nworse\n\nworst"));
    assert_eq!(p.to_text(), text);
}

#[test]
fn a_last_line_with_fewer_than_three_pairs_stays_in_the_prompt() {
    let p = Parameters::parse("a portrait\nstyle: oil, mood: calm");
    assert_eq!(p.prompt, "a portrait\nstyle: oil, mood: calm");
    assert!(p.values.is_empty());
    let p = Parameters::parse("a portrait\nNegative prompt: x\nstyle: oil, mood: calm");
    assert_eq!(
        p.negative_prompt.as_deref(),
        Some("x\nstyle: oil, mood: calm")
    );
    assert!(p.values.is_empty());
}

#[test]
fn crlf_line_endings_are_accepted() {
    let p = Parameters::parse(
        "a\r\nb\r\nNegative prompt: c\r\nd\r\nSteps: 20, Seed: 1, Size: 64x64\r\n",
    );
    assert_eq!(p.prompt, "a\nb");
    assert_eq!(p.negative_prompt.as_deref(), Some("c\nd"));
    assert_eq!(p.get("Size"), Some("64x64"));
}

#[test]
fn empty_and_blank_text_give_an_empty_prompt() {
    for text in ["", "   ", "\n\r\n"] {
        let p = Parameters::parse(text);
        assert_eq!(p.prompt, "");
        assert_eq!(p.negative_prompt, None);
        assert!(p.values.is_empty());
        assert_eq!(p.to_text(), "");
    }
}

#[test]
fn text_with_only_key_values_has_an_empty_prompt() {
    let text = "Steps: 20, Seed: 1, Size: 64x64";
    let p = Parameters::parse(text);
    assert_eq!(p.prompt, "");
    assert_eq!(p.values.len(), 3);
    assert_eq!(p.to_text(), text);
}

#[test]
fn trailing_commas_and_extra_spaces_are_tolerated() {
    let p = Parameters::parse("x\n  Steps:20 ,  Seed :  7  ,Size: 8x9,  CFG scale: 4.5 , ");
    assert_eq!(
        pairs(&p),
        [
            ("Steps", "20"),
            ("Seed", "7"),
            ("Size", "8x9"),
            ("CFG scale", "4.5")
        ]
    );
    assert_eq!(p.seed(), Some(7));
    assert_eq!(p.cfg_scale(), Some(4.5));
}

#[test]
fn text_between_pairs_that_is_no_pair_is_skipped_as_a1111_does() {
    let p = Parameters::parse("x\nSteps: 20, junk, Seed: 1, a: b, Size: 1x2");
    assert_eq!(pairs(&p), [("Steps", "20"), ("Seed", "1"), ("Size", "1x2")]);
}

#[test]
fn a_quote_not_followed_by_a_comma_falls_back_to_the_comma() {
    let p = Parameters::parse("x\nSteps: 20, Odd: \"a\" b, Empty: \"\", Seed: 1");
    assert_eq!(p.get("Odd"), Some("\"a\" b"));
    assert_eq!(p.get("Empty"), Some(""));
    assert_eq!(p.seed(), Some(1));
}

#[test]
fn typed_accessors_reject_bad_numbers() {
    let p = Parameters::parse("x\nSteps: many, Seed: 1.5, CFG scale: NaN, Size: 0x5");
    assert_eq!(p.steps(), None);
    assert_eq!(p.seed(), None);
    assert_eq!(p.cfg_scale(), None);
    assert_eq!(p.size(), None);
    let p = Parameters::parse("x\nSteps: 1, Seed: -1, Size: 512 x 768");
    assert_eq!(p.seed(), Some(-1));
    assert_eq!(p.size(), Some((512, 768)));
}

#[test]
fn a_repeated_key_reads_its_last_value() {
    let p = Parameters::parse("x\nSeed: 1, Steps: 2, Seed: 3");
    assert_eq!(p.seed(), Some(3));
    assert_eq!(p.values_json()["Seed"], Value::String("3".into()));
    assert_eq!(p.values_json().len(), 2);
}

#[test]
fn canonical_texts_round_trip() {
    let texts = [
        CANONICAL,
        "a\nb\nNegative prompt: c\nd\nSteps: 20, Seed: 1, Size: 64x64",
        "p\nSteps: 20, Lora hashes: \"a: 1, b: 2\", Hashes: {\"vae\": \"c6a5\", \"model\": \"e6bb\"}, Seed: 9",
        "p\nNegative prompt: n\nSteps: 20, Prompt: \"line\\nbreak\", Quote: \"\\\"q\\\"\", Pad: \" x \", Seed: 9",
        "日本語 ✨\nNegative prompt: 👎\nÉtapes: 20, ADetailer model 2nd: face_yolov8n.pt, Hires upscale: 2, Seed: 1",
    ];
    for text in texts {
        let p = Parameters::parse(text);
        assert_eq!(p.to_text(), text);
        assert_eq!(Parameters::parse(&p.to_text()), p);
    }
}

#[test]
fn to_text_quotes_values_that_need_it() {
    let p = Parameters {
        prompt: "p".into(),
        negative_prompt: None,
        values: vec![
            ("Aa".into(), "x, y".into()),
            ("Bb".into(), "k: v".into()),
            ("Cc".into(), "two\nlines".into()),
            ("Dd".into(), "{\"a\": 1}".into()),
            ("Ee".into(), "{\n\"a\": 1}".into()),
            ("Ff".into(), "plain".into()),
        ],
    };
    let text = p.to_text();
    assert_eq!(
        text,
        "p\nAa: \"x, y\", Bb: \"k: v\", Cc: \"two\\nlines\", Dd: {\"a\": 1}, Ee: \"{\\n\\\"a\\\": 1}\", Ff: plain"
    );
    assert_eq!(Parameters::parse(&text), p);
}

/// A small deterministic generator, so the garbage test needs no extra crate.
struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }
}

fn exercise(text: &str) {
    let p = Parameters::parse(text);
    let _ = (p.seed(), p.steps(), p.cfg_scale(), p.size(), p.sampler());
    let _ = (p.scheduler(), p.model(), p.model_hash(), p.values_json());
    let again = Parameters::parse(&p.to_text());
    let _ = again.to_text();
}

#[test]
fn garbage_never_panics() {
    const ALPHABET: &[char] = &[
        'a', 'K', 'z', '0', '9', ' ', ' ', ',', ',', ':', ':', '"', '"', '\\', '{', '}', '[', ']',
        '\n', '\r', '\t', '-', '/', '_', 'é', '日', '😀', '\u{feff}', '\u{0301}', 'x',
    ];
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let len = rng.below(120);
        let text: String = (0..len)
            .map(|_| ALPHABET[rng.below(ALPHABET.len())])
            .collect();
        exercise(&text);
        exercise(&format!("prompt\nSteps: 1, Seed: 2, {text}"));
    }
}

#[test]
fn every_split_of_multibyte_text_parses() {
    let text = "日本語 é 🐱\nNegative prompt: ü 😡\nSteps: 20, Modèle: été, Hashes: {\"ü\": \"日\"}, Note: \"ß, 🐱\"";
    for (i, _) in text.char_indices() {
        exercise(&text[..i]);
        exercise(&text[i..]);
    }
    let bytes = text.as_bytes();
    for i in 0..=bytes.len() {
        exercise(&String::from_utf8_lossy(&bytes[..i]));
        exercise(&String::from_utf8_lossy(&bytes[i..]));
    }
}

#[test]
fn pathological_lines_stay_fast() {
    let nested = "kk: {, ".repeat(50_000);
    let p = Parameters::parse(&nested);
    assert!(p.values.len() > 3);
    let words = "word ".repeat(50_000);
    assert!(Parameters::parse(&words).values.is_empty());
    let spaces = format!("{}x", " \t".repeat(50_000));
    assert!(Parameters::parse(&spaces).values.is_empty());
    let quotes = "kk: \"x\\\", ".repeat(20_000);
    let _ = Parameters::parse(&quotes);
}

/// `k : v` reads as the key `k` (the space trimmed); written as `k: v` it would no longer be a
/// key, since a key has two characters at least. Found by the property tests.
#[test]
fn a_one_letter_key_is_written_so_that_it_reads_back() {
    let first = Parameters::parse("a cat\nk : 1, Steps: 20, Seed: 42");
    assert_eq!(first.get("k"), Some("1"));
    assert_eq!(first.to_text(), "a cat\nk : 1, Steps: 20, Seed: 42");
    assert_eq!(Parameters::parse(&first.to_text()), first);
}
