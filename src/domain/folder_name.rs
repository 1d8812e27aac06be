//! Session folder names, which carry the session's date, name, theme and style.
//!
//! - current: `YYYYMMDD_HHMMSS-<name>[-<theme>-<style>]`. What follows the first `-` is split on
//!   `-`: with one or two parts it is all the name; with three or more, the last two are the
//!   theme and the style and the rest (dashes kept) is the name;
//! - legacy: `YYYY-MM-DD_HHMMSS_<name>.prompt` (the `.prompt` suffix may be missing);
//! - anything else, including an impossible date or time (month 13, hour 25) or an empty name:
//!   [`NameShape::Other`], the whole folder name as the name and no date.

use chrono::{NaiveDateTime, Timelike};

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
    let (created_at, rest) = leading_date(folder, "YYYYMMDD_HHMMSS", "%Y%m%d_%H%M%S", '-')?;
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
    let (created_at, rest) = leading_date(folder, "YYYY-MM-DD_HHMMSS", "%Y-%m-%d_%H%M%S", '_')?;
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

/// The date at the start of `folder` when the characters there have exactly the shape of
/// `pattern` (`Y`, `M`, `D`, `H`, `S` standing for digits) and are followed by `separator`;
/// with the rest of the name.
fn leading_date<'a>(
    folder: &'a str,
    pattern: &str,
    format: &str,
    separator: char,
) -> Option<(NaiveDateTime, &'a str)> {
    let head = folder.get(..pattern.len())?;
    let shaped = head.bytes().zip(pattern.bytes()).all(|(c, p)| {
        if p.is_ascii_uppercase() {
            c.is_ascii_digit()
        } else {
            c == p
        }
    });
    if !shaped {
        return None;
    }
    let rest = folder.get(pattern.len()..)?.strip_prefix(separator)?;
    let date = NaiveDateTime::parse_from_str(head, format).ok()?;
    // chrono reads second 60 as a leap second; a folder name with it is not a date.
    (date.nanosecond() < 1_000_000_000).then_some((date, rest))
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

#[cfg(test)]
mod tests;

#[cfg(test)]
mod props;
