//! Counts in words, singular for one: "1 day", "2 days"; "1 stands out", "3 stand out".

/// "1 day", "0 days", "2 days".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The verb's form for `n` subjects: `verb(1, "stands", "stand")` is "stands".
pub fn verb<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1, "day", "days"), "1 day");
        assert_eq!(count(0, "day", "days"), "0 days");
        assert_eq!(count(2, "value", "values"), "2 values");
        assert_eq!(
            format!("1 {}", verb(1, "stands out", "stand out")),
            "1 stands out"
        );
        assert_eq!(verb(3, "stands out", "stand out"), "stand out");
    }
}
