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
mod tests;
