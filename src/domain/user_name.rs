//! A user name: what people type at sign-in, so short, printable, no surprises. Names are
//! kept in NFC, so that the same letters typed on two keyboards are the same name, and two
//! names that look alike (`adm` and `аdm` with a Cyrillic а) cannot both exist: see
//! [`skeleton`].

use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserName(String);

impl UserName {
    pub fn parse(text: &str) -> Result<UserName, String> {
        let name = nfc(text.trim());
        let name = name.as_str();
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

    pub fn skeleton(&self) -> String {
        skeleton(&self.0)
    }
}

/// The text in Unicode normalization form C (composed: `é` as one character).
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// What a name looks like: its confusables skeleton (Unicode TS #39), the same for names a
/// reader could take for one another (`adm` and `аdm`, `rn` and `m`, `l` and `I`). Never
/// shown; only compared.
pub fn skeleton(name: &str) -> String {
    unicode_security::skeleton(name).collect()
}

#[cfg(test)]
mod tests {
    use super::{UserName, skeleton};

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

    #[test]
    fn a_name_is_kept_composed_whichever_way_it_was_typed() {
        let decomposed = "e\u{301}loi\u{308}se";
        let name = UserName::parse(decomposed).unwrap();
        assert_eq!(name.as_str(), "\u{e9}lo\u{ef}se");
        assert_eq!(name, UserName::parse("éloïse").unwrap());
    }

    #[test]
    fn names_that_look_alike_share_a_skeleton() {
        let latin = UserName::parse("adm").unwrap();
        let cyrillic_a = UserName::parse("\u{430}dm").unwrap();
        assert_ne!(latin, cyrillic_a);
        assert_eq!(latin.skeleton(), cyrillic_a.skeleton());
        assert_eq!(skeleton("modern"), skeleton("rnodern"));
        assert_ne!(skeleton("adm"), skeleton("admin"));
        assert_ne!(skeleton("anna"), skeleton("hanna"));
    }
}
