//! The simulator's clock: wall time plus an offset tests can move forward, or a frozen instant.
//!
//! Every time-dependent rule (token and code lifetimes, the refresh grace window, 60-day idle
//! expiry, the minute/day rate-limit windows, timestamps in payloads) reads this clock, so a test
//! can jump 31 minutes or 61 days with [`Clock::advance`] instead of sleeping.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A controllable clock, in Unix milliseconds. Cheap to clone; clones share the same time.
#[derive(Clone, Debug)]
pub struct Clock {
    inner: Arc<Mutex<ClockInner>>,
}

#[derive(Debug)]
struct ClockInner {
    frozen_at_ms: Option<i64>,
    offset_ms: i64,
}

fn wall_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

impl Clock {
    /// Wall-clock time (plus whatever [`Clock::advance`] added).
    pub fn wall() -> Self {
        Clock { inner: Arc::new(Mutex::new(ClockInner { frozen_at_ms: None, offset_ms: 0 })) }
    }

    /// A clock that stands still at `unix_ms` until advanced.
    pub fn frozen_at(unix_ms: i64) -> Self {
        Clock { inner: Arc::new(Mutex::new(ClockInner { frozen_at_ms: Some(unix_ms), offset_ms: 0 })) }
    }

    /// Current simulated time in Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        let inner = self.inner.lock().expect("clock lock");
        inner.frozen_at_ms.unwrap_or_else(wall_ms) + inner.offset_ms
    }

    /// Move simulated time forward.
    pub fn advance(&self, by: Duration) {
        let mut inner = self.inner.lock().expect("clock lock");
        inner.offset_ms += by.as_millis() as i64;
    }

    /// Stop the clock at the current simulated instant (it still moves with [`Clock::advance`]).
    pub fn freeze(&self) {
        let now = self.now_ms();
        let mut inner = self.inner.lock().expect("clock lock");
        inner.frozen_at_ms = Some(now);
        inner.offset_ms = 0;
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::wall()
    }
}
