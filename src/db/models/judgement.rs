use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::ids::{ImageId, UserId};
use crate::db::schema::judgements;
use crate::domain::rating::{Quality, Status, Verdict};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = judgements, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Judgement {
    pub image_id: ImageId,
    pub user_id: UserId,
    pub quality: Option<String>,
    pub liked: bool,
    pub status: Option<String>,
    pub failure_category: Option<String>,
    pub failure_notes: Option<String>,
    pub updated_at: NaiveDateTime,
}

impl Judgement {
    pub fn verdict(&self) -> Verdict {
        Verdict {
            quality: self.quality.as_deref().and_then(Quality::parse),
            liked: self.liked,
            status: self.status.as_deref().and_then(Status::parse),
            failure_category: self.failure_category.clone(),
            failure_notes: self.failure_notes.clone(),
        }
    }
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = judgements, treat_none_as_null = true)]
pub struct JudgementWrite<'a> {
    pub quality: Option<&'a str>,
    pub liked: bool,
    pub status: Option<&'a str>,
    pub failure_category: Option<&'a str>,
    pub failure_notes: Option<&'a str>,
    pub updated_at: NaiveDateTime,
}

impl<'a> JudgementWrite<'a> {
    pub fn from_verdict(verdict: &'a Verdict, now: NaiveDateTime) -> JudgementWrite<'a> {
        JudgementWrite {
            quality: verdict.quality.map(Quality::as_str),
            liked: verdict.liked,
            status: verdict.status.map(Status::as_str),
            failure_category: verdict.failure_category.as_deref(),
            failure_notes: verdict.failure_notes.as_deref(),
            updated_at: now,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::db::schema::failure_categories, check_for_backend(diesel::sqlite::Sqlite))]
pub struct FailureCategory {
    pub name: String,
    pub label: String,
}
