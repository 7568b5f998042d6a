//! Counting what Xero sends: Xero bills an app for data downloaded (egress) beyond its tier's
//! monthly allowance, so the practice needs to see how much Switchboard downloads, by calendar
//! month (UTC) and by API.
//!
//! Counted: the body of every answer to an API call, as reqwest hands it over. reqwest is built
//! without gzip, so no `Accept-Encoding` is sent and these are the body bytes on the wire (headers
//! and chunk framing aside). Not counted: sign-in and token refreshes (the identity service's
//! answers are not API data).
//!
//! Counts gather in memory and are added to the cache at most once a second, and whenever the
//! usage is read: one write per answer would put ~3,000 extra transactions on the cache during a
//! sync of 1,000 organisations, queueing behind (and delaying) the files' own writes. A crash
//! loses at most the last second's count.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Months, Utc};
use serde::Serialize;
use ts_rs::TS;

use super::context::XeroContext;
use super::token_vault::{SharedCache, lock};
use crate::cache::{Cache, EgressRow};
use crate::error::Result;

/// How often counts gathered in memory are added to the cache.
const SAVE_EVERY: Duration = Duration::from_secs(1);

/// Which API an answer came from, told by its URL's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ApiGroup {
    /// `/connections`: which organisations a sign-in reaches.
    Connections,
    /// `api.xro/2.0/…` except reports: Organisation, Users, Invoices.
    Accounting,
    /// `api.xro/2.0/Reports/…`.
    Reports,
    /// `payroll.xro/…`.
    Payroll,
    /// `assets.xro/…`.
    Assets,
    /// `practicemanager/…` (XPM).
    PracticeManager,
    Other,
}

impl ApiGroup {
    /// The group of an API URL. Only the path counts, so a base path in front (the simulator's
    /// `/api/`) makes no difference.
    pub fn of(url: &url::Url) -> ApiGroup {
        let mut segments = url.path_segments().into_iter().flatten().map(str::to_ascii_lowercase);
        while let Some(segment) = segments.next() {
            return match segment.as_str() {
                "connections" => ApiGroup::Connections,
                "api.xro" if segments.any(|s| s == "reports") => ApiGroup::Reports,
                "api.xro" => ApiGroup::Accounting,
                "payroll.xro" => ApiGroup::Payroll,
                "assets.xro" => ApiGroup::Assets,
                "practicemanager" => ApiGroup::PracticeManager,
                _ => continue,
            };
        }
        ApiGroup::Other
    }

    pub fn code(self) -> &'static str {
        match self {
            ApiGroup::Connections => "connections",
            ApiGroup::Accounting => "accounting",
            ApiGroup::Reports => "reports",
            ApiGroup::Payroll => "payroll",
            ApiGroup::Assets => "assets",
            ApiGroup::PracticeManager => "practice_manager",
            ApiGroup::Other => "other",
        }
    }

    fn from_code(code: &str) -> ApiGroup {
        [
            ApiGroup::Connections,
            ApiGroup::Accounting,
            ApiGroup::Reports,
            ApiGroup::Payroll,
            ApiGroup::Assets,
            ApiGroup::PracticeManager,
        ]
        .into_iter()
        .find(|g| g.code() == code)
        .unwrap_or(ApiGroup::Other)
    }
}

/// Counts answers' bytes, and adds them to the cache now and then (see the module's comment).
#[derive(Default)]
pub struct EgressMeter {
    pending: Mutex<Pending>,
    /// `None`: counted in memory only (an API client with no cache).
    cache: Option<SharedCache>,
}

#[derive(Default)]
struct Pending {
    counts: BTreeMap<(String, ApiGroup), (u64, u64)>,
    saved_at: Option<Instant>,
}

impl EgressMeter {
    pub fn saving_to(cache: SharedCache) -> Self {
        EgressMeter { pending: Mutex::default(), cache: Some(cache) }
    }

    /// One answer of `bytes` from `url`.
    pub fn record(&self, url: &url::Url, bytes: usize) {
        let key = (month_of(Utc::now()), ApiGroup::of(url));
        let due = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            let count = pending.counts.entry(key).or_default();
            count.0 += bytes as u64;
            count.1 += 1;
            pending.saved_at.is_none_or(|at| at.elapsed() >= SAVE_EVERY)
        };
        if due && let Some(cache) = &self.cache {
            // Never wait for the cache here: whoever holds it is writing a file's result, and
            // the counts can go in with the next answer.
            if let Ok(mut cache) = cache.try_lock() {
                self.save_into(&mut cache);
            }
        }
    }

    /// Adds what was counted since the last save to the cache.
    pub fn save(&self) {
        if let Some(cache) = &self.cache {
            self.save_into(&mut lock(cache));
        }
    }

    fn save_into(&self, cache: &mut Cache) {
        let counts = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            pending.saved_at = Some(Instant::now());
            std::mem::take(&mut pending.counts)
        };
        if counts.is_empty() {
            return;
        }
        let rows: Vec<EgressRow> = counts
            .iter()
            .map(|((month, api), (bytes, calls))| EgressRow {
                month: month.clone(),
                api: api.code().to_owned(),
                bytes: *bytes,
                calls: *calls,
            })
            .collect();
        if let Err(error) = cache.add_egress(&rows) {
            tracing::warn!(%error, "egress counts could not be saved; kept for the next save");
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            for (key, (bytes, calls)) in counts {
                let count = pending.counts.entry(key).or_default();
                count.0 += bytes;
                count.1 += calls;
            }
        }
    }
}

impl Drop for EgressMeter {
    fn drop(&mut self) {
        // `try_lock`: a meter dropped by a thread that holds the cache must not deadlock.
        if let Some(cache) = &self.cache
            && let Ok(mut cache) = cache.try_lock()
        {
            self.save_into(&mut cache);
        }
    }
}

/// The bytes Xero sent in one calendar month (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EgressMonth {
    /// `YYYY-MM`.
    pub month: String,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub calls: u64,
    /// Largest first.
    pub by_api: Vec<EgressByApi>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EgressByApi {
    pub api: ApiGroup,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub calls: u64,
}

/// This month and the ones before it, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EgressUsage {
    /// This month first, then each month before it (a month with nothing counted is zero).
    pub months: Vec<EgressMonth>,
}

/// How many months the usage shows: this one and the five before it.
pub const USAGE_MONTHS: u32 = 6;

/// The usage of the `count` months up to the one `now` is in, from the cache.
pub fn usage(cache: &Cache, now: DateTime<Utc>, count: u32) -> Result<EgressUsage> {
    let this_month = now.with_day(1).unwrap_or(now);
    let names: Vec<String> = (0..count.max(1))
        .map(|back| month_of(this_month.checked_sub_months(Months::new(back)).unwrap_or(this_month)))
        .collect();
    let mut months: Vec<EgressMonth> =
        names.into_iter().map(|month| EgressMonth { month, bytes: 0, calls: 0, by_api: Vec::new() }).collect();
    let first = months.last().map(|m| m.month.clone()).unwrap_or_default();
    for row in cache.egress_since(&first)? {
        // A row from a later month than `now` (a clock set back) is not shown.
        if let Some(month) = months.iter_mut().find(|m| m.month == row.month) {
            month.bytes += row.bytes;
            month.calls += row.calls;
            month.by_api.push(EgressByApi { api: ApiGroup::from_code(&row.api), bytes: row.bytes, calls: row.calls });
        }
    }
    Ok(EgressUsage { months })
}

impl XeroContext {
    /// This month's and recent months' totals, with everything counted so far.
    pub fn egress_usage(&self) -> Result<EgressUsage> {
        self.api.egress().save();
        usage(&lock(&self.cache), Utc::now(), USAGE_MONTHS)
    }
}

fn month_of(at: DateTime<Utc>) -> String {
    format!("{:04}-{:02}", at.year(), at.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(url: &str) -> ApiGroup {
        ApiGroup::of(&url.parse().unwrap())
    }

    #[test]
    fn answers_are_grouped_by_their_path() {
        assert_eq!(group("https://api.xero.com/connections"), ApiGroup::Connections);
        assert_eq!(group("https://api.xero.com/api.xro/2.0/Organisation"), ApiGroup::Accounting);
        assert_eq!(group("https://api.xero.com/api.xro/2.0/Invoices?Statuses=AUTHORISED&page=2"), ApiGroup::Accounting);
        assert_eq!(group("https://api.xero.com/api.xro/2.0/Reports/BalanceSheet?date=2026-01-31"), ApiGroup::Reports);
        assert_eq!(group("https://api.xero.com/payroll.xro/2.0/Settings"), ApiGroup::Payroll);
        assert_eq!(group("https://api.xero.com/assets.xro/1.0/Settings"), ApiGroup::Assets);
        assert_eq!(group("https://api.xero.com/practicemanager/3.1/client.api/list"), ApiGroup::PracticeManager);
        // The simulator's base path in front.
        assert_eq!(group("http://127.0.0.1:9/api/Connections/abc"), ApiGroup::Connections);
        assert_eq!(group("http://127.0.0.1:9/api/payroll.xro/1.0/Settings"), ApiGroup::Payroll);
        assert_eq!(group("https://api.xero.com/bankfeeds.xro/1.0/Statements"), ApiGroup::Other);
    }

    #[test]
    fn every_group_reads_back_from_its_code() {
        for g in [
            ApiGroup::Connections,
            ApiGroup::Accounting,
            ApiGroup::Reports,
            ApiGroup::Payroll,
            ApiGroup::Assets,
            ApiGroup::PracticeManager,
            ApiGroup::Other,
        ] {
            assert_eq!(ApiGroup::from_code(g.code()), g);
        }
    }

    #[test]
    fn months_are_utc_calendar_months() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(month_of(at("2026-03-31T23:59:59Z")), "2026-03");
        // 09:00 on 1 April in Sydney is still March in UTC.
        assert_eq!(month_of(at("2026-04-01T09:00:00+11:00")), "2026-03");
    }

    #[test]
    fn usage_shows_this_month_and_those_before_even_when_empty() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::open(&dir.path().join("c.sqlite3")).unwrap();
        let row =
            |month: &str, api: &str, bytes, calls| EgressRow { month: month.into(), api: api.into(), bytes, calls };
        cache.add_egress(&[row("2026-03", "accounting", 1_000, 2), row("2026-01", "payroll", 50, 1)]).unwrap();
        cache.add_egress(&[row("2026-03", "accounting", 500, 1), row("2026-03", "connections", 2_000, 1)]).unwrap();
        cache.add_egress(&[row("2025-01", "accounting", 7, 1)]).unwrap();
        let now = DateTime::parse_from_rfc3339("2026-03-15T12:00:00Z").unwrap().with_timezone(&Utc);
        let usage = usage(&cache, now, 3).unwrap();
        let names: Vec<_> = usage.months.iter().map(|m| m.month.as_str()).collect();
        assert_eq!(names, ["2026-03", "2026-02", "2026-01"]);
        let march = &usage.months[0];
        assert_eq!((march.bytes, march.calls), (3_500, 4));
        assert_eq!(march.by_api[0], EgressByApi { api: ApiGroup::Connections, bytes: 2_000, calls: 1 });
        assert_eq!(march.by_api[1], EgressByApi { api: ApiGroup::Accounting, bytes: 1_500, calls: 3 });
        assert_eq!((usage.months[1].bytes, usage.months[1].by_api.len()), (0, 0));
        assert_eq!(usage.months[2].bytes, 50);
    }
}
