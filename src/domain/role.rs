//! What a user may do: viewers look, reviewers also rate and edit, admins also manage users,
//! delete and restore.

use std::fmt;
use std::str::FromStr;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Reviewer,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    pub fn can_review(self) -> bool {
        self >= Role::Reviewer
    }

    pub fn can_administer(self) -> bool {
        self == Role::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(text: &str) -> Result<Role, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "viewer" => Ok(Role::Viewer),
            "reviewer" => Ok(Role::Reviewer),
            "admin" => Ok(Role::Admin),
            other => Err(format!(
                "unknown role `{other}`: use admin, reviewer or viewer"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_order_by_power() {
        assert_eq!("Admin".parse::<Role>(), Ok(Role::Admin));
        assert!(
            "root"
                .parse::<Role>()
                .unwrap_err()
                .contains("admin, reviewer or viewer")
        );
        assert!(
            Role::Admin.can_review() && Role::Reviewer.can_review() && !Role::Viewer.can_review()
        );
        assert!(Role::Admin.can_administer() && !Role::Reviewer.can_administer());
    }
}
