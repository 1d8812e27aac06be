//! What a reviewer may write into a session from its page: a display name, notes, and the
//! test / failed / archived flags. Checked here so the page and the API refuse the same input.

const MAX_NAME: usize = 200;
const MAX_NOTES: usize = 10_000;

/// A display name; `None` puts back the folder's own name.
pub fn display_name(text: &str) -> Result<Option<String>, String> {
    let name = text.trim();
    if name.chars().count() > MAX_NAME {
        return Err(format!(
            "a display name is limited to {MAX_NAME} characters"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("a display name is one line of text, without control characters".into());
    }
    Ok(Some(name.to_owned()).filter(|n| !n.is_empty()))
}

/// Notes; `None` clears them. Line breaks are kept, other control characters refused.
pub fn notes(text: &str) -> Result<Option<String>, String> {
    let notes = text.trim().replace("\r\n", "\n");
    if notes.chars().count() > MAX_NOTES {
        return Err(format!("notes are limited to {MAX_NOTES} characters"));
    }
    if notes
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err("notes cannot hold control characters".into());
    }
    Ok(Some(notes).filter(|n| !n.is_empty()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionFlag {
    Test,
    Failed,
    Archived,
}

impl SessionFlag {
    pub fn parse(text: &str) -> Result<SessionFlag, String> {
        match text {
            "test" => Ok(SessionFlag::Test),
            "failed" => Ok(SessionFlag::Failed),
            "archived" => Ok(SessionFlag::Archived),
            other => Err(format!(
                "unknown flag `{other}`: a session can be flagged test, failed or archived"
            )),
        }
    }
}

/// `1` / `0` as a form sends them.
pub fn flag_value(text: &str) -> Result<bool, String> {
    match text {
        "1" | "true" | "on" => Ok(true),
        "0" | "false" | "off" => Ok(false),
        other => Err(format!(
            "a flag is set with 1 or cleared with 0, not `{other}`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_limited_and_empty_means_the_folder_name() {
        assert_eq!(display_name("  Foxes  ").unwrap().as_deref(), Some("Foxes"));
        assert_eq!(display_name("   ").unwrap(), None);
        assert!(display_name(&"x".repeat(201)).unwrap_err().contains("200"));
        assert!(display_name("a\nb").is_err());
    }

    #[test]
    fn notes_keep_lines_and_flags_are_named() {
        assert_eq!(notes("a\r\nb").unwrap().as_deref(), Some("a\nb"));
        assert!(notes("\u{7}").is_err());
        assert_eq!(SessionFlag::parse("failed"), Ok(SessionFlag::Failed));
        assert!(
            SessionFlag::parse("deleted")
                .unwrap_err()
                .contains("test, failed")
        );
        assert!(flag_value("maybe").is_err());
    }
}
