//! The one rule of blind review: while the household's blind mode is on, nobody who may judge
//! sees another person's verdict on an image (their rating, heart, KO and its notes, and the
//! counts and combined verdict made of them) until they have given their own. It binds
//! reviewers and admins alike, on every page and in the API; a viewer, who cannot judge, and
//! the owner at the terminal (the command line) see everything. The reads of `db::blind_review` apply it where verdict rows
//! are read, below every route.

use super::role::Role;

/// The household's choice, on the admin page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlindMode {
    On,
    Off,
}

impl BlindMode {
    /// On unless the owner turned it off: a new household reviews blind, as review always did.
    pub const DEFAULT: BlindMode = BlindMode::On;

    pub fn as_str(self) -> &'static str {
        match self {
            BlindMode::On => "on",
            BlindMode::Off => "off",
        }
    }

    /// A stored value; anything else than `off` reads as the default, so a damaged setting
    /// hides rather than reveals.
    pub fn from_stored(value: Option<&str>) -> BlindMode {
        match value {
            Some("off") => BlindMode::Off,
            _ => BlindMode::DEFAULT,
        }
    }

    /// The admin form's `blind` field.
    pub fn parse(value: &str) -> Result<BlindMode, String> {
        match value {
            "on" => Ok(BlindMode::On),
            "off" => Ok(BlindMode::Off),
            other => Err(format!("blind mode is `on` or `off`, not `{other}`")),
        }
    }
}

/// Whom the rule binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sight {
    /// Someone who may judge (a reviewer or an admin, by browser or token): the household's
    /// rule.
    Household,
    /// A viewer, who never judges, and the owner at the terminal, who holds the database file
    /// anyway.
    Everything,
}

impl Sight {
    pub fn of(role: Role) -> Sight {
        match role.can_review() {
            true => Sight::Household,
            false => Sight::Everything,
        }
    }
}

/// Whether others' verdicts on an image may be shown to someone.
pub fn shows_others(mode: BlindMode, sight: Sight, judged_it: bool) -> bool {
    mode == BlindMode::Off || sight == Sight::Everything || judged_it
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_binds_whoever_may_judge_admins_included() {
        assert_eq!(Sight::of(Role::Reviewer), Sight::Household);
        assert_eq!(Sight::of(Role::Admin), Sight::Household);
        assert_eq!(Sight::of(Role::Viewer), Sight::Everything);
    }

    #[test]
    fn while_blind_others_show_only_on_an_image_i_have_judged() {
        assert!(!shows_others(BlindMode::On, Sight::Household, false));
        assert!(shows_others(BlindMode::On, Sight::Household, true));
    }

    #[test]
    fn with_blind_mode_off_or_at_the_terminal_everything_shows() {
        assert!(shows_others(BlindMode::Off, Sight::Household, false));
        assert!(shows_others(BlindMode::On, Sight::Everything, false));
    }

    #[test]
    fn a_missing_or_damaged_setting_reads_as_blind() {
        assert_eq!(BlindMode::from_stored(None), BlindMode::On);
        assert_eq!(BlindMode::from_stored(Some("maybe")), BlindMode::On);
        assert_eq!(BlindMode::from_stored(Some("off")), BlindMode::Off);
        assert!(
            BlindMode::parse("yes")
                .unwrap_err()
                .contains("`on` or `off`")
        );
    }
}
