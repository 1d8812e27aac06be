//! Who reads: the user (for "mine" and "unrated by me") and the role, which decides what of
//! the trash the read may return. Every read of images or sessions by id or by filter takes
//! one, so the trash rule (`domain::trash_rule`) is applied where the rows are read, below
//! every route.

use super::ids::UserId;
use crate::domain::role::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub user: UserId,
    pub role: Role,
}

impl Caller {
    pub fn new(user: UserId, role: Role) -> Caller {
        Caller { user, role }
    }

    /// The owner at the terminal (the command line): an admin's reach.
    pub fn owner(user: UserId) -> Caller {
        Caller {
            user,
            role: Role::Admin,
        }
    }

    /// Whether the trash may be read at all (admins, read-only).
    pub fn sees_trash(self) -> bool {
        self.role.can_administer()
    }
}
