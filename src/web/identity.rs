//! Who is asking: a browser with a sign-in cookie, or a script with a bearer token. Every
//! route but the sign-in page and assets takes an `Identity`, so forgetting to check is a
//! compile error rather than an open door.

use crate::db::ids::UserId;
use crate::db::models::User;
use crate::domain::role::Role;
use crate::error::AppError;

#[derive(Debug, Clone)]
pub struct Identity {
    pub user_id: UserId,
    pub name: String,
    pub role: Role,
    /// The sign-in's CSRF token; None for bearer tokens, which a browser never sends by itself.
    pub csrf: Option<String>,
}

impl Identity {
    pub fn from_user(user: &User, csrf: Option<String>) -> Identity {
        Identity {
            user_id: user.id,
            name: user.name.clone(),
            role: user.role.parse().unwrap_or(Role::Viewer),
            csrf,
        }
    }

    /// Who asks, as the database's reads take it (the trash rule needs the role).
    pub fn caller(&self) -> crate::db::caller::Caller {
        crate::db::caller::Caller::new(self.user_id, self.role)
    }

    /// Refuses with a message that says which role is needed.
    pub fn require(&self, role: Role) -> Result<(), AppError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "this needs the {role} role; you are signed in as {} ({}). Ask an admin.",
                self.name, self.role
            )))
        }
    }
}
