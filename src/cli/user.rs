use crate::db::now;
use diesel::SqliteConnection;

use crate::auth::{accounts, password, sign_in_link};
use crate::clock::{page_text, rfc3339};
use crate::config::Paths;
use crate::db::ids::UserId;
use crate::db::{sign_ins, users, web_sessions};
use crate::domain::role::Role;
use crate::domain::user_name::UserName;
use crate::error::{AppError, AppResult};
use crate::views::admin::browser_name;
use crate::views::sign_in_link::qr_terminal;

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add a user and print their first access token (shown once).
    Add {
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// Print a one-time sign-in link for a user and its QR code: opened on a phone (scan the
    /// code), it signs them in there. It works once, for 15 minutes.
    Link {
        name: String,
        /// The server's address as the phone reaches it; by default `http://` and the first
        /// LAN address of this machine with the port of `SDREVIEW_BIND` (8080).
        #[arg(long, env = "SDREVIEW_BASE_URL")]
        base_url: Option<String>,
    },
    /// List users.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Set or change a user's password (read from the terminal without echo, or from stdin).
    SetPassword { name: String },
    /// End every browser sign-in of a user (their tokens stay valid), or one of them.
    SignOut {
        name: String,
        /// Only this sign-in (its id from `sdreview user devices`).
        #[arg(long)]
        device: Option<String>,
    },
    /// List where users are signed in.
    Devices { name: Option<String> },
    /// Change a user's role (a running server applies it within a few seconds).
    SetRole {
        name: String,
        #[arg(value_parser = parse_role)]
        role: Role,
    },
    /// Stop a user from signing in: their tokens stop working and their sign-ins end.
    Disable { name: String },
    /// Let a disabled user sign in again with their tokens and password.
    Enable { name: String },
}

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create another access token for a user (shown once).
    Create {
        name: String,
        /// What the token is for, e.g. "generator on the GPU box".
        #[arg(long, default_value = "")]
        label: String,
    },
    /// List tokens (never their secrets).
    List {
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token, given the whole token or its id (the part after `sdr_`).
    Revoke { token: String },
}

fn parse_role(text: &str) -> Result<Role, String> {
    text.parse()
}

fn connect(paths: &Paths) -> AppResult<crate::db::pool::PooledConnection> {
    Ok(crate::db::open(&paths.database()?)?.get()?)
}

pub fn run_user(paths: &Paths, command: UserCommand) -> AppResult<()> {
    let mut conn = connect(paths)?;
    match command {
        UserCommand::Add { name, role } => {
            let name = UserName::parse(&name).map_err(AppError::BadInput)?;
            let (_, token) = accounts::add_user(&mut conn, &name, role)?;
            println!(
                "Added {role} `{}`. Their access token (shown only now, keep it safe):",
                name.as_str()
            );
            println!("{}", token.reveal());
        }
        UserCommand::Link { name, base_url } => {
            let user = find_user(&mut conn, &name)?;
            let base = base_url.unwrap_or_else(default_base_url);
            let link = sign_in_link::create(&mut conn, user)?;
            let url = link.url(&base);
            println!("{}", qr_terminal(&url)?);
            println!(
                "Sign-in link for `{name}` (works once, until {}):",
                page_text(link.expires_at, "%H:%M")
            );
            println!("{url}");
        }
        UserCommand::List { json } => {
            let list = users::list_with_token_counts(&mut conn)?;
            if json {
                let rows: Vec<_> = list
                    .iter()
                    .map(|(u, n)| serde_json::json!({"name": u.name, "role": u.role, "disabled": u.is_disabled, "active_tokens": n, "created_at": rfc3339(u.created_at)}))
                    .collect();
                super::print_json(&rows)?;
            } else {
                println!("{:<24} {:<9} {:>6}  created", "name", "role", "tokens");
                for (user, count) in list {
                    println!(
                        "{:<24} {:<9} {:>6}  {}",
                        user.name,
                        user.role,
                        count,
                        page_text(user.created_at, "%Y-%m-%d %H:%M")
                    );
                }
            }
        }
        UserCommand::SetPassword { name } => {
            let user = find_user(&mut conn, &name)?;
            let secret = read_password(&name)?;
            let change = accounts::PasswordChange {
                current: None,
                new: &secret,
                again: None,
            };
            let ended = accounts::set_password(&mut conn, user, &change, None)?;
            println!("`{name}` can now sign in with this password.");
            if ended > 0 {
                println!("Ended {ended} browser sign-in(s) made with the old password.");
            }
        }
        UserCommand::SignOut { name, device } => {
            let user = find_user(&mut conn, &name)?;
            match device {
                None => {
                    let ended = web_sessions::revoke_all_of(&mut conn, user, now())?;
                    println!("Ended {ended} browser sign-in(s) of `{name}`.");
                }
                Some(device) => match sign_ins::end(&mut conn, &device, now())? {
                    Some(_) => println!("Signed `{name}` out of {device}."),
                    None => {
                        return Err(AppError::NotFound(format!(
                            "no live sign-in `{device}` (see `sdreview user devices {name}`)"
                        )));
                    }
                },
            }
        }
        UserCommand::Devices { name } => {
            let owner = name
                .as_deref()
                .map(|n| find_user(&mut conn, n))
                .transpose()?;
            println!("{:<14} {:<20} {:<28} last seen", "id", "user", "browser");
            for sign_in in sign_ins::live(&mut conn, owner, now())? {
                let browser = browser_name(sign_in.user_agent.as_deref().unwrap_or(""));
                let seen = sign_in
                    .last_seen_at
                    .map(|at| page_text(at, "%Y-%m-%d %H:%M"))
                    .unwrap_or_default();
                println!(
                    "{:<14} {:<20} {:<28} {seen}",
                    sign_in.device_id(),
                    sign_in.user,
                    browser
                );
            }
        }
        UserCommand::Disable { name } => {
            let user = find_user(&mut conn, &name)?;
            let ended = accounts::set_disabled(&mut conn, user, true)?;
            println!(
                "`{name}` is disabled: their tokens no longer work and {ended} browser sign-in(s) ended."
            );
        }
        UserCommand::Enable { name } => {
            let user = find_user(&mut conn, &name)?;
            accounts::set_disabled(&mut conn, user, false)?;
            println!("`{name}` can sign in again.");
        }
        UserCommand::SetRole { name, role } => {
            let user = find_user(&mut conn, &name)?;
            accounts::set_role(&mut conn, user, role)?;
            println!("`{name}` is now {role}.");
        }
    }
    Ok(())
}

pub fn run_token(paths: &Paths, command: TokenCommand) -> AppResult<()> {
    let mut conn = connect(paths)?;
    match command {
        TokenCommand::Create { name, label } => {
            let user = find_user(&mut conn, &name)?;
            let token = accounts::create_token(&mut conn, user, &label)?;
            println!("New access token for `{name}` (shown only now, keep it safe):");
            println!("{}", token.reveal());
        }
        TokenCommand::List { name, json } => {
            let owner = name
                .as_deref()
                .map(|n| find_user(&mut conn, n))
                .transpose()?;
            let tokens = users::tokens_with_owner(&mut conn, owner)?;
            if json {
                let rows: Vec<_> = tokens
                    .iter()
                    .map(|(t, owner)| serde_json::json!({"id": t.lookup, "user": owner, "label": t.label, "created_at": rfc3339(t.created_at), "last_used_at": t.last_used_at.map(rfc3339), "revoked_at": t.revoked_at.map(rfc3339)}))
                    .collect();
                super::print_json(&rows)?;
            } else {
                println!("{:<14} {:<20} {:<10} label", "id", "user", "state");
                for (t, owner) in tokens {
                    let state = if t.revoked_at.is_some() {
                        "revoked"
                    } else {
                        "active"
                    };
                    println!("{:<14} {:<20} {:<10} {}", t.lookup, owner, state, t.label);
                }
            }
        }
        TokenCommand::Revoke { token } => {
            let (lookup, ended) =
                accounts::revoke_token(&mut conn, &token).map_err(|e| match e {
                    AppError::NotFound(what) => {
                        AppError::NotFound(format!("{what} (see `sdreview token list`)"))
                    }
                    other => other,
                })?;
            println!("Token `{lookup}` revoked; {ended} browser sign-in(s) made with it ended.");
        }
    }
    Ok(())
}

fn read_password(name: &str) -> AppResult<String> {
    use std::io::IsTerminal;
    let secret = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("New password for {name}: "))
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    }
    .map_err(|e| AppError::io("cannot read the password", "stdin", e))?;
    let secret = secret.trim_end_matches(['\r', '\n']).to_owned();
    if secret.chars().count() < password::MIN_CHARS {
        return Err(AppError::BadInput(format!(
            "the password is too short: use at least {} characters (or sign in with a token)",
            password::MIN_CHARS
        )));
    }
    Ok(secret)
}

/// Where a phone on the LAN reaches the server started with the same environment: the port
/// of `SDREVIEW_BIND` (8080 by default) on this machine's first LAN address, or the bound
/// host itself when it is not a wildcard.
fn default_base_url() -> String {
    let bind = std::env::var("SDREVIEW_BIND").unwrap_or_else(|_| "0.0.0.0:8080".to_owned());
    let (host, port) = bind.rsplit_once(':').unwrap_or((bind.as_str(), "8080"));
    let host = if host == "0.0.0.0" || host == "[::]" || host.is_empty() {
        if_addrs::get_if_addrs()
            .unwrap_or_default()
            .into_iter()
            .find(|i| !i.is_loopback() && i.ip().is_ipv4())
            .map_or_else(|| "localhost".to_owned(), |i| i.ip().to_string())
    } else {
        host.to_owned()
    };
    format!("http://{host}:{port}")
}

fn find_user(conn: &mut SqliteConnection, name: &str) -> AppResult<UserId> {
    users::find_by_name(conn, &crate::domain::user_name::normalize(name))?
        .map(|u| u.id)
        .ok_or_else(|| AppError::NotFound(format!("no user `{name}` (see `sdreview user list`)")))
}
