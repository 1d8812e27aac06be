//! What makes an image KO when several people judged it. Counting an image KO when anyone
//! said so makes the KO rate grow with the number of raters (one more look, one more chance of
//! a KO): groups rated by more people look worse. The rule says how the raters' statuses are
//! counted:
//! - `any`: an image is KO when at least one rater said KO (the gallery's `status=ko`);
//! - `majority`: when more than half of the raters who gave it a status said KO; a tie (one
//!   KO, one OK) is not a majority, so it counts as OK;
//! - `each`: every judgement counts once: the rate is KO judgements out of judgements, and an
//!   image judged by three people weighs three times.

use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum KoRule {
    #[default]
    Any,
    Majority,
    Each,
}

/// What an image adds to a rate: `counted` (what the rate is out of) and `ko` of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counted {
    pub counted: u64,
    pub ko: u64,
}

impl KoRule {
    pub const ALL: [KoRule; 3] = [KoRule::Any, KoRule::Majority, KoRule::Each];
    pub const NAMES: &'static str = "any, majority or each";

    pub fn parse(text: &str) -> Result<KoRule, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "any" => Ok(KoRule::Any),
            "majority" => Ok(KoRule::Majority),
            "each" => Ok(KoRule::Each),
            other => Err(format!(
                "`rule` is {}, not `{other}`: any counts an image KO when anyone said KO, \
                 majority when more than half its raters did, each counts every judgement once",
                KoRule::NAMES
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            KoRule::Any => "any",
            KoRule::Majority => "majority",
            KoRule::Each => "each",
        }
    }

    /// An image that `ok` raters called OK and `ko` raters KO, under this rule.
    pub fn count(self, ok: u64, ko: u64) -> Counted {
        let judged = ok + ko > 0;
        match self {
            KoRule::Any => Counted {
                counted: u64::from(judged),
                ko: u64::from(ko > 0),
            },
            KoRule::Majority => Counted {
                counted: u64::from(judged),
                ko: u64::from(ko > ok),
            },
            KoRule::Each => Counted {
                counted: ok + ko,
                ko,
            },
        }
    }

    /// Whether an image with these statuses is KO; None under `each`, which judges
    /// judgements, not images.
    pub fn image_is_ko(self, ok: u64, ko: u64) -> Option<bool> {
        match self {
            KoRule::Each => None,
            rule => Some(rule.count(ok, ko).ko > 0),
        }
    }

    /// What a rate counts: "judged images" or "judgements".
    pub fn unit(self) -> &'static str {
        match self {
            KoRule::Each => "judgements",
            KoRule::Any | KoRule::Majority => "judged images",
        }
    }

    /// How a figure names its rule: "rule: majority".
    pub fn tag(self) -> String {
        format!("rule: {}", self.as_str())
    }

    /// The rule in a sentence.
    pub fn words(self) -> &'static str {
        match self {
            KoRule::Any => "an image is KO when any of its raters said KO",
            KoRule::Majority => {
                "an image is KO when more than half of its raters said KO (a tie is not)"
            }
            KoRule::Each => "every judgement counts once: KO judgements out of all judgements",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_part_ways_on_a_split_image() {
        // Two raters, one KO: a tie.
        assert_eq!(KoRule::Any.count(1, 1), Counted { counted: 1, ko: 1 });
        assert_eq!(KoRule::Majority.count(1, 1), Counted { counted: 1, ko: 0 });
        assert_eq!(KoRule::Each.count(1, 1), Counted { counted: 2, ko: 1 });
        // Two of three.
        assert_eq!(KoRule::Majority.count(1, 2), Counted { counted: 1, ko: 1 });
        // Nobody gave a status: nothing counted.
        for rule in KoRule::ALL {
            assert_eq!(rule.count(0, 0), Counted::default());
        }
        assert_eq!(KoRule::Each.image_is_ko(0, 1), None);
        assert_eq!(KoRule::Majority.image_is_ko(1, 1), Some(false));
    }

    #[test]
    fn a_rule_is_read_in_any_case_and_a_wrong_one_names_the_three() {
        assert_eq!(KoRule::parse(" Majority "), Ok(KoRule::Majority));
        let error = KoRule::parse("most").unwrap_err();
        assert!(error.contains("any, majority or each"), "{error}");
    }
}
