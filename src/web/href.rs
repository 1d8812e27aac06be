//! Links the pages build: a path with its query string, when it has one.

/// `path?query`, or `path` alone when `query` is empty.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// Percent-encodes a value for a query string.
pub fn url_escape(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_query_value_cannot_hold() {
        assert_eq!(url_escape("/s/1?a=b&c"), "%2Fs%2F1%3Fa%3Db%26c");
    }
}
