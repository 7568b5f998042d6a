//! Sync benchmark: sync 1,000 organisations against the Xero
//! simulator with 50 ms latency per request and Xero's limits enforced; the bar is wall time
//! ≤ 1.25 × the lower bound, with 0 files lost or left in error.
//!
//! Run: `cargo bench -p switchboard-core --bench sync`
//!
//! What it does, all in this process over real HTTP on loopback:
//! 1. starts `xero_sim` with 1,000 organisations (seed 1), a fixed 50 ms latency on every request
//!    and the simulator's default limits, which are Xero's (per tenant 5 concurrent, 60 per
//!    rolling minute, 5,000 per rolling day; per app 10,000 per rolling minute);
//! 2. builds a `XeroContext` like the app does: a file-backed cache in a temporary folder, a
//!    `MemoryCredentialStore`, and a `RateLimiter` with `Limits::default()` (so Switchboard's own
//!    cap of calls in flight across tenants is `Limits::in_flight`, 32 unless changed there);
//! 3. connects all 1,000 organisations through one consent (automatic consent, "allow all"):
//!    authorize → loopback callback → code exchange → `connect_from_grant` (which stores the token
//!    set, lists `/connections?authEventId=` and syncs every new file) — timed as
//!    "connect + first sync";
//! 4. then times one full `XeroContext::sync` of every file — the measured figure — and checks
//!    the result: every file synced (`last_success_at` at or after the sync's start, no error),
//!    none failed, none lost (lost = neither synced nor in error), and every file's columns equal
//!    what the simulator holds.
//!
//! ## The lower bound (also printed, with its terms)
//!
//! Let L = 50 ms be the simulator's latency. It is served on every request (inside Xero's
//! concurrency slot for tenant calls), so every call takes at least L, and it is fixed (no jitter).
//! Let C be the tenant calls the sync needs: per organisation `GET Organisation`, the payroll
//! probe when its region has a payroll API (AU → 1.0, UK/NZ → 2.0; none for US), and the assets
//! probe — counted from the simulator's data, and checked against the simulator's own count of
//! the calls it received. Let c_i be tenant i's calls (2 or 3) and K = `Limits::in_flight`, read
//! from the very `Limits` value this benchmark hands to the client's `RateLimiter`.
//!
//! bound = max of
//! - **cap**: ceil(C / K) × L. The client holds one of its K slots for every tenant call from
//!   before the request is sent until the body is read, so ≥ L; in a time T each slot can complete
//!   at most floor(T / L) calls, so C ≤ K × floor(T / L), i.e. T ≥ ceil(C / K) × L.
//! - **per-tenant critical path**: the payroll probe needs the organisation's region from the
//!   `Organisation` answer, so a tenant with a payroll API needs 2 × L end to end (1 × L without).
//! - **per-tenant 5 concurrent**: max_i ceil(c_i / 5) × L (= L here, since c_i ≤ 3).
//! - **per-tenant 60 per rolling minute**: L + 60 s × (ceil(max_i c_i / 60) − 1) (= L here).
//! - **app-wide 10,000 per rolling minute**: L + 60 s × (ceil(C / 10,000) − 1) (= L here). The
//!   window is *rolling*: up to 10,000 calls may start at once, so C / (10,000 / 60 s) (≈ 16 s for
//!   ~2,700 calls) would NOT be a lower bound — a client could start them all in the first
//!   second — and it is not used. (The daily 5,000 per tenant is never reached: c_i ≤ 3.)
//!
//! Each term is a time no client with that cap can beat under those limits, so their maximum is
//! one too. It ignores everything the client spends beyond waiting for answers (its
//! `/connections` call before the tenant calls, which is outside the cap, timer slack, JSON,
//! SQLite), all of which count against it in the ratio. For reference the bound without
//! Switchboard's cap (Xero's limits alone) is printed too; with 1,000 tenants it is just the
//! critical path, 2 × L.
//!
//! "connect + first sync" is bounded by 3 × L (authorize, code exchange and `/connections` are
//! causally sequential: the code comes from the authorize redirect, the token from the code, the
//! tenant ids from `/connections`) plus the same sync bound (with several consents, done one after
//! another, the sum of that per consent).
//!
//! Peak memory is the process's VmHWM from /proc/self/status (Linux), which includes the
//! in-process simulator and its 1,000 generated organisations; the VmHWM before connecting (after
//! the simulator started) is printed to tell the two apart.
//!
//! Egress (what Xero bills beyond a tier's monthly allowance): the body bytes the simulator
//! served (`stats.api_bytes_served`) for connect + first sync, for the measured sync (nothing
//! changed at the simulator since the first), and, after it, for two refreshes of every file's
//! users ("who can see what"), the second with nothing changed; and the app's own count of the
//! whole run (`XeroContext::egress_usage`), which must equal the simulator's.
//!
//! Environment knobs, for experiments only (the defaults are the benchmark):
//! `SYNC_BENCH_ORGS` (1000), `SYNC_BENCH_IN_FLIGHT` (the `Limits::default()` value),
//! `SYNC_BENCH_CONSENTS` (1: split the organisations across this many consents, i.e. token sets).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::model::{ClientFile, ConnectionState, UnixMillis};
use switchboard_core::xero::config::CONNECT_SCOPES;
use switchboard_core::xero::rate_limit::Limits;
use switchboard_core::xero::sync::SyncReport;
use xero_sim::{AutoConsent, RateLimits, SimConfig, Simulator};

#[path = "../tests/support/mod.rs"]
mod support;
use support::{consent, sim_context};

const LATENCY: Duration = Duration::from_millis(50);
const WINDOW: Duration = Duration::from_secs(60);
const SEED: u64 = 1;
const BAR: f64 = 1.25;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let ok = runtime.block_on(run());
    if !ok {
        std::process::exit(1);
    }
}

async fn run() -> bool {
    let orgs = env_or("SYNC_BENCH_ORGS", 1000);
    let consents = env_or("SYNC_BENCH_CONSENTS", 1).clamp(1, orgs.max(1));
    // The client's limits: exactly what the benchmark hands to the RateLimiter, and what the
    // bound uses.
    let limits = Limits { in_flight: env_or("SYNC_BENCH_IN_FLIGHT", Limits::default().in_flight), ..Limits::default() };
    let xero = RateLimits::default();

    let sim = Simulator::start(
        SimConfig::default().orgs(orgs).seed(SEED).latency(LATENCY).rate_limits(xero).auto_consent(AutoConsent::all()),
    )
    .await
    .expect("simulator starts");
    let dir = tempfile::tempdir().expect("temp dir");
    let ctx = sim_context(&sim, dir.path(), Arc::new(MemoryCredentialStore::default()), limits);
    let hwm_before = proc_status_kib("VmHWM");

    println!("sync benchmark");
    println!(
        "  simulator: {orgs} organisations (seed {SEED}), latency {} ms per request (fixed), Xero's limits: per tenant {} concurrent / {} per min / {} per day, app {} per min",
        LATENCY.as_millis(),
        xero.concurrent,
        xero.per_minute,
        xero.per_day,
        xero.app_per_minute
    );
    println!(
        "  client: RateLimiter {{ tenant_concurrent: {}, tenant_per_minute: {}, app_per_minute: {}, in_flight: {} }}{}; cache in a temp dir; MemoryCredentialStore; {consents} consent(s)",
        limits.tenant_concurrent,
        limits.tenant_per_minute,
        limits.app_per_minute,
        limits.in_flight,
        if limits == Limits::default() { " (Limits::default())" } else { " (NOT Limits::default(): experiment)" }
    );

    // What the sync must call, from the simulator's data.
    let data = sim.orgs();
    let per_tenant: Vec<TenantCalls> = data
        .iter()
        .map(|o| {
            let payroll = o.country.payroll_api().is_some();
            TenantCalls { calls: 2 + u64::from(payroll), chain: 1 + u64::from(payroll) }
        })
        .collect();
    let bound = Bound::new(&per_tenant, limits.in_flight, xero);

    // Connect + first sync.
    let stats0 = sim.stats();
    let started = Instant::now();
    let mut connected = 0;
    let mut first = SyncReport::default();
    // Consents happen one after another (a person clicks through each), so their bounds add up.
    let mut connect_bound = Duration::ZERO;
    let chunk_size = orgs.div_ceil(consents);
    for (chunk, calls) in data.chunks(chunk_size).zip(per_tenant.chunks(chunk_size)) {
        connect_bound += 3 * LATENCY + Bound::new(calls, limits.in_flight, xero).total;
        if consents > 1 {
            sim.set_auto_consent(Some(AutoConsent::ids(chunk.iter().map(|o| o.organisation_id).collect())));
        }
        let grant = consent(&ctx, CONNECT_SCOPES).await;
        let (ids, report) = ctx.connect_from_grant(grant, |_| {}).await.expect("connect_from_grant");
        connected += ids.len();
        first.synced += report.synced;
        first.failed += report.failed;
        first.disconnected += report.disconnected;
        first.needs_reconnect += report.needs_reconnect;
    }
    let connect_wall = started.elapsed();
    let stats1 = sim.stats();
    let mut ok = connected == orgs && first.synced as usize == orgs;

    // The measured sync.
    let events = AtomicU32::new(0);
    let last_done = AtomicU32::new(0);
    let sync_start_ms = UnixMillis::now().0;
    let started = Instant::now();
    let report = ctx
        .sync(None, &AtomicBool::new(false), |p| {
            events.fetch_add(1, Ordering::Relaxed);
            last_done.fetch_max(p.done, Ordering::Relaxed);
        })
        .await
        .expect("sync");
    let wall = started.elapsed();
    let stats2 = sim.stats();
    let hwm = proc_status_kib("VmHWM");

    // Check every file in the cache.
    let files = ctx.cache.lock().unwrap().list_files().expect("list files");
    let check = Check::new(&files, &data, sync_start_ms);
    ok &= files.len() == orgs
        && report.synced as usize == orgs
        && report.failed + report.disconnected + report.needs_reconnect == 0
        && !report.cancelled
        && check.lost == 0
        && check.synced == orgs
        && check.mismatched == 0
        && last_done.load(Ordering::Relaxed) as usize == orgs;

    let tenant_calls = stats2.api_requests - stats1.api_requests;
    let ratio = wall.as_secs_f64() / bound.total.as_secs_f64();
    println!();
    println!(
        "lower bound, with L = {} ms, C = {} tenant calls needed, K = {} (Switchboard's cap of calls in flight across tenants, Limits::in_flight, the value this client's RateLimiter was built with):",
        LATENCY.as_millis(),
        bound.calls,
        limits.in_flight
    );
    println!(
        "  cap            ceil(C / K) × L                          = ceil({} / {}) × {} ms = {}",
        bound.calls,
        limits.in_flight,
        LATENCY.as_millis(),
        ms(bound.cap)
    );
    println!("  critical path  Organisation before payroll probe: 2 × L = {}", ms(bound.critical));
    println!(
        "  tenant 5 concurrent   max ceil(c_i / {}) × L             = {}",
        xero.concurrent,
        ms(bound.tenant_concurrent)
    );
    println!(
        "  tenant {} / min       L + 60 s × (ceil(max c_i / {}) − 1) = {}",
        xero.per_minute,
        xero.per_minute,
        ms(bound.tenant_minute)
    );
    println!(
        "  app {} / min      L + 60 s × (ceil(C / {}) − 1)     = {}   (rolling window: C / ({} per 60 s) = {} is NOT a lower bound, so not used)",
        xero.app_per_minute,
        xero.app_per_minute,
        ms(bound.app_minute),
        xero.app_per_minute,
        ms(Duration::from_secs_f64(bound.calls as f64 * 60.0 / f64::from(xero.app_per_minute)))
    );
    println!(
        "  bound = max(...) = {}   (Xero's limits alone, without Switchboard's cap: {})",
        ms(bound.total),
        ms(bound.xero_only)
    );
    println!(
        "  why: every tenant call holds one of the client's K slots for ≥ L (L is fixed and served inside the call), so in time T at most K × floor(T / L) calls finish;"
    );
    println!(
        "       the 60 s windows are rolling, so they only bind past 60 (tenant) or 10,000 (app) calls; each term is a floor for any client with this cap, so is their max."
    );
    println!(
        "       Not in the bound (so they count against the client): its /connections call before the tenant calls (outside the cap), timer slack, JSON and SQLite work."
    );
    println!();
    println!(
        "connect + first sync ({consents} consent(s), {connected} files): {}  (bound: per consent 3 × L + the bound above for its files = {}, ratio {:.3}); first sync synced {} failed {} disconnected {} needs reconnect {}",
        ms(connect_wall),
        ms(connect_bound),
        connect_wall.as_secs_f64() / connect_bound.as_secs_f64(),
        first.synced,
        first.failed,
        first.disconnected,
        first.needs_reconnect
    );
    println!(
        "  HTTP calls: {} tenant API calls ({} refused with 429), {} token endpoint requests, plus {} /connections (not counted by the simulator)",
        stats1.api_requests - stats0.api_requests,
        stats1.rate_limited - stats0.rate_limited,
        stats1.token_requests - stats0.token_requests,
        2 * consents
    );
    println!();
    println!("full sync of {orgs} files:");
    println!("  wall time          {}", ms(wall));
    println!("  lower bound        {}", ms(bound.total));
    println!(
        "  ratio wall / bound {ratio:.3}   (bar ≤ {BAR}: {})   [vs Xero's limits alone: {:.1}]",
        if ratio <= BAR { "met" } else { "NOT met" },
        wall.as_secs_f64() / bound.xero_only.as_secs_f64()
    );
    println!(
        "  HTTP calls         {} tenant API calls (simulator stats.api_requests; needed C = {}), {} refused with 429 (stats.rate_limited), {} token endpoint requests (stats.token_requests), plus {} /connections (one per token set; not counted by the simulator) = {} in all",
        tenant_calls,
        bound.calls,
        stats2.rate_limited - stats1.rate_limited,
        stats2.token_requests - stats1.token_requests,
        consents,
        tenant_calls + (stats2.token_requests - stats1.token_requests) + consents as u64
    );
    println!(
        "  files              synced {} / failed {} / disconnected {} / needs reconnect {} (SyncReport); in the cache: {} files, {} with last_success_at ≥ the sync's start and no error, {} in error, {} LOST (neither), {} whose columns differ from the simulator's data",
        report.synced,
        report.failed,
        report.disconnected,
        report.needs_reconnect,
        files.len(),
        check.synced,
        check.in_error,
        check.lost,
        check.mismatched
    );
    println!(
        "  progress events    {} (last done = {})",
        events.load(Ordering::Relaxed),
        last_done.load(Ordering::Relaxed)
    );
    println!(
        "  peak memory        VmHWM {:.1} MiB for the whole process, simulator included (VmHWM was {:.1} MiB after the simulator started, before connecting)",
        hwm as f64 / 1024.0,
        hwm_before as f64 / 1024.0
    );

    ok &= egress(&ctx, &sim, [stats0, stats1, stats2]).await;
    if !ok {
        println!("FAILED: files lost, failed or wrong (see above)");
    }
    ok
}

/// Prints the bytes Xero would have billed for each step; `before`: the simulator's stats before
/// connecting, after connect + first sync, after the measured sync.
async fn egress(
    ctx: &switchboard_core::xero::context::XeroContext,
    sim: &xero_sim::SimHandle,
    before: [xero_sim::StatsSnapshot; 3],
) -> bool {
    let [stats0, stats1, stats2] = before;
    let users = |round: &str| {
        let round = round.to_owned();
        async move {
            let from = sim.stats();
            let refresh = ctx.refresh_all_user_access().await.expect("users refresh");
            let to = sim.stats();
            println!(
                "  users refresh, {round:<25}{:>12} bytes in {} calls ({} files fetched, {} failed)",
                group(to.api_bytes_served - from.api_bytes_served),
                to.api_requests - from.api_requests,
                refresh.fetched,
                refresh.failed
            );
            refresh.failed == 0
        }
    };
    println!();
    println!("egress (body bytes the simulator served):");
    println!(
        "  connect + first sync:                   {:>12} bytes",
        group(stats1.api_bytes_served - stats0.api_bytes_served)
    );
    println!(
        "  second sync, nothing changed:           {:>12} bytes",
        group(stats2.api_bytes_served - stats1.api_bytes_served)
    );
    let mut ok = users("first:").await;
    ok &= users("again, nothing changed:").await;
    let served = sim.stats().api_bytes_served - stats0.api_bytes_served;
    let counted = ctx.egress_usage().expect("egress usage").months[0].bytes;
    println!(
        "  the app counted {} bytes in all; the simulator served {} ({})",
        group(counted),
        group(served),
        if counted == served { "equal" } else { "DIFFERENT" }
    );
    ok && counted == served
}

/// 1234567 → "1,234,567".
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

struct TenantCalls {
    /// Tenant calls the sync makes for this organisation.
    calls: u64,
    /// Calls that must follow one another (Organisation, then the payroll probe).
    chain: u64,
}

struct Bound {
    calls: u64,
    cap: Duration,
    critical: Duration,
    tenant_concurrent: Duration,
    tenant_minute: Duration,
    app_minute: Duration,
    total: Duration,
    xero_only: Duration,
}

impl Bound {
    fn new(tenants: &[TenantCalls], in_flight: usize, xero: RateLimits) -> Bound {
        let calls: u64 = tenants.iter().map(|t| t.calls).sum();
        let max_calls = tenants.iter().map(|t| t.calls).max().unwrap_or(0);
        assert!(max_calls <= u64::from(xero.per_day), "a tenant would need more calls than Xero allows in a day");
        let l = |n: u64| LATENCY * n as u32;
        // In a rolling window of `per` calls, call number n (1-based) cannot start before
        // (ceil(n / per) − 1) windows have passed; it then takes L.
        let windows = |n: u64, per: u32| LATENCY + WINDOW * (n.div_ceil(u64::from(per)).saturating_sub(1)) as u32;
        let cap = l(calls.div_ceil(in_flight as u64));
        let critical = l(tenants.iter().map(|t| t.chain).max().unwrap_or(0));
        let tenant_concurrent = l(max_calls.div_ceil(u64::from(xero.concurrent)));
        let tenant_minute = windows(max_calls, xero.per_minute);
        let app_minute = windows(calls, xero.app_per_minute);
        let xero_only = critical.max(tenant_concurrent).max(tenant_minute).max(app_minute);
        Bound {
            calls,
            cap,
            critical,
            tenant_concurrent,
            tenant_minute,
            app_minute,
            total: cap.max(xero_only),
            xero_only,
        }
    }
}

/// What the cache holds after the measured sync.
struct Check {
    synced: usize,
    in_error: usize,
    lost: usize,
    mismatched: usize,
}

impl Check {
    fn new(files: &[ClientFile], data: &[xero_sim::Organisation], since_ms: i64) -> Check {
        let by_tenant: HashMap<String, &xero_sim::Organisation> =
            data.iter().map(|o| (o.organisation_id.to_string(), o)).collect();
        let mut check = Check { synced: 0, in_error: 0, lost: 0, mismatched: 0 };
        for file in files {
            let sync = &file.sync;
            let synced = sync.last_success_at.is_some_and(|t| t.0 >= since_ms) && sync.last_error.is_none();
            let in_error = (sync.last_error.is_some() && sync.last_attempt_at.is_some_and(|t| t.0 >= since_ms))
                || !matches!(file.connection, ConnectionState::Connected);
            match (synced, in_error) {
                (true, false) => check.synced += 1,
                (_, true) => check.in_error += 1,
                (false, false) => check.lost += 1,
            }
            let expected = file.xero.as_ref().and_then(|x| by_tenant.get(&x.tenant_id));
            let right = expected.is_some_and(|org| {
                let service = |on: bool| if on { "connected" } else { "unavailable" };
                file.display_name == org.name
                    && file.xero.as_ref().unwrap().short_code.as_deref() == Some(org.short_code.as_str())
                    && file.payroll.code() == service(org.has_payroll)
                    && file.fixed_assets.code() == service(org.has_assets)
            });
            if !right {
                check.mismatched += 1;
            }
        }
        // A file the cache does not hold at all is lost too.
        check.lost += data.len().saturating_sub(files.len());
        check
    }
}

/// A field of /proc/self/status in KiB (0 where there is no /proc).
fn proc_status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| {
                    l.strip_prefix(field)?
                        .strip_prefix(':')
                        .map(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                })
                .flatten()
        })
        .unwrap_or(0)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
