//! XPM benchmark: the first full load of a 15,000-client practice from the simulator
//! into the cache, paged (500 a page) under Xero's limits, and an incremental refresh after 100
//! clients changed in XPM. Prints figures; asserts only that the data arrived.
//!
//! Run: `cargo bench -p switchboard-core --bench xpm` (optionally `XPM_BENCH_LATENCY_MS=50`).
//!
//! In this process, over real HTTP on loopback: the simulator with 10,000 organisations and a
//! 15,000-client practice (seed 1), the simulator's default limits (Xero's: per tenant 5
//! concurrent, 60 per rolling minute), a fixed latency per request (default 50 ms); a
//! `XeroContext` like the app's (file-backed cache in a temporary folder, in-memory credential
//! store); an XPM consent (authorize → loopback → code exchange); then `connect_xpm_from_grant`
//! (token set, `/connections`, full paged load, one transaction) — timed; then 100 edits in XPM and
//! `refresh_xpm` (one `modifiedsince` call) — timed. Each run is repeated `RUNS` times on fresh
//! simulators and caches; min and median are printed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::xero::rate_limit::Limits;
use switchboard_core::xpm::XPM_SCOPES;
use xero_sim::Simulator;
use xero_sim::config::{AutoConsent, SimConfig};
use xero_sim::xpm::XpmEdit;

#[path = "../tests/support/mod.rs"]
mod support;
use support::{consent, sim_context};

const CLIENTS: usize = 15_000;
const ORGS: usize = 10_000;
const CHANGED: usize = 100;
const RUNS: usize = 3;

struct Run {
    full: Duration,
    full_calls: u64,
    received: u32,
    incremental: Duration,
    incremental_received: u32,
}

async fn one_run(latency: Duration) -> Run {
    let sim = Simulator::start(
        SimConfig::default().orgs(ORGS).xpm_clients(CLIENTS).latency(latency).auto_consent(AutoConsent::all()),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = sim_context(&sim, dir.path(), Arc::new(MemoryCredentialStore::default()), Limits::default());
    let grant = consent(&ctx, XPM_SCOPES).await;

    let calls = sim.stats().api_requests;
    let started = Instant::now();
    let report = ctx.connect_xpm_from_grant(grant).await.unwrap();
    let full = started.elapsed();
    let full_calls = sim.stats().api_requests - calls;
    let active = sim.xpm_clients().iter().filter(|c| !c.is_archived && !c.is_deleted).count();
    assert_eq!(report.received as usize, active);
    assert_eq!(ctx.cache.lock().unwrap().xpm_records().unwrap().len(), active);

    for c in sim.xpm_clients().iter().filter(|c| !c.is_deleted).take(CHANGED) {
        sim.xpm_edit(c.uuid, &XpmEdit { name: Some(format!("{} (renamed)", c.name.trim())), ..Default::default() });
    }
    let started = Instant::now();
    let report = ctx.refresh_xpm().await.unwrap();
    let incremental = started.elapsed();
    assert!(!report.full && report.received as usize >= CHANGED);
    Run { full, full_calls, received: active as u32, incremental, incremental_received: report.received }
}

fn stats(mut xs: Vec<Duration>) -> (Duration, Duration) {
    xs.sort();
    (xs[0], xs[xs.len() / 2])
}

fn main() {
    let latency_ms: u64 = std::env::var("XPM_BENCH_LATENCY_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(50);
    let latency = Duration::from_millis(latency_ms);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let runs: Vec<Run> = (0..RUNS).map(|_| rt.block_on(one_run(latency))).collect();
    let (full_min, full_med) = stats(runs.iter().map(|r| r.full).collect());
    let (inc_min, inc_med) = stats(runs.iter().map(|r| r.incremental).collect());
    let r = &runs[0];
    println!(
        "xpm: practice of {CLIENTS} XPM clients ({} active, loaded by the paged list), simulator latency {latency_ms} ms, Xero's limits",
        r.received
    );
    println!(
        "xpm: first full load (connect: /connections + {} paged calls of 500 + one SQLite transaction): min {:.0} ms, median {:.0} ms over {RUNS} runs",
        r.full_calls,
        full_min.as_secs_f64() * 1e3,
        full_med.as_secs_f64() * 1e3
    );
    println!(
        "xpm: incremental refresh after {CHANGED} clients changed (1 modifiedsince call, {} clients received): min {:.0} ms, median {:.0} ms",
        r.incremental_received,
        inc_min.as_secs_f64() * 1e3,
        inc_med.as_secs_f64() * 1e3
    );
}
