use super::*;
use chrono::NaiveDate;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(y, mo, d).and_then(|date| date.and_hms_opt(h, mi, s))
}

fn other(folder: &str) -> FolderName {
    FolderName {
        created_at: None,
        name: folder.to_string(),
        theme: None,
        style: None,
        shape: NameShape::Other,
    }
}

#[test]
fn a_current_name_with_theme_and_style() {
    let f = FolderName::parse("20240501_103000-portraits-autumn-watercolor");
    assert_eq!(f.shape, NameShape::Current);
    assert_eq!(f.created_at, at(2024, 5, 1, 10, 30, 0));
    assert_eq!(f.name, "portraits");
    assert_eq!(f.theme.as_deref(), Some("autumn"));
    assert_eq!(f.style.as_deref(), Some("watercolor"));
}

#[test]
fn a_current_name_with_more_parts_keeps_the_extra_dashes_in_the_name() {
    let f = FolderName::parse("20240501_103000-my-long-name-autumn-watercolor");
    assert_eq!(f.name, "my-long-name");
    assert_eq!(f.theme.as_deref(), Some("autumn"));
    assert_eq!(f.style.as_deref(), Some("watercolor"));
}

#[test]
fn a_current_name_with_one_or_two_parts_is_all_name() {
    let f = FolderName::parse("20240501_103000-portraits");
    assert_eq!(f.shape, NameShape::Current);
    assert_eq!(f.name, "portraits");
    assert_eq!((f.theme, f.style), (None, None));
    let f = FolderName::parse("20240501_103000-sci-fi");
    assert_eq!(f.name, "sci-fi");
    assert_eq!((f.theme, f.style), (None, None));
}

#[test]
fn a_current_name_with_spaces_underscores_and_unicode() {
    let f = FolderName::parse("20241231_235959-chats été_日本 🐱-thème-style à l'huile");
    assert_eq!(f.created_at, at(2024, 12, 31, 23, 59, 59));
    assert_eq!(f.name, "chats été_日本 🐱");
    assert_eq!(f.theme.as_deref(), Some("thème"));
    assert_eq!(f.style.as_deref(), Some("style à l'huile"));
}

#[test]
fn empty_parts_of_a_current_name() {
    let f = FolderName::parse("20240501_103000-name--style");
    assert_eq!(f.name, "name");
    assert_eq!(f.theme, None);
    assert_eq!(f.style.as_deref(), Some("style"));
    let f = FolderName::parse("20240501_103000--theme-style");
    assert_eq!(f.name, "-theme-style");
    assert_eq!((f.theme, f.style), (None, None));
    assert_eq!(
        FolderName::parse("20240501_103000-"),
        other("20240501_103000-")
    );
    assert_eq!(
        FolderName::parse("20240501_103000"),
        other("20240501_103000")
    );
}

#[test]
fn a_legacy_name() {
    let f = FolderName::parse("2024-05-01_103000_portraits d'été.prompt");
    assert_eq!(f.shape, NameShape::Legacy);
    assert_eq!(f.created_at, at(2024, 5, 1, 10, 30, 0));
    assert_eq!(f.name, "portraits d'été");
    assert_eq!((f.theme, f.style), (None, None));
}

#[test]
fn a_legacy_name_without_its_suffix_or_with_dashes_and_underscores() {
    let f = FolderName::parse("2023-01-02_030405_a_b-c 日本");
    assert_eq!(f.shape, NameShape::Legacy);
    assert_eq!(f.created_at, at(2023, 1, 2, 3, 4, 5));
    assert_eq!(f.name, "a_b-c 日本");
    let f = FolderName::parse("2023-01-02_030405_x.PROMPT");
    assert_eq!(f.name, "x");
    assert_eq!(
        FolderName::parse("2023-01-02_030405_.prompt"),
        other("2023-01-02_030405_.prompt")
    );
}

#[test]
fn impossible_dates_and_times_are_other() {
    for folder in [
        "20241301_103000-name",
        "20240230_103000-name",
        "20240501_253000-name",
        "20240501_106000-name",
        "20240501_103060-name",
        "2024-13-01_103000_name.prompt",
        "2024-05-01_250000_name.prompt",
        "2024-02-30_100000_name",
    ] {
        assert_eq!(FolderName::parse(folder), other(folder), "{folder}");
    }
}

#[test]
fn anything_else_is_other() {
    for folder in [
        "",
        "test",
        "my session",
        "2024050_103000-name",
        "2024-05-01 103000_name",
        "20240501-103000-name",
        "２０２４0501_103000-name",
        "+2024501_103000-name",
        "20240501_10300é-name",
        "日本語のフォルダ",
    ] {
        assert_eq!(FolderName::parse(folder), other(folder), "{folder}");
    }
}

#[test]
fn every_split_of_a_multibyte_name_parses() {
    let names = [
        "20240501_103000-日本-é-🐱",
        "2024-05-01_103000_日本é🐱.prompt",
    ];
    for name in names {
        for (i, _) in name.char_indices() {
            let _ = FolderName::parse(&name[..i]);
            let _ = FolderName::parse(&name[i..]);
        }
        let bytes = name.as_bytes();
        for i in 0..=bytes.len() {
            let _ = FolderName::parse(&String::from_utf8_lossy(&bytes[..i]));
        }
    }
    // A multi-byte character right where the date's fixed fields end.
    assert_eq!(
        FolderName::parse("20240501_10300é"),
        other("20240501_10300é")
    );
    assert_eq!(
        FolderName::parse("2024-05-01_10300日_x"),
        other("2024-05-01_10300日_x")
    );
}
