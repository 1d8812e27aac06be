//! Gallery filters on what surrounds an image rather than the image itself: its session's
//! facts (model, sampler, scheduler, template, tag, date) and two raters' disagreement on it. Kept apart
//! from `gallery` so that file stays about the image's own columns.

use diesel::expression::SqlLiteral;
use diesel::prelude::*;
use diesel::query_builder::QueryFragment;
use diesel::sql_types::{Bool, Text};
use diesel::sqlite::Sqlite;

use super::schema::images::{self, dsl as i};
use super::schema::judgements::dsl as j;
use super::schema::session_tags::dsl as tg;
use super::schema::sessions::dsl as s;
use super::schema::users::dsl as u;
use crate::domain::gallery_filter::{NO_VALUE, SessionFacts};

type Images = images::BoxedQuery<'static, Sqlite>;

/// Images whose session has every fact asked for; `NO_VALUE` asks for a session that does not
/// say (NULL).
pub fn by_session_facts(query: Images, facts: &SessionFacts) -> Images {
    if !facts.is_set() {
        return query;
    }
    let mut sessions = s::sessions.select(s::id).into_boxed();
    sessions = match facts.model.as_deref() {
        Some(NO_VALUE) => sessions.filter(s::model_name.is_null()),
        Some(model) => sessions.filter(s::model_name.eq(model.to_owned())),
        None => sessions,
    };
    // Samplers and schedulers spelt in another case (`Karras`, `karras`) are the same one, as
    // the statistics group them.
    sessions = match facts.sampler.as_deref() {
        Some(NO_VALUE) => sessions.filter(s::sampler.is_null()),
        Some(sampler) => sessions.filter(same_ignoring_case("sampler", sampler)),
        None => sessions,
    };
    sessions = match facts.scheduler.as_deref() {
        Some(NO_VALUE) => sessions.filter(s::scheduler.is_null()),
        Some(scheduler) => sessions.filter(same_ignoring_case("scheduler", scheduler)),
        None => sessions,
    };
    sessions = match facts.template.as_deref() {
        Some(NO_VALUE) => sessions.filter(s::template_name.is_null()),
        Some(template) => sessions.filter(s::template_name.eq(template.to_owned())),
        None => sessions,
    };
    if let Some(tag) = &facts.tag {
        let tagged = tg::session_tags
            .filter(tg::tag.eq(tag.as_str().to_owned()))
            .select(tg::session_id);
        sessions = sessions.filter(s::id.eq_any(tagged));
    }
    if let Some(from) = facts.from {
        sessions = sessions.filter(s::created_at.ge(from.and_time(chrono::NaiveTime::MIN)));
    }
    if let Some(next_day) = facts.to.and_then(|d| d.succ_opt()) {
        sessions = sessions.filter(s::created_at.lt(next_day.and_time(chrono::NaiveTime::MIN)));
    }
    query.filter(i::session_id.eq_any(sessions))
}

/// `column = value`, in any case of the ASCII letters (SQLite's NOCASE). `column` is one of
/// ours, never the caller's.
fn same_ignoring_case(
    column: &'static str,
    value: &str,
) -> SqlLiteral<Bool, impl QueryFragment<Sqlite> + use<>> {
    diesel::dsl::sql::<Bool>(&format!("{column} = "))
        .bind::<Text, _>(value.to_owned())
        .sql(" COLLATE NOCASE")
}

/// Images to which rater `a` gave OK and `b` KO, or the other way round.
pub fn by_disagreement(query: Images, a: &str, b: &str) -> Images {
    let status_of = |name: &str, status: &'static str| {
        let user = u::users.filter(u::name.eq(name.to_owned())).select(u::id);
        j::judgements
            .filter(j::user_id.eq_any(user))
            .filter(j::status.eq(status))
            .select(j::image_id)
    };
    query.filter(
        i::id
            .eq_any(status_of(a, "ok"))
            .and(i::id.eq_any(status_of(b, "ko")))
            .or(i::id
                .eq_any(status_of(a, "ko"))
                .and(i::id.eq_any(status_of(b, "ok")))),
    )
}

/// What the KO predictor called the image (`predicted=ko|ok`); an image it has not scored
/// passes neither.
pub fn by_prediction(
    query: images::BoxedQuery<'static, Sqlite>,
    predicted: crate::domain::gallery_filter::PredictedFilter,
) -> images::BoxedQuery<'static, Sqlite> {
    let call = format!(
        "iif(json_valid(images.ml_predictions), \
         json_extract(images.ml_predictions, '$.{}.call'), NULL) = '{}'",
        crate::predict::KEY,
        predicted.as_str()
    );
    query.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&call))
}
