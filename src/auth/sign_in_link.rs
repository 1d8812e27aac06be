//! One-time sign-in links: `<base>/link/<secret>`, shown with its QR code when an admin adds
//! a person (or the person asks for one on their own page), opened on a phone to sign in
//! there. The secret carries 256 random bits, so the database keeps only its SHA-256, as for
//! tokens and sign-in cookies; a link works once, for `LIFETIME_MINUTES`, unless revoked.

use chrono::{Duration, NaiveDateTime};
use diesel::SqliteConnection;

use crate::auth::{digest, sign_in_expiry, web_session};
use crate::db::ids::UserId;
use crate::db::sign_in_links::{self, StoredLink};
use crate::db::web_sessions::{self, NewSignIn};
use crate::db::{sign_ins, write_transaction};
use crate::error::{AppError, AppResult};

/// How long a link can be opened: long enough to walk to the phone, short enough that a link
/// left in a chat is soon worthless.
pub const LIFETIME_MINUTES: i64 = 15;
/// Where a link points, below the server's address.
pub const PATH: &str = "/link/";

/// A link just made: its secret is shown once and never stored.
#[derive(Debug, Clone)]
pub struct NewLink {
    pub secret: String,
    pub expires_at: NaiveDateTime,
}

impl NewLink {
    /// The whole address, on a server reached at `base` (`http://host:port`, no final `/`).
    pub fn url(&self, base: &str) -> String {
        format!("{}{PATH}{}", base.trim_end_matches('/'), self.secret)
    }
}

/// What a presented link is.
#[derive(Debug, Clone)]
pub enum LinkState {
    /// It can sign `StoredLink::user` in.
    Open(StoredLink),
    Used,
    Expired,
    Revoked,
    /// No link has this secret (mistyped, cut short, or from another server).
    Unknown,
}

impl LinkState {
    /// What the person holding a link that no longer works is told, and what to do.
    pub fn refusal(&self) -> Option<&'static str> {
        let what = match self {
            LinkState::Open(_) => return None,
            LinkState::Used => "This sign-in link has already been used: a link works once.",
            LinkState::Expired => {
                "This sign-in link has expired: a link works for 15 minutes after it is made."
            }
            LinkState::Revoked => "This sign-in link was revoked.",
            LinkState::Unknown => "This is not a sign-in link of this server (is it whole?).",
        };
        Some(what)
    }
}

/// A new link for `user`, stored by the hash of its secret.
pub fn create(conn: &mut SqliteConnection, user: UserId) -> AppResult<NewLink> {
    let secret = web_session::new_secret();
    let now = crate::db::now();
    let expires_at = now + Duration::minutes(LIFETIME_MINUTES);
    sign_in_links::insert(conn, user, &digest::sha256_hex(&secret), now, expires_at)?;
    Ok(NewLink { secret, expires_at })
}

/// What `secret` is now, without using it.
pub fn inspect(conn: &mut SqliteConnection, secret: &str) -> AppResult<LinkState> {
    if secret.is_empty() || secret.len() > 100 {
        return Ok(LinkState::Unknown);
    }
    let Some(link) = sign_in_links::find_by_hash(conn, &digest::sha256_hex(secret))? else {
        return Ok(LinkState::Unknown);
    };
    Ok(if link.revoked_at.is_some() || link.user_disabled {
        LinkState::Revoked
    } else if link.used_at.is_some() {
        LinkState::Used
    } else if link.expires_at <= crate::db::now() {
        LinkState::Expired
    } else {
        LinkState::Open(link)
    })
}

/// Uses the link: a browser sign-in for its person, made like the sign-in form's, returned as
/// the new cookie's value. Anything but an open link is refused with its state.
pub fn redeem(
    conn: &mut SqliteConnection,
    secret: &str,
    user_agent: &str,
    address: &str,
) -> AppResult<Result<(String, StoredLink), LinkState>> {
    write_transaction(conn, |conn| {
        let link = match inspect(conn, secret)? {
            LinkState::Open(link) => link,
            other => return Ok(Err(other)),
        };
        let now = crate::db::now();
        if !sign_in_links::mark_used(conn, link.id, now)? {
            return Ok(Err(LinkState::Used));
        }
        let id = web_session::new_secret();
        let id_hash = web_session::hash_id(&id);
        web_sessions::insert(
            conn,
            &NewSignIn {
                id_hash: &id_hash,
                user_id: link.user_id,
                token_id: None,
                link_id: Some(link.id),
                csrf_token: &web_session::new_secret(),
                now,
                expires_at: sign_in_expiry::expires_at(now),
            },
        )?;
        sign_ins::describe(conn, &id_hash, user_agent, now)?;
        sign_ins::note_address(conn, &id_hash, address)?;
        Ok::<_, AppError>(Ok((id, link)))
    })
}

/// Revokes an open link, of `owner` only when given (a person revoking their own).
pub fn revoke(conn: &mut SqliteConnection, id: i32, owner: Option<UserId>) -> AppResult<()> {
    let now = crate::db::now();
    let open = sign_in_links::open(conn, owner, now)?;
    if !open.iter().any(|link| link.id == id) || !sign_in_links::revoke(conn, id, now)? {
        return Err(AppError::NotFound(
            "that sign-in link is not open any more: it was used, revoked or has expired"
                .to_owned(),
        ));
    }
    Ok(())
}
