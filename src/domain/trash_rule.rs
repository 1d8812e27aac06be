//! The one rule for what is in the trash: a deleted image, any image of a deleted session, and
//! a deleted session. Nobody reaches them by id, to look or to write, except that an admin may
//! look at them read-only (the trash shows them, and its links open them with a Restore button
//! and no other). Restoring them is the trash's own business and does not go through here.

use super::role::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Live,
    Trash,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Pages, thumbnails, originals.
    Look,
    /// Ratings, notes, names, flags, tags, stars, bulk actions.
    Change,
}

/// How a reachable item is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// As usual, with whatever the role may change.
    Normal,
    /// To an admin, from the trash: says it is in the trash, offers Restore, changes nothing.
    FromTrash,
}

/// None: the item answers 404, exactly as one that does not exist.
pub fn reach(place: Place, role: Role, access: Access) -> Option<Shown> {
    match (place, access) {
        (Place::Live, _) => Some(Shown::Normal),
        (Place::Trash, Access::Look) if role.can_administer() => Some(Shown::FromTrash),
        (Place::Trash, _) => None,
    }
}

impl Shown {
    pub fn in_trash(self) -> bool {
        self == Shown::FromTrash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_items_are_reached_as_usual_by_every_role() {
        for role in [Role::Viewer, Role::Reviewer, Role::Admin] {
            for access in [Access::Look, Access::Change] {
                assert_eq!(reach(Place::Live, role, access), Some(Shown::Normal));
            }
        }
    }

    #[test]
    fn only_an_admin_looks_into_the_trash_and_nobody_changes_what_is_there() {
        assert_eq!(
            reach(Place::Trash, Role::Admin, Access::Look),
            Some(Shown::FromTrash)
        );
        for role in [Role::Viewer, Role::Reviewer] {
            assert_eq!(reach(Place::Trash, role, Access::Look), None);
        }
        for role in [Role::Viewer, Role::Reviewer, Role::Admin] {
            assert_eq!(reach(Place::Trash, role, Access::Change), None);
        }
    }
}
