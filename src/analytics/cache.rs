//! Statistics are computed once per filter and kept until something they count changes: in
//! memory (a page view then costs a lookup) and in `analytics_cache` (so a restart, or
//! `sdreview stats`, does not start cold). Both are checked against `analytics_version`, which
//! triggers bump on every judgement, import and edit that can move a figure.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use diesel::{Connection, SqliteConnection};

use super::{Report, compute};
use crate::db::caller::Caller;
use crate::db::{analytics_cache, stats};
use crate::domain::stats_request::StatsRequest;
use crate::error::{AppError, AppResult};

/// Bump when `Report` changes shape: older stored entries are then recomputed, not misread.
const FORMAT: u32 = 3;
const MAX_IN_MEMORY: usize = 32;

/// One per running app (tests run several apps, each with its own database, in one process).
#[derive(Default)]
pub struct StatsCache {
    entries: Mutex<HashMap<String, (i64, Arc<Report>)>>,
    /// Held while a report is computed, so that many requests missing at once compute it once.
    computing: Mutex<()>,
}

/// The cache key: what decides the figures, and who asks when the figures are theirs alone.
pub fn key(request: &StatsRequest, caller: Caller) -> String {
    let mut key = format!("stats/{FORMAT}?{}", request.query_string());
    if request.is_personal() {
        key.push_str(&format!("#user={}", caller.user));
    }
    // A deleted session asked for by id counts for an admin only (the trash rule).
    if caller.sees_trash() && (request.filter.session.is_some() || request.filter.deleted) {
        key.push_str("#trash");
    }
    key
}

impl StatsCache {
    fn remembered(&self, key: &str, version: i64) -> Option<Arc<Report>> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .get(key)
            .filter(|(at, _)| *at == version)
            .map(|(_, report)| report.clone())
    }

    fn remember(&self, key: String, version: i64, report: Arc<Report>) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.retain(|_, (at, _)| *at == version);
        if entries.len() >= MAX_IN_MEMORY {
            entries.clear();
        }
        entries.insert(key, (version, report));
    }

    /// The report for `request`: from memory, from the table, or computed (then kept in both).
    pub fn report(
        &self,
        conn: &mut SqliteConnection,
        request: &StatsRequest,
        caller: Caller,
    ) -> AppResult<Arc<Report>> {
        let key = key(request, caller);
        if let Some(report) = self.remembered(&key, stats::version(conn)?) {
            return Ok(report);
        }
        let _turn = self
            .computing
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // One read transaction: the version and every row come from the same snapshot, so a
        // rating landing meanwhile cannot be counted under the version before it.
        let (version, report, fresh) = conn.transaction(|conn| -> AppResult<_> {
            let version = stats::version(conn)?;
            if let Some(report) = self.remembered(&key, version) {
                return Ok((version, report, false));
            }
            let stored = analytics_cache::get(conn, &key, version)?
                .and_then(|json| serde_json::from_str::<Report>(&json).ok());
            match stored {
                Some(report) => Ok((version, Arc::new(report), false)),
                None => Ok((version, Arc::new(compute(conn, request, caller)?), true)),
            }
        })?;
        if fresh {
            let json = serde_json::to_string(&*report).map_err(AppError::from)?;
            analytics_cache::put(conn, &key, &json, version, crate::db::now())?;
        }
        self.remember(key, version, report.clone());
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::ids::UserId;

    fn request(query: &str) -> StatsRequest {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        StatsRequest::parse(&pairs).unwrap()
    }

    #[test]
    fn each_rule_has_its_own_cache_entry_and_the_pairs_order_shares_one() {
        let caller = Caller::owner(UserId(1));
        let key = |query: &str| key(&request(query), caller);
        assert_ne!(key(""), key("rule=majority"));
        assert_ne!(key("rule=majority"), key("rule=each"));
        assert_eq!(key(""), key("rule=any"));
        assert_eq!(key("rule=each"), key("rule=each&pairs_sort=n"));
    }
}
