//! The key/value line of an A1111 infotext, scanned as A1111's `re_param.findall` does, in
//! linear time whatever the input.

use super::json_container;

/// Characters that scanning unquoted JSON values may visit per byte of the line (plus a fixed
/// allowance), so that pathological input such as `k: {k: {k: {...` stays linear.
const JSON_SCAN_FACTOR: usize = 4;
const JSON_SCAN_ALLOWANCE: usize = 65_536;

/// What an attempt to read a pair at one position of the line gave.
enum Attempt {
    Pair {
        key: String,
        value: String,
        end: usize,
    },
    NoPair {
        next: usize,
    },
}

/// All pairs of a line, as A1111's `re_param.findall(line)` finds them.
pub(super) fn parse_pairs(line: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut budget = line
        .len()
        .saturating_mul(JSON_SCAN_FACTOR)
        .saturating_add(JSON_SCAN_ALLOWANCE);
    let mut pos = 0;
    while pos < line.len() {
        match pair_at(line, pos, &mut budget) {
            Attempt::Pair { key, value, end } => {
                pairs.push((key, value));
                pos = end;
            }
            Attempt::NoPair { next } => pos = next,
        }
    }
    pairs
}

/// The text of `s` from byte `i`; empty when `i` is past the end or not a char boundary.
fn tail(s: &str, i: usize) -> &str {
    s.get(i..).unwrap_or("")
}

/// The first index at or after `i` that is not whitespace.
fn skip_whitespace(s: &str, i: usize) -> usize {
    let rest = tail(s, i);
    i + (rest.len() - rest.trim_start().len())
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_key_char(c: char) -> bool {
    is_word(c) || matches!(c, ' ' | '-' | '/')
}

/// Tries to read `\s*key:\s*value(,|$)` at `pos`. On failure, says where the next attempt may
/// start: every position skipped would fail the same way, which keeps the scan linear.
fn pair_at(line: &str, pos: usize, budget: &mut usize) -> Attempt {
    let key_start = skip_whitespace(line, pos);
    let after_ws = tail(line, key_start);
    let Some(first) = after_ws.chars().next() else {
        return Attempt::NoPair { next: line.len() };
    };
    if !is_word(first) {
        return Attempt::NoPair {
            next: key_start + first.len_utf8(),
        };
    }
    let key_len = after_ws
        .find(|c: char| !is_key_char(c))
        .unwrap_or(after_ws.len());
    let key_end = key_start + key_len;
    let key = after_ws.get(..key_len).unwrap_or("");
    if key.chars().nth(1).is_none() || !tail(line, key_end).starts_with(':') {
        return Attempt::NoPair { next: key_end };
    }
    let key = key.trim_end().to_string();
    let value_start = skip_whitespace(line, key_end + 1);
    let (value, end) = read_value(line, value_start, budget);
    Attempt::Pair { key, value, end }
}

/// Reads the value starting at `start`; returns it and the index after its separator.
fn read_value(line: &str, start: usize, budget: &mut usize) -> (String, usize) {
    let rest = tail(line, start);
    if rest.starts_with('"')
        && let Some(len) = quoted_len(rest)
        && let Some(end) = after_separator(line, start + len)
    {
        return (unquote(rest.get(..len).unwrap_or("")), end);
    }
    if (rest.starts_with('{') || rest.starts_with('['))
        && let Some(len) = bracketed_len(rest, budget)
        && let Some(raw) = rest.get(..len)
        && json_container(raw).is_some()
        && let Some(end) = after_separator(line, start + len)
    {
        return (raw.to_string(), end);
    }
    let (len, end) = match rest.find(',') {
        Some(comma) => (comma, start + comma + 1),
        None => (rest.len(), line.len()),
    };
    let raw = rest.get(..len).unwrap_or("").trim_end();
    let value = if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') {
        unquote(raw)
    } else {
        raw.to_string()
    };
    (value, end)
}

/// After a quoted or JSON value: optional whitespace, then a comma or the end of the line.
fn after_separator(line: &str, i: usize) -> Option<usize> {
    let i = skip_whitespace(line, i);
    let rest = tail(line, i);
    if rest.is_empty() {
        Some(line.len())
    } else if rest.starts_with(',') {
        Some(i + 1)
    } else {
        None
    }
}

/// The length of `"(?:\\.|[^\\"])+"` at the start of `s`.
fn quoted_len(s: &str) -> Option<usize> {
    let mut chars = s.char_indices().skip(1);
    let mut inner = 0usize;
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next()?;
                inner += 1;
            }
            '"' => return (inner > 0).then_some(i + 1),
            _ => inner += 1,
        }
    }
    None
}

/// The length of the bracketed text at the start of `s`, up to the bracket that closes the
/// first one, skipping over JSON strings. Spends `budget`; gives up when it runs out.
fn bracketed_len(s: &str, budget: &mut usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        *budget = budget.checked_sub(1)?;
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// A1111's `unquote`: the JSON string's content, or the text unchanged if it is not one.
fn unquote(raw: &str) -> String {
    serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_string())
}
