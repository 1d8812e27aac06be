use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::ids::{TokenId, UserId};
use crate::db::schema::{api_tokens, users};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = users, check_for_backend(diesel::sqlite::Sqlite))]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub role: String,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub is_disabled: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub name: &'a str,
    pub role: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = api_tokens, check_for_backend(diesel::sqlite::Sqlite))]
pub struct ApiToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub label: String,
    pub lookup: String,
    #[serde(skip)]
    pub secret_hash: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct NewApiToken<'a> {
    pub user_id: UserId,
    pub label: &'a str,
    pub lookup: &'a str,
    pub secret_hash: &'a str,
    pub created_at: NaiveDateTime,
}
