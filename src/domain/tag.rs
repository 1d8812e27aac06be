//! Free words that sessions are tagged with: trimmed, lowercase, one space between words.

use std::fmt;

pub const MAX_TAG_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag(String);

impl Tag {
    pub fn parse(text: &str) -> Result<Tag, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let tag = words.join(" ").to_lowercase();
        if tag.is_empty() {
            return Err("a tag cannot be empty".into());
        }
        if tag.chars().count() > MAX_TAG_CHARS {
            return Err(format!("a tag has at most {MAX_TAG_CHARS} characters"));
        }
        if tag
            .chars()
            .any(|c| c.is_control() || matches!(c, '<' | '>' | '"' | ','))
        {
            return Err("a tag cannot hold control characters, quotes, commas or < >".into());
        }
        Ok(Tag(tag))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_trimmed_lowercased_and_single_spaced() {
        assert_eq!(
            Tag::parse("  Best   Of 2025 ").unwrap().as_str(),
            "best of 2025"
        );
        assert_eq!(Tag::parse("Été").unwrap().as_str(), "été");
    }

    #[test]
    fn empty_long_and_odd_tags_are_refused_with_a_reason() {
        assert!(Tag::parse("   ").unwrap_err().contains("empty"));
        assert!(Tag::parse(&"x".repeat(41)).unwrap_err().contains("40"));
        assert!(Tag::parse(&"é".repeat(40)).is_ok());
        assert!(Tag::parse("a,b").is_err());
        assert!(Tag::parse("a\u{7}").is_err());
    }
}
