//! Links the pages build: a path with its query string, when it has one.

/// `path?query`, or `path` alone when `query` is empty.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}
