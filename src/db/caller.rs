//! Who reads: the user (for "mine" and "unrated by me"), the role, which decides what of
//! the trash the read may return, and whether blind review binds them. Every read of images
//! or sessions by id or by filter takes one, so the trash rule (`domain::trash_rule`) and the
//! blind rule (`domain::blind_rule`, through `db::blind_review`) are applied where the rows
//! are read, below every route.

use super::ids::UserId;
use crate::domain::blind_rule::Sight;
use crate::domain::role::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub user: UserId,
    pub role: Role,
    pub sight: Sight,
}

impl Caller {
    /// Someone signed in: the household's blind mode binds whoever may judge (reviewers and
    /// admins alike); a viewer, who never judges, has no judgement to keep unbiased.
    pub fn new(user: UserId, role: Role) -> Caller {
        Caller {
            user,
            role,
            sight: Sight::of(role),
        }
    }

    /// The owner at the terminal (the command line): an admin's reach, and every verdict.
    pub fn owner(user: UserId) -> Caller {
        Caller {
            user,
            role: Role::Admin,
            sight: Sight::Everything,
        }
    }

    /// Whether the trash may be read at all (admins, read-only).
    pub fn sees_trash(self) -> bool {
        self.role.can_administer()
    }
}
