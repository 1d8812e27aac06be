use crate::db::now;
use diesel::SqliteConnection;

use crate::auth::{password, token::Token};
use crate::config::Paths;
use crate::db::ids::UserId;
use crate::db::models::{NewApiToken, NewUser};
use crate::db::{users, web_sessions};
use crate::domain::role::Role;
use crate::domain::user_name::UserName;
use crate::error::{AppError, AppResult};

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add a user and print their first access token (shown once).
    Add {
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// List users.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Set or change a user's password (read from the terminal without echo, or from stdin).
    SetPassword { name: String },
    /// End every browser sign-in of a user (their tokens stay valid).
    SignOut { name: String },
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
            let token = Token::generate();
            let secret_hash = token.secret_hash();
            conn.immediate_transaction(|conn| {
                if users::find_by_name(conn, name.as_str())?.is_some() {
                    return Err(AppError::BadInput(format!(
                        "user `{}` already exists: use `sdreview token create {}` for a new token",
                        name.as_str(),
                        name.as_str()
                    )));
                }
                let user = users::insert(
                    conn,
                    &NewUser {
                        name: name.as_str(),
                        role: role.as_str(),
                        created_at: now(),
                        updated_at: now(),
                    },
                )?;
                store_token(conn, user.id, "first token", &token, &secret_hash)
            })?;
            println!(
                "Added {role} `{}`. Their access token (shown only now, keep it safe):",
                name.as_str()
            );
            println!("{}", token.reveal());
        }
        UserCommand::List { json } => {
            let list = users::list_with_token_counts(&mut conn)?;
            if json {
                let rows: Vec<_> = list
                    .iter()
                    .map(|(u, n)| serde_json::json!({"name": u.name, "role": u.role, "disabled": u.is_disabled, "active_tokens": n, "created_at": u.created_at}))
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
                        user.created_at.format("%Y-%m-%d %H:%M")
                    );
                }
            }
        }
        UserCommand::SetPassword { name } => {
            let user = find_user(&mut conn, &name)?;
            let secret = read_password(&name)?;
            let phc = password::hash(&secret)?;
            let ended = conn.immediate_transaction(|conn| {
                users::set_password(conn, user, &phc, now())?;
                web_sessions::revoke_made_with_password(conn, user, now())
            })?;
            println!("`{name}` can now sign in with this password.");
            if ended > 0 {
                println!("Ended {ended} browser sign-in(s) made with the old password.");
            }
        }
        UserCommand::SignOut { name } => {
            let user = find_user(&mut conn, &name)?;
            let ended = web_sessions::revoke_all_of(&mut conn, user, now())?;
            println!("Ended {ended} browser sign-in(s) of `{name}`.");
        }
        UserCommand::Disable { name } => {
            let user = find_user(&mut conn, &name)?;
            let ended = conn.immediate_transaction(|conn| {
                users::set_disabled(conn, user, true, now())?;
                web_sessions::revoke_all_of(conn, user, now())
            })?;
            println!(
                "`{name}` is disabled: their tokens no longer work and {ended} browser sign-in(s) ended."
            );
        }
        UserCommand::Enable { name } => {
            let user = find_user(&mut conn, &name)?;
            users::set_disabled(&mut conn, user, false, now())?;
            println!("`{name}` can sign in again.");
        }
        UserCommand::SetRole { name, role } => {
            let user = find_user(&mut conn, &name)?;
            users::set_role(&mut conn, user, role.as_str(), now())?;
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
            let token = Token::generate();
            store_token(&mut conn, user, &label, &token, &token.secret_hash())?;
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
                    .map(|(t, owner)| serde_json::json!({"id": t.lookup, "user": owner, "label": t.label, "created_at": t.created_at, "last_used_at": t.last_used_at, "revoked_at": t.revoked_at}))
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
            let lookup = Token::parse(&token)
                .map(|t| t.lookup)
                .unwrap_or_else(|| token.trim().to_owned());
            let (revoked, ended) = conn.immediate_transaction(|conn| {
                let revoked = users::revoke_token(conn, &lookup, now())?;
                let mut ended = 0;
                for token in &revoked {
                    ended += web_sessions::revoke_made_with_token(conn, *token, now())?;
                }
                Ok::<_, diesel::result::Error>((revoked.len(), ended))
            })?;
            if revoked == 0 {
                return Err(AppError::NotFound(format!(
                    "no active token with id `{lookup}` (see `sdreview token list`)"
                )));
            }
            println!("Token `{lookup}` revoked; {ended} browser sign-in(s) made with it ended.");
        }
    }
    Ok(())
}

const MIN_PASSWORD: usize = 10;

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
    if secret.chars().count() < MIN_PASSWORD {
        return Err(AppError::BadInput(format!(
            "the password is too short: use at least {MIN_PASSWORD} characters (or sign in with a token)"
        )));
    }
    Ok(secret)
}

fn find_user(conn: &mut SqliteConnection, name: &str) -> AppResult<UserId> {
    users::find_by_name(conn, name)?
        .map(|u| u.id)
        .ok_or_else(|| AppError::NotFound(format!("no user `{name}` (see `sdreview user list`)")))
}

fn store_token(
    conn: &mut SqliteConnection,
    user: UserId,
    label: &str,
    token: &Token,
    secret_hash: &str,
) -> AppResult<()> {
    users::insert_token(
        conn,
        &NewApiToken {
            user_id: user,
            label,
            lookup: &token.lookup,
            secret_hash,
            created_at: now(),
        },
    )?;
    Ok(())
}
