//! What a bulk action on sessions does and who may do it. Delete is a flag, never a file removal.

use super::role::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionAction {
    Archive,
    Unarchive,
    FlagTest,
    UnflagTest,
    FlagFailed,
    UnflagFailed,
    Delete,
    Restore,
}

impl SessionAction {
    pub fn parse(text: &str) -> Result<SessionAction, String> {
        Ok(match text {
            "archive" => SessionAction::Archive,
            "unarchive" => SessionAction::Unarchive,
            "test" => SessionAction::FlagTest,
            "untest" => SessionAction::UnflagTest,
            "failed" => SessionAction::FlagFailed,
            "unfailed" => SessionAction::UnflagFailed,
            "delete" => SessionAction::Delete,
            "restore" => SessionAction::Restore,
            other => {
                return Err(format!(
                    "`{other}` is not a valid action: use archive, unarchive, test, untest, \
                     failed, unfailed, delete or restore"
                ));
            }
        })
    }

    /// The action that takes this one back, for the toast's Undo.
    pub fn undo(self) -> SessionAction {
        match self {
            SessionAction::Archive => SessionAction::Unarchive,
            SessionAction::Unarchive => SessionAction::Archive,
            SessionAction::FlagTest => SessionAction::UnflagTest,
            SessionAction::UnflagTest => SessionAction::FlagTest,
            SessionAction::FlagFailed => SessionAction::UnflagFailed,
            SessionAction::UnflagFailed => SessionAction::FlagFailed,
            SessionAction::Delete => SessionAction::Restore,
            SessionAction::Restore => SessionAction::Delete,
        }
    }

    /// The form value of the action (what `parse` reads).
    pub fn as_str(self) -> &'static str {
        match self {
            SessionAction::Archive => "archive",
            SessionAction::Unarchive => "unarchive",
            SessionAction::FlagTest => "test",
            SessionAction::UnflagTest => "untest",
            SessionAction::FlagFailed => "failed",
            SessionAction::UnflagFailed => "unfailed",
            SessionAction::Delete => "delete",
            SessionAction::Restore => "restore",
        }
    }

    /// Archiving and flags are reviewing; deleting and restoring are the admin's.
    pub fn needs(self) -> Role {
        match self {
            SessionAction::Delete | SessionAction::Restore => Role::Admin,
            _ => Role::Reviewer,
        }
    }

    /// "3 sessions archived", for the toast.
    pub fn done_message(self, count: usize) -> String {
        let what = match self {
            SessionAction::Archive => "archived",
            SessionAction::Unarchive => "unarchived",
            SessionAction::FlagTest => "flagged as test",
            SessionAction::UnflagTest => "no longer flagged as test",
            SessionAction::FlagFailed => "flagged as failed",
            SessionAction::UnflagFailed => "no longer flagged as failed",
            SessionAction::Delete => "moved to the trash",
            SessionAction::Restore => "restored",
        };
        let noun = if count == 1 { "session" } else { "sessions" };
        format!("{count} {noun} {what}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_parse_and_say_who_may_run_them() {
        assert_eq!(SessionAction::parse("archive"), Ok(SessionAction::Archive));
        assert!(
            SessionAction::parse("purge")
                .unwrap_err()
                .contains("archive, unarchive")
        );
        assert_eq!(SessionAction::FlagFailed.needs(), Role::Reviewer);
        assert_eq!(SessionAction::Delete.needs(), Role::Admin);
        assert_eq!(SessionAction::Restore.needs(), Role::Admin);
    }

    #[test]
    fn every_action_is_undone_by_its_opposite() {
        for text in [
            "archive",
            "unarchive",
            "test",
            "untest",
            "failed",
            "unfailed",
            "delete",
            "restore",
        ] {
            let action = SessionAction::parse(text).unwrap();
            assert_eq!(action.as_str(), text);
            assert_ne!(action.undo(), action);
            assert_eq!(action.undo().undo(), action);
        }
    }

    #[test]
    fn the_message_counts_what_changed() {
        assert_eq!(
            SessionAction::Archive.done_message(3),
            "3 sessions archived"
        );
        assert_eq!(
            SessionAction::Delete.done_message(1),
            "1 session moved to the trash"
        );
    }
}
