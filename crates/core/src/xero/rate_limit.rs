//! Xero's rate limits, kept on our side so we rarely meet a 429
//! (<https://developer.xero.com/documentation/guides/oauth2/limits/>):
//! per tenant 5 calls in flight and 60 per rolling minute; per app 10,000 per rolling minute.
//! (The 5,000-per-day tenant limit is not paced here: Xero's 429 for it is final for the day.)
//!
//! Switchboard also keeps its own cap on calls in flight across all tenants, so a sync of a
//! large practice does not open hundreds of connections at once.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub tenant_concurrent: usize,
    pub tenant_per_minute: usize,
    pub app_per_minute: usize,
    /// Switchboard's own cap on calls in flight, across tenants.
    pub in_flight: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { tenant_concurrent: 5, tenant_per_minute: 60, app_per_minute: 10_000, in_flight: 32 }
    }
}

const WINDOW: Duration = Duration::from_secs(60);

/// A rolling one-minute window of call start times.
struct Window {
    capacity: usize,
    starts: VecDeque<Instant>,
}

impl Window {
    fn new(capacity: usize) -> Self {
        Window { capacity, starts: VecDeque::with_capacity(capacity.min(1024)) }
    }

    /// Records a call now if the window has room; otherwise says when it will.
    fn try_take(&mut self, now: Instant) -> Result<(), Instant> {
        while self.starts.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            self.starts.pop_front();
        }
        if self.starts.len() < self.capacity {
            self.starts.push_back(now);
            Ok(())
        } else {
            Err(self.starts[0] + WINDOW)
        }
    }
}

struct Tenant {
    in_flight: Arc<Semaphore>,
    minute: Mutex<Window>,
}

pub struct RateLimiter {
    limits: Limits,
    in_flight: Arc<Semaphore>,
    app_minute: Mutex<Window>,
    tenants: Mutex<HashMap<String, Arc<Tenant>>>,
}

/// Held for the duration of one call.
pub struct CallPermit {
    _tenant: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

impl RateLimiter {
    pub fn new(limits: Limits) -> Self {
        RateLimiter {
            limits,
            in_flight: Arc::new(Semaphore::new(limits.in_flight)),
            app_minute: Mutex::new(Window::new(limits.app_per_minute)),
            tenants: Mutex::new(HashMap::new()),
        }
    }

    /// Waits until a call to `tenant` fits every limit, and reserves it.
    pub async fn acquire(&self, tenant: &str) -> CallPermit {
        let state = self.tenant(tenant);
        let tenant_permit = state.in_flight.clone().acquire_owned().await.expect("never closed");
        let global_permit = self.in_flight.clone().acquire_owned().await.expect("never closed");
        loop {
            let now = Instant::now();
            let wait_until = {
                let mut minute = state.minute.lock().unwrap_or_else(|e| e.into_inner());
                match minute.try_take(now) {
                    Err(until) => Some(until),
                    Ok(()) => match self.app_minute.lock().unwrap_or_else(|e| e.into_inner()).try_take(now) {
                        Ok(()) => None,
                        Err(until) => {
                            // Give the tenant's slot back: the call did not start.
                            minute.starts.pop_back();
                            Some(until)
                        }
                    },
                }
            };
            match wait_until {
                None => return CallPermit { _tenant: tenant_permit, _global: global_permit },
                Some(until) => tokio::time::sleep_until(until).await,
            }
        }
    }

    fn tenant(&self, tenant: &str) -> Arc<Tenant> {
        let mut tenants = self.tenants.lock().unwrap_or_else(|e| e.into_inner());
        tenants
            .entry(tenant.to_owned())
            .or_insert_with(|| {
                Arc::new(Tenant {
                    in_flight: Arc::new(Semaphore::new(self.limits.tenant_concurrent)),
                    minute: Mutex::new(Window::new(self.limits.tenant_per_minute)),
                })
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_sixty_first_call_to_a_tenant_waits_for_the_window() {
        let limiter = RateLimiter::new(Limits::default());
        let start = Instant::now();
        for _ in 0..60 {
            drop(limiter.acquire("t1").await);
        }
        assert_eq!(Instant::now(), start, "60 calls fit in one minute");
        drop(limiter.acquire("t2").await);
        assert_eq!(Instant::now(), start, "another tenant has its own window");
        drop(limiter.acquire("t1").await);
        assert!(Instant::now() >= start + WINDOW, "the 61st waited a minute");
    }

    #[tokio::test(start_paused = true)]
    async fn at_most_five_calls_to_a_tenant_are_in_flight() {
        let limiter = Arc::new(RateLimiter::new(Limits::default()));
        let held: Vec<_> = futures_in_order(&limiter, 5).await;
        let sixth = tokio::time::timeout(Duration::from_secs(1), limiter.acquire("t")).await;
        assert!(sixth.is_err(), "a sixth call must wait while five are in flight");
        drop(held);
        assert!(tokio::time::timeout(Duration::from_secs(1), limiter.acquire("t")).await.is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn the_app_wide_minute_limit_spans_tenants() {
        let limits = Limits { app_per_minute: 3, ..Limits::default() };
        let limiter = RateLimiter::new(limits);
        let start = Instant::now();
        for tenant in ["a", "b", "c"] {
            drop(limiter.acquire(tenant).await);
        }
        drop(limiter.acquire("d").await);
        assert!(Instant::now() >= start + WINDOW);
    }

    async fn futures_in_order(limiter: &Arc<RateLimiter>, n: usize) -> Vec<CallPermit> {
        let mut permits = Vec::new();
        for _ in 0..n {
            permits.push(limiter.acquire("t").await);
        }
        permits
    }
}
