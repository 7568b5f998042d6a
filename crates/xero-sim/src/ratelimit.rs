//! Xero's rate limits: per (app, tenant) 5 concurrent, 60 per rolling minute, the tier's daily
//! limit per rolling day (5,000; 1,000 on Starter); per app 10,000 per rolling minute. Windows
//! run on the simulator's [`crate::Clock`].
//!
//! Only admitted calls count against the windows (a 429 does not use up quota).

use crate::config::RateLimits;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use uuid::Uuid;

const MINUTE_MS: i64 = 60_000;

#[derive(Default, Debug)]
struct TenantWindow {
    in_flight: u32,
    minute: VecDeque<i64>,
    /// (minute index, calls in that minute)
    day: VecDeque<(i64, u32)>,
    day_total: u32,
}

impl TenantWindow {
    fn evict(&mut self, now: i64) {
        while self.minute.front().is_some_and(|&t| t <= now - MINUTE_MS) {
            self.minute.pop_front();
        }
        let current_minute = now.div_euclid(MINUTE_MS);
        while self.day.front().is_some_and(|&(m, _)| m <= current_minute - 1440) {
            let (_, c) = self.day.pop_front().expect("front");
            self.day_total -= c;
        }
    }
}

/// Remaining quota, as the `X-*-Limit-Remaining` headers report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Remaining {
    pub minute: u32,
    pub day: u32,
    pub app_minute: u32,
}

/// Which limit refused a call (`X-Rate-Limit-Problem`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    Concurrent,
    Minute,
    Day,
    AppMinute,
}

impl Problem {
    pub fn header_value(self) -> &'static str {
        match self {
            Problem::Concurrent => "concurrent",
            Problem::Minute => "minute",
            Problem::Day => "day",
            Problem::AppMinute => "appminute",
        }
    }
}

type Key = (String, Uuid);

#[derive(Debug)]
pub(crate) struct RateLimiter {
    limits: RateLimits,
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    tenants: HashMap<Key, TenantWindow>,
    apps: HashMap<String, VecDeque<i64>>,
}

/// Holds one of the 5 concurrent slots; released on drop.
#[derive(Debug)]
pub(crate) struct Permit {
    inner: Arc<Mutex<Inner>>,
    key: Key,
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Ok(mut inner) = self.inner.lock()
            && let Some(w) = inner.tenants.get_mut(&self.key)
        {
            w.in_flight = w.in_flight.saturating_sub(1);
        }
    }
}

pub(crate) enum Admission {
    Admitted(Permit, Remaining),
    Refused { problem: Problem, retry_after_secs: u64, remaining: Remaining },
}

fn ceil_secs(ms: i64) -> u64 {
    ((ms.max(1) + 999) / 1000) as u64
}

impl RateLimiter {
    pub(crate) fn new(limits: RateLimits) -> Self {
        RateLimiter { limits, inner: Arc::new(Mutex::new(Inner::default())) }
    }

    pub(crate) fn admit(&self, app: &str, tenant: Uuid, now: i64) -> Admission {
        let l = self.limits;
        let mut guard = self.inner.lock().expect("rate limiter lock");
        let inner = &mut *guard;
        let app_window = inner.apps.entry(app.to_string()).or_default();
        while app_window.front().is_some_and(|&t| t <= now - MINUTE_MS) {
            app_window.pop_front();
        }
        let app_count = app_window.len() as u32;
        let app_oldest = app_window.front().copied();
        let key = (app.to_string(), tenant);
        let w = inner.tenants.entry(key.clone()).or_default();
        w.evict(now);
        let remaining = Remaining {
            minute: l.per_minute.saturating_sub(w.minute.len() as u32),
            day: l.per_day.saturating_sub(w.day_total),
            app_minute: l.app_per_minute.saturating_sub(app_count),
        };
        let refuse = |problem, retry_after_secs| Admission::Refused { problem, retry_after_secs, remaining };
        if w.in_flight >= l.concurrent {
            return refuse(Problem::Concurrent, 1);
        }
        if w.minute.len() as u32 >= l.per_minute {
            let oldest = *w.minute.front().expect("non-empty minute window");
            return refuse(Problem::Minute, ceil_secs(oldest + MINUTE_MS - now));
        }
        if w.day_total >= l.per_day {
            let (first_minute, _) = *w.day.front().expect("non-empty day window");
            return refuse(Problem::Day, ceil_secs((first_minute + 1440) * MINUTE_MS - now));
        }
        if app_count >= l.app_per_minute {
            let oldest = app_oldest.expect("non-empty app window");
            return refuse(Problem::AppMinute, ceil_secs(oldest + MINUTE_MS - now));
        }
        // admit
        w.in_flight += 1;
        w.minute.push_back(now);
        let m = now.div_euclid(MINUTE_MS);
        match w.day.back_mut() {
            Some((last, c)) if *last == m => *c += 1,
            _ => w.day.push_back((m, 1)),
        }
        w.day_total += 1;
        let remaining = Remaining {
            minute: l.per_minute.saturating_sub(w.minute.len() as u32),
            day: l.per_day.saturating_sub(w.day_total),
            app_minute: l.app_per_minute.saturating_sub(app_count + 1),
        };
        inner.apps.get_mut(app).expect("app window").push_back(now);
        Admission::Admitted(Permit { inner: self.inner.clone(), key }, remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter() -> RateLimiter {
        RateLimiter::new(RateLimits { concurrent: 2, per_minute: 3, per_day: 5, app_per_minute: 100 })
    }

    #[test]
    fn concurrency_slots_are_released_on_drop() {
        let l = limiter();
        let t = Uuid::new_v4();
        let a = l.admit("app", t, 0);
        let b = l.admit("app", t, 1);
        assert!(matches!(
            l.admit("app", t, 2),
            Admission::Refused { problem: Problem::Concurrent, retry_after_secs: 1, .. }
        ));
        drop(a);
        assert!(matches!(l.admit("app", t, 3), Admission::Admitted(..)));
        drop(b);
    }

    #[test]
    fn minute_then_day_windows_roll() {
        let l = limiter();
        let t = Uuid::new_v4();
        for i in 0..3 {
            let Admission::Admitted(_, r) = l.admit("app", t, i * 1000) else { panic!("admitted") };
            assert_eq!(r.minute, 2 - i as u32);
        }
        match l.admit("app", t, 10_000) {
            Admission::Refused { problem: Problem::Minute, retry_after_secs, .. } => assert_eq!(retry_after_secs, 50),
            _ => panic!("minute limit"),
        }
        // a minute later: two more fit the day (5), then the day is the problem
        for i in 0..2 {
            assert!(matches!(l.admit("app", t, 61_000 + i), Admission::Admitted(..)));
        }
        match l.admit("app", t, 200_000) {
            Admission::Refused { problem: Problem::Day, retry_after_secs, remaining } => {
                assert_eq!(remaining.day, 0);
                assert_eq!(retry_after_secs, (86_400_000 - 200_000) / 1000);
            }
            _ => panic!("day limit"),
        }
        assert!(matches!(l.admit("app", t, 86_400_000), Admission::Admitted(..)));
        // other apps and tenants are separate
        assert!(matches!(l.admit("other", t, 200_000), Admission::Admitted(..)));
        assert!(matches!(l.admit("app", Uuid::new_v4(), 200_000), Admission::Admitted(..)));
    }
}
