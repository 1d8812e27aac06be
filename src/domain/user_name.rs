//! A user name: what people type at sign-in, so short, printable, no surprises.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserName(String);

impl UserName {
    pub fn parse(text: &str) -> Result<UserName, String> {
        let name = text.trim();
        if name.is_empty() || name.chars().count() > 64 {
            return Err("a user name has 1 to 64 characters".to_owned());
        }
        if !name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            return Err(format!(
                "`{name}` is not a valid user name: use letters, digits, `_`, `-` and `.`"
            ));
        }
        Ok(UserName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::UserName;

    #[test]
    fn names_are_checked() {
        assert_eq!(
            UserName::parse(" éloïse ").map(|n| n.as_str().to_owned()),
            Ok("éloïse".into())
        );
        assert!(UserName::parse("").is_err());
        assert!(UserName::parse("a b").is_err());
        assert!(UserName::parse("<script>").is_err());
        assert!(UserName::parse(&"x".repeat(65)).is_err());
    }
}
