//! The query parameters a route takes, each described once: the route's parser refuses any
//! other name, its error messages list these, and the OpenAPI document is generated from them,
//! so the document cannot promise a parameter the route refuses, nor miss one it takes.

/// What values a parameter takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    Text,
    /// A whole number.
    Integer,
    /// A decimal number.
    Number,
    /// `1` or `0` (`true`/`false` and `on`/`off` too).
    Flag,
    /// `YYYY-MM-DD`.
    Date,
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// Text, and the parameter may be given any number of times (`var=a:b&var=c:d`).
    Repeated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryParam {
    pub name: &'static str,
    pub values: Values,
    pub description: &'static str,
    /// A value the route takes: the document's example, and what the tests send.
    pub example: &'static str,
    /// The route refuses a request without it.
    pub required: bool,
}

impl QueryParam {
    pub const fn new(
        name: &'static str,
        values: Values,
        description: &'static str,
        example: &'static str,
    ) -> QueryParam {
        QueryParam {
            name,
            values,
            description,
            example,
            required: false,
        }
    }

    pub const fn required(self) -> QueryParam {
        QueryParam {
            required: true,
            ..self
        }
    }
}

/// Whether `name` is one of `params`.
pub fn takes(params: &[QueryParam], name: &str) -> bool {
    params.iter().any(|p| p.name == name)
}

/// The names as a sentence: "q, in and session".
pub fn names<'a>(params: impl IntoIterator<Item = &'a QueryParam>) -> String {
    let names: Vec<&str> = params.into_iter().map(|p| p.name).collect();
    match names.split_last() {
        None => "nothing".to_owned(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: QueryParam = QueryParam::new("a", Values::Text, "", "x");
    const B: QueryParam = QueryParam::new("b", Values::Flag, "", "1");
    const C: QueryParam = QueryParam::new("c", Values::Integer, "", "2");

    #[test]
    fn names_read_as_a_sentence() {
        assert_eq!(names(&[A, B, C]), "a, b and c");
        assert_eq!(names(&[A]), "a");
        assert_eq!(names(&[]), "nothing");
        assert!(takes(&[A, B], "b") && !takes(&[A, B], "c"));
    }
}
