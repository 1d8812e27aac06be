//! How a CSV cell writes what is not plain text, so every reader opens the file at its default
//! settings and gets the right types back:
//! - a float always has a decimal point (`7.0`, never `7`), so a reader that guesses a
//!   column's type from its first rows does not take `cfg_scale` for an integer column and
//!   then fail on `7.5`;
//! - a line break inside a text is written `\n` (`\r` for a carriage return), so every record
//!   is one line (pyarrow's reader, by default, refuses quoted line breaks). A backslash is
//!   doubled only where it would otherwise read as one of these escapes (before `n`, `r`, a
//!   backslash or a line break), so prompts' `\(` and `\)` stay as A1111 wrote them and the
//!   scheme is lossless: [`unescape_line_breaks`] gives the text back;
//! - lists and JSON values are compact JSON text (`["a","b;c"]`), which holds no line break.

use std::fmt::Write as _;

use serde_json::Value;

/// `x` as a CSV float: Rust's shortest round-trip form, with `.0` added to a whole number.
pub fn float(x: f64, out: &mut String) {
    let start = out.len();
    let _ = write!(out, "{x}");
    if x.is_finite() && !out[start..].contains('.') {
        out.push_str(".0");
    }
}

/// Whether `text` needs [`escape_line_breaks`] (most cells do not, and are written as they
/// are, without a copy).
pub fn has_line_break_or_escape(text: &str) -> bool {
    text.bytes().any(|b| matches!(b, b'\n' | b'\r' | b'\\'))
}

/// `text` with its line breaks written `\n` and `\r`, and a backslash doubled where it would
/// read as an escape.
pub fn escape_line_breaks(text: &str, out: &mut String) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\\' => {
                out.push('\\');
                if matches!(chars.peek(), Some('n' | 'r' | '\\' | '\n' | '\r')) {
                    out.push('\\');
                }
            }
            other => out.push(other),
        }
    }
}

/// The inverse of [`escape_line_breaks`] (the tests and docs/export.md's Python do the same).
pub fn unescape_line_breaks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            _ => {
                out.push('\\');
                continue;
            }
        }
        chars.next();
    }
    out
}

/// A list as a JSON array of strings.
pub fn list(items: &[String], out: &mut String) {
    let _ = write!(out, "{}", Value::from(items));
}

/// A JSON value as compact JSON text.
pub fn json(value: &Value, out: &mut String) {
    let _ = write!(out, "{value}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = String::new();
        escape_line_breaks(text, &mut out);
        out
    }

    #[test]
    fn line_breaks_become_escapes_and_come_back_whatever_the_backslashes_around_them() {
        for text in [
            "a fox,\nin the snow\r\n",
            r"\(masterpiece\), 1.2",
            r"C:\new\road\\",
            "ends with \\",
            "\\\n\\\\n\\r\\",
            "",
        ] {
            let written = escaped(text);
            assert!(!written.contains(['\n', '\r']), "{written:?}");
            assert_eq!(unescape_line_breaks(&written), text, "{written:?}");
        }
        assert_eq!(
            escaped(r"\(masterpiece\)"),
            r"\(masterpiece\)",
            "A1111's escapes kept"
        );
        assert_eq!(escaped("a\nb"), r"a\nb");
        assert_eq!(
            escaped(r"a\nb"),
            r"a\\nb",
            "a written backslash-n is told apart"
        );
    }

    #[test]
    fn a_whole_float_keeps_its_decimal_point() {
        let text = |x: f64| {
            let mut out = String::new();
            float(x, &mut out);
            out
        };
        assert_eq!(text(7.0), "7.0");
        assert_eq!(text(7.5), "7.5");
        assert_eq!(text(-0.0), "-0.0");
        assert_eq!(text(1e21), "1000000000000000000000.0");
        assert_eq!(text(0.000_1), "0.0001");
        assert_eq!(text(f64::NAN), "NaN");
    }

    #[test]
    fn a_list_is_a_json_array_that_keeps_semicolons_and_quotes() {
        let mut out = String::new();
        list(&["a;b".to_owned(), "say \"hi\"".to_owned()], &mut out);
        assert_eq!(out, r#"["a;b","say \"hi\""]"#);
    }
}
