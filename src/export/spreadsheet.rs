//! CSV for spreadsheets: a text cell that begins like a formula is written with a leading `'`,
//! so it opens as the text it is. Every CSV sdreview writes goes through [`formula_prefix`] (the
//! export's sink does; a new CSV writer should too).

use std::borrow::Cow;

/// What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection): `=`,
/// `+`, `-`, `@`, and a tab or carriage return before them.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The prefix that makes `text` plain text to a spreadsheet, when it needs one: a note, a
/// prompt or a name that begins like a formula (`=HYPERLINK(...)`, `-2+3`) would run when the
/// file is opened. A number written as text (`-1`, `-0.5`) is left as it is: a spreadsheet reads
/// it as the number it is, and a quote would turn it into text. Typed columns are never text
/// cells, so numbers stay numbers.
pub fn formula_prefix(text: &str) -> Option<&'static str> {
    let starts_like_a_formula = text.starts_with(FORMULA_STARTS);
    (starts_like_a_formula && !is_plain_number(text)).then_some("'")
}

/// `-12`, `+3.5`, `-1e-3`: a sign, digits, an optional fraction and exponent, nothing else.
fn is_plain_number(text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['-', '+']).unwrap_or(e))),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    digits(whole) && digits(fraction) && exponent.is_none_or(digits)
}

/// `text` as a CSV writer should write it into a text cell.
pub fn safe_text(text: &str) -> Cow<'_, str> {
    match formula_prefix(text) {
        Some(prefix) => Cow::Owned(format!("{prefix}{text}")),
        None => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_starts_like_a_formula_gets_a_quote_and_numbers_do_not() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "-",
            "--1",
            "-1-1",
            "-inf",
            "-1e",
            "-.5",
        ] {
            assert_eq!(formula_prefix(formula), Some("'"), "{formula:?}");
        }
        assert_eq!(safe_text("=1+1"), "'=1+1");
        assert_eq!(safe_text("-1"), "-1");
        for plain in ["a fox", "", "1", "-1", "-0.5", "+3", "-1e-3", "2=2", " =1"] {
            assert_eq!(formula_prefix(plain), None, "{plain:?}");
        }
    }
}
