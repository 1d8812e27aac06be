//! Session folder names, which carry the session's date, name, theme and style.
//!
//! - current: `YYYYMMDD_HHMMSS-<name>[-<theme>-<style>]`. What follows the first `-` is split on
//!   `-`: with one or two parts it is all the name; with three or more, the last two are the
//!   theme and the style and the rest (dashes kept) is the name;
//! - legacy: `YYYY-MM-DD_HHMMSS_<name>.prompt` (the `.prompt` suffix may be missing);
//! - anything else, including an impossible date or time (month 13, hour 25) or an empty name:
//!   [`NameShape::Other`], the whole folder name as the name and no date.

use chrono::{NaiveDate, NaiveDateTime};

const LEGACY_SUFFIX: &str = ".prompt";

#[derive(Debug, Clone, PartialEq)]
pub struct FolderName {
    /// The date and time the name holds (local wall-clock time, no zone).
    pub created_at: Option<NaiveDateTime>,
    pub name: String,
    /// Current shape with three or more parts only; an empty part is `None`.
    pub theme: Option<String>,
    pub style: Option<String>,
    pub shape: NameShape,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NameShape {
    /// `YYYYMMDD_HHMMSS-<name>[-<theme>-<style>]`
    Current,
    /// `YYYY-MM-DD_HHMMSS_<name>.prompt`
    Legacy,
    /// Any other name.
    Other,
}

impl FolderName {
    /// Reads a folder name (the last component, not a path). Never fails.
    pub fn parse(folder: &str) -> FolderName {
        parse_current(folder)
            .or_else(|| parse_legacy(folder))
            .unwrap_or_else(|| FolderName {
                created_at: None,
                name: folder.to_string(),
                theme: None,
                style: None,
                shape: NameShape::Other,
            })
    }
}

fn parse_current(folder: &str) -> Option<FolderName> {
    let head = folder.get(..16)?.as_bytes();
    let &[
        y0,
        y1,
        y2,
        y3,
        mo0,
        mo1,
        d0,
        d1,
        b'_',
        h0,
        h1,
        mi0,
        mi1,
        s0,
        s1,
        b'-',
    ] = head
    else {
        return None;
    };
    let created_at = datetime(
        [y0, y1, y2, y3],
        [mo0, mo1],
        [d0, d1],
        [h0, h1],
        [mi0, mi1],
        [s0, s1],
    )?;
    let rest = folder.get(16..)?;
    if rest.is_empty() {
        return None;
    }
    let mut parts = rest.rsplitn(3, '-');
    let (name, theme, style) = match (parts.next(), parts.next(), parts.next()) {
        (Some(style), Some(theme), Some(name)) if !name.is_empty() => {
            (name, non_empty(theme), non_empty(style))
        }
        _ => (rest, None, None),
    };
    Some(FolderName {
        created_at: Some(created_at),
        name: name.to_string(),
        theme,
        style,
        shape: NameShape::Current,
    })
}

fn parse_legacy(folder: &str) -> Option<FolderName> {
    let head = folder.get(..18)?.as_bytes();
    let &[
        y0,
        y1,
        y2,
        y3,
        b'-',
        mo0,
        mo1,
        b'-',
        d0,
        d1,
        b'_',
        h0,
        h1,
        mi0,
        mi1,
        s0,
        s1,
        b'_',
    ] = head
    else {
        return None;
    };
    let created_at = datetime(
        [y0, y1, y2, y3],
        [mo0, mo1],
        [d0, d1],
        [h0, h1],
        [mi0, mi1],
        [s0, s1],
    )?;
    let rest = folder.get(18..)?;
    let name = strip_suffix_ignore_case(rest, LEGACY_SUFFIX).unwrap_or(rest);
    if name.is_empty() {
        return None;
    }
    Some(FolderName {
        created_at: Some(created_at),
        name: name.to_string(),
        theme: None,
        style: None,
        shape: NameShape::Legacy,
    })
}

fn non_empty(part: &str) -> Option<String> {
    (!part.is_empty()).then(|| part.to_string())
}

fn strip_suffix_ignore_case<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = text.len().checked_sub(suffix.len())?;
    let end = text.get(cut..)?;
    end.eq_ignore_ascii_case(suffix)
        .then(|| text.get(..cut))
        .flatten()
}

/// The number that ASCII digits spell; `None` if any byte is not a digit.
fn number(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

fn datetime(
    year: [u8; 4],
    month: [u8; 2],
    day: [u8; 2],
    hour: [u8; 2],
    minute: [u8; 2],
    second: [u8; 2],
) -> Option<NaiveDateTime> {
    let year = i32::try_from(number(&year)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&month)?, number(&day)?)?.and_hms_opt(
        number(&hour)?,
        number(&minute)?,
        number(&second)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
