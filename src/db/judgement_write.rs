//! Storing one user's verdict on one image, with statements diesel keeps prepared. Diesel
//! prepares every UPDATE it builds anew, and preparing one on `judgements` compiles the
//! counter triggers (migration `create_review_counters`) each time: a third of a rating's
//! time. This UPDATE is written out once, with a fixed query id, so the connection's statement
//! cache keeps it.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Bool, Integer, Nullable, Text, Timestamp};
use diesel::sqlite::Sqlite;

use super::ids::{ImageId, UserId};
use super::models::JudgementWrite;
use super::schema::judgements::dsl as j;
use crate::domain::rating::Verdict;

/// `UPDATE judgements SET <every verdict column> WHERE image_id = ? AND user_id = ?`.
struct UpdateVerdict<'a> {
    image: i32,
    user: i32,
    row: JudgementWrite<'a>,
}

impl QueryId for UpdateVerdict<'_> {
    type QueryId = UpdateVerdict<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl QueryFragment<Sqlite> for UpdateVerdict<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        out.push_sql("UPDATE judgements SET quality = ");
        out.push_bind_param::<Nullable<Text>, _>(&self.row.quality)?;
        out.push_sql(", liked = ");
        out.push_bind_param::<Bool, _>(&self.row.liked)?;
        out.push_sql(", status = ");
        out.push_bind_param::<Nullable<Text>, _>(&self.row.status)?;
        out.push_sql(", failure_category = ");
        out.push_bind_param::<Nullable<Text>, _>(&self.row.failure_category)?;
        out.push_sql(", failure_notes = ");
        out.push_bind_param::<Nullable<Text>, _>(&self.row.failure_notes)?;
        out.push_sql(", updated_at = ");
        out.push_bind_param::<Timestamp, _>(&self.row.updated_at)?;
        out.push_sql(" WHERE image_id = ");
        out.push_bind_param::<Integer, _>(&self.image)?;
        out.push_sql(" AND user_id = ");
        out.push_bind_param::<Integer, _>(&self.user)?;
        Ok(())
    }
}

impl RunQueryDsl<SqliteConnection> for UpdateVerdict<'_> {}

/// Stores a user's verdict on an image: an UPDATE, then an INSERT if there was no row. An
/// upsert cost twice as much: SQLite compiled both its INSERT and UPDATE triggers each time.
pub fn store(
    conn: &mut SqliteConnection,
    image: ImageId,
    user: UserId,
    verdict: &Verdict,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let updated = UpdateVerdict {
        image: image.0,
        user: user.0,
        row: JudgementWrite::from_verdict(verdict, now),
    }
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(j::judgements)
            .values((
                j::image_id.eq(image),
                j::user_id.eq(user),
                j::created_at.eq(now),
                &JudgementWrite::from_verdict(verdict, now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::row_limit::RowLimit;
    use super::*;
    use diesel::connection::SimpleConnection;

    fn table() -> SqliteConnection {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        conn.batch_execute(
            "CREATE TABLE judgements (id INTEGER PRIMARY KEY, image_id INTEGER NOT NULL,
                 user_id INTEGER NOT NULL, quality TEXT, liked BOOLEAN NOT NULL DEFAULT 0,
                 status TEXT, failure_category TEXT, failure_notes TEXT,
                 created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL,
                 UNIQUE (image_id, user_id))",
        )
        .unwrap();
        conn
    }

    #[test]
    fn a_verdict_is_inserted_then_replaced_whole() {
        let conn = &mut table();
        let (image, user) = (ImageId(7), UserId(2));
        let t0 = chrono::DateTime::from_timestamp(1_700_000_000, 0)
            .unwrap()
            .naive_utc();
        let t1 = t0 + chrono::Duration::minutes(5);
        let first = Verdict {
            liked: true,
            failure_notes: Some("hands".into()),
            ..Verdict::default()
        };
        store(conn, image, user, &first, t0).unwrap();
        store(conn, image, user, &Verdict::default(), t1).unwrap();
        let (liked, notes, created, updated): (bool, Option<String>, NaiveDateTime, NaiveDateTime) =
            j::judgements
                .select((j::liked, j::failure_notes, j::created_at, j::updated_at))
                .first_row(conn)
                .unwrap();
        assert_eq!((liked, notes), (false, None), "every column is written");
        assert_eq!((created, updated), (t0, t1));
        let rows: i64 = j::judgements.count().get_result(conn).unwrap();
        assert_eq!(rows, 1);
    }
}
