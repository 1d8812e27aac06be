//! A user name: what people type at sign-in, so short, printable, no surprises. Names are
//! kept in NFC, so that the same letters typed on two keyboards are the same name, and two
//! names that look alike (`adm` and `аdm` with a Cyrillic а) cannot both exist: see
//! [`skeleton`].

use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserName(String);

/// The longest name: it must fit a phone's header and a column of an export.
pub const MAX_CHARS: usize = 40;

impl UserName {
    /// A name as people write theirs: letters of any script, digits, spaces, apostrophes
    /// (`'` and `’`), hyphens, `_` and `.` ("Grand-mère Zoé", "O’Brien", "李小龙").
    pub fn parse(text: &str) -> Result<UserName, String> {
        let name = normalize(text);
        if name.is_empty() {
            return Err("a user name cannot be empty".to_owned());
        }
        let length = name.chars().count();
        if length > MAX_CHARS {
            return Err(format!(
                "a user name has at most {MAX_CHARS} characters; this one has {length}"
            ));
        }
        if let Some(bad) = name.chars().find(|&c| !allowed(c)) {
            return Err(format!(
                "a name may not contain {}: use letters, digits, spaces, apostrophes and hyphens",
                shown(bad)
            ));
        }
        Ok(UserName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn skeleton(&self) -> String {
        skeleton(&self.0)
    }
}

/// A name as it is stored and looked up, whoever typed it (the admin form, the sign-in form,
/// the command line): NFC, no space at either end, one space between words.
pub fn normalize(text: &str) -> String {
    nfc(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn allowed(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, ' ' | '\'' | '\u{2019}' | '-' | '_' | '.')
}

/// A refused character as a message names it: in quotes, or by its code when it cannot be
/// seen (a control character, a zero-width joiner).
fn shown(c: char) -> String {
    if c.is_control() || c.is_whitespace() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}') {
        format!("the invisible character U+{:04X}", u32::from(c))
    } else {
        format!("\u{201c}{c}\u{201d}")
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
        assert!(UserName::parse("<script>").is_err());
        assert!(UserName::parse(&"x".repeat(41)).is_err());
        assert!(UserName::parse(&"x".repeat(40)).is_ok());
    }

    #[test]
    fn names_are_written_as_people_write_theirs() {
        for name in [
            "Grand-mère Zoé",
            "O'Brien",
            "O\u{2019}Brien",
            "李小龙",
            "Анна-Мария",
            "ada",
        ] {
            assert_eq!(UserName::parse(name).unwrap().as_str(), name);
        }
        assert_eq!(
            UserName::parse("  Grand-mère   Zoé ").unwrap().as_str(),
            "Grand-mère Zoé"
        );
    }

    #[test]
    fn a_refused_name_says_which_character_is_not_allowed() {
        assert_eq!(
            UserName::parse("zoe@home").unwrap_err(),
            "a name may not contain \u{201c}@\u{201d}: use letters, digits, spaces, apostrophes \
             and hyphens"
        );
        assert!(
            UserName::parse("zo\u{200b}e")
                .unwrap_err()
                .contains("the invisible character U+200B")
        );
        assert!(
            UserName::parse(&"é".repeat(41))
                .unwrap_err()
                .contains("at most 40")
        );
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
