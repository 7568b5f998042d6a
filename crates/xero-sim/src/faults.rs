//! Fault injection and latency: switches a test flips while the server runs.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use std::time::Duration;
use uuid::Uuid;

/// What goes wrong.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// HTTP 429 with `X-Rate-Limit-Problem: minute` and this `Retry-After`, before any real limit.
    RateLimitStorm { retry_after_secs: u64 },
    /// HTTP 429 with this `X-Rate-Limit-Problem` (`minute`, `day`, `appminute`, `concurrent`;
    /// empty: no such header, as an unnamed limit) and `Retry-After`.
    RateLimited { problem: String, retry_after_secs: u64 },
    /// A web page (`Content-Type: text/html`) with this status instead of the answer: what a
    /// proxy's or a network's sign-in page looks like to an API client.
    WebPage { status: u16 },
    /// An HTTP 5xx (500 "An error occurred", 503 "Service Unavailable"…) instead of the answer;
    /// 400 answers with the Accounting API's validation error instead.
    ServerError { status: u16 },
    /// The answer arrives this much later (on top of the configured latency).
    Slow { delay_ms: u64 },
    /// The TCP connection is closed without any response, before the request is handled
    /// (nothing happened on the server).
    Reset,
    /// The request is handled (a refresh rotates, a code is consumed…) and then the connection
    /// is closed without sending the answer: the classic lost response.
    LoseResponse,
    /// The normal answer with its body cut in half (truncated JSON/XML), status unchanged.
    Malformed,
    /// A 200 whose body is this many bytes of JSON whitespace, sent in chunks without a
    /// `Content-Length`, made as it is sent (never held in memory): an endpoint that never stops.
    HugeBody { bytes: u64 },
}

/// One fault switch: which requests it hits and how often.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    #[serde(flatten)]
    pub kind: FaultKind,
    /// 0.0..=1.0, drawn per matching request from the simulator's seeded RNG.
    #[serde(default = "one")]
    pub probability: f64,
    /// Only requests whose path starts with this (simulator path, e.g. `/api/` — the default —
    /// `/api/api.xro/2.0/Organisation`, `/identity/connect/token`; `/` = everything).
    #[serde(default = "api_prefix")]
    pub path_prefix: String,
    /// Only requests carrying this `xero-tenant-id`.
    #[serde(default)]
    pub tenant: Option<Uuid>,
    /// Fire at most this many more times, then the rule is removed.
    #[serde(default)]
    pub times: Option<u32>,
}

fn one() -> f64 {
    1.0
}
fn api_prefix() -> String {
    "/api/".into()
}

impl FaultRule {
    /// A rule that hits every API request (`/api/…`) until changed.
    pub fn new(kind: FaultKind) -> Self {
        FaultRule { kind, probability: 1.0, path_prefix: api_prefix(), tenant: None, times: None }
    }
    pub fn probability(mut self, p: f64) -> Self {
        self.probability = p;
        self
    }
    pub fn path_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.path_prefix = prefix.into();
        self
    }
    pub fn tenant(mut self, tenant: Uuid) -> Self {
        self.tenant = Some(tenant);
        self
    }
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }
}

/// Per-request latency: `fixed` plus a uniform random `0..=jitter`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub fixed: Duration,
    pub jitter: Duration,
}

/// The live fault switches of a running simulator.
#[derive(Debug)]
pub struct Faults {
    inner: Mutex<FaultsInner>,
}

#[derive(Debug)]
struct FaultsInner {
    rules: Vec<FaultRule>,
    latency: Latency,
    rng: ChaCha8Rng,
    injected: u64,
}

impl Faults {
    pub(crate) fn new(seed: u64, rules: Vec<FaultRule>, latency: Latency) -> Self {
        Faults {
            inner: Mutex::new(FaultsInner {
                rules,
                latency,
                rng: ChaCha8Rng::seed_from_u64(seed ^ 0x5EED_FA17),
                injected: 0,
            }),
        }
    }

    /// Add a fault switch.
    pub fn add(&self, rule: FaultRule) {
        self.inner.lock().expect("faults lock").rules.push(rule);
    }

    /// Replace all fault switches with this one.
    pub fn set(&self, rule: FaultRule) {
        self.inner.lock().expect("faults lock").rules = vec![rule];
    }

    /// Replace all fault switches.
    pub fn set_all(&self, rules: Vec<FaultRule>) {
        self.inner.lock().expect("faults lock").rules = rules;
    }

    /// Remove every fault switch (latency stays).
    pub fn clear(&self) {
        self.inner.lock().expect("faults lock").rules.clear();
    }

    pub fn rules(&self) -> Vec<FaultRule> {
        self.inner.lock().expect("faults lock").rules.clone()
    }

    pub fn set_latency(&self, latency: Latency) {
        self.inner.lock().expect("faults lock").latency = latency;
    }

    pub fn latency(&self) -> Latency {
        self.inner.lock().expect("faults lock").latency
    }

    /// How many faults have been injected so far.
    pub fn injected(&self) -> u64 {
        self.inner.lock().expect("faults lock").injected
    }

    /// One latency sample.
    pub(crate) fn sample_latency(&self) -> Duration {
        let mut inner = self.inner.lock().expect("faults lock");
        let Latency { fixed, jitter } = inner.latency;
        if jitter.is_zero() {
            return fixed;
        }
        let extra = inner.rng.random_range(0..=jitter.as_micros() as u64);
        fixed + Duration::from_micros(extra)
    }

    /// The faults that fire for this request (each rule draws independently).
    pub(crate) fn fire(&self, path: &str, tenant: Option<Uuid>) -> Vec<FaultKind> {
        let mut inner = self.inner.lock().expect("faults lock");
        let FaultsInner { rules, rng, injected, .. } = &mut *inner;
        let mut fired = Vec::new();
        for rule in rules.iter_mut() {
            if !path.starts_with(&rule.path_prefix) {
                continue;
            }
            if rule.tenant.is_some() && rule.tenant != tenant {
                continue;
            }
            if rule.times == Some(0) {
                continue;
            }
            let p = rule.probability.clamp(0.0, 1.0);
            if p < 1.0 && !rng.random_bool(p) {
                continue;
            }
            if let Some(t) = rule.times.as_mut() {
                *t -= 1;
            }
            *injected += 1;
            fired.push(rule.kind.clone());
        }
        rules.retain(|r| r.times != Some(0));
        fired
    }
}
