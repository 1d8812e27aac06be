//! What a reader that guesses a CSV column's type from its first rows takes a text for
//! (Polars and DuckDB do): a whole number, a decimal number, a boolean, or text. A column
//! whose first rows are all whole numbers is read as integers, and a later `7.5` or `cat`
//! then fails the read; so an export's first rows show each shape a text column takes
//! (`export::first_rows`).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shape {
    Whole,
    Decimal,
    Boolean,
    Text,
}

pub fn of(text: &str) -> Shape {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Shape::Whole;
    }
    if text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false") {
        return Shape::Boolean;
    }
    // What `f64` parses (`7.5`, `1e3`, `.5`, `inf`, `NaN`) is what the readers take for a
    // float, near enough: a near miss only costs one more first row.
    if text.trim() == text && text.parse::<f64>().is_ok() {
        return Shape::Decimal;
    }
    Shape::Text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_booleans_and_words_are_told_apart() {
        assert_eq!(of("7"), Shape::Whole);
        assert_eq!(of("-12"), Shape::Whole);
        assert_eq!(of("7.5"), Shape::Decimal);
        assert_eq!(of("1e3"), Shape::Decimal);
        assert_eq!(of("True"), Shape::Boolean);
        assert_eq!(of("512x768"), Shape::Text);
        assert_eq!(of(" 7"), Shape::Text);
        assert_eq!(of(""), Shape::Text);
        assert_eq!(of("-"), Shape::Text);
    }
}
