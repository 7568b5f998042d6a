//! A remote answer of a gigabyte, from an endpoint that never stops sending: each kind of answer
//! is read up to its cap and abandoned there with one sentence naming it, and the process never
//! holds the body. This binary holds one test, so the process's peak memory is this test's.

use std::sync::Arc;

use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::xero::api::CallError;
use switchboard_core::xero::body_cap::BodyCap;
use switchboard_core::xero::config::CONNECT_SCOPES;
use switchboard_core::xero::rate_limit::Limits;
use switchboard_core::xero::sign_in::refresh;
use switchboard_core::xpm::api::{XpmCallError, paged_list};
use xero_sim::Simulator;
use xero_sim::config::{AutoConsent, SimConfig};
use xero_sim::faults::{FaultKind, FaultRule};

mod support;
use support::{consent, sim_context};

const GIGABYTE: u64 = 1 << 30;
/// Well above the largest cap read (32 MB for XPM's list; its buffer doubles up to it, so 48 MB
/// at the peak) and the buffers around it, far below the gigabyte sent.
const MAX_GROWTH_KB: u64 = 100 * 1024;

/// The process's peak resident memory so far (`VmHWM`), in kilobytes.
fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn endless(path_prefix: &str) -> FaultRule {
    FaultRule::new(FaultKind::HugeBody { bytes: GIGABYTE }).path_prefix(path_prefix)
}

#[tokio::test]
async fn a_gigabyte_answer_stops_at_its_cap_with_a_clear_error_and_bounded_memory() {
    let sim = Simulator::start(SimConfig::default().orgs(2).seed(9).auto_consent(AutoConsent::all())).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = sim_context(&sim, dir.path(), Arc::new(MemoryCredentialStore::default()), Limits::default());
    let grant = consent(&ctx, CONNECT_SCOPES).await;
    let access = &grant.access_token;
    let tenant = ctx.api.connections(access, None).await.unwrap()[0].tenant_id.clone();
    let before = peak_rss_kb();

    sim.faults().set(endless("/api/connections"));
    let error = ctx.api.connections(access, None).await.unwrap_err();
    assert_eq!(error, CallError::TooLarge(BodyCap::CONNECTIONS));
    assert_eq!(error.reason(), "Xero's list of connections was larger than 16 MB, so Switchboard stopped reading it.");

    sim.faults().set(endless("/api/api.xro/2.0/Organisation"));
    let error = ctx.api.organisation(access, &tenant).await.unwrap_err();
    assert_eq!(error.reason(), "Xero's organisation details was larger than 1 MB, so Switchboard stopped reading it.");

    sim.faults().set(endless("/api/api.xro/2.0/Reports/"));
    let error =
        ctx.api.get_path(access, &tenant, "api.xro/2.0/Reports/BalanceSheet", BodyCap::REPORT).await.unwrap_err();
    assert_eq!(error.reason(), "A Xero report was larger than 16 MB, so Switchboard stopped reading it.");

    sim.faults().set(endless("/api/practicemanager/"));
    let error = paged_list(&ctx.api, &ctx.endpoints, access, &tenant, None).await.unwrap_err();
    assert_eq!(error, XpmCallError::Call(CallError::TooLarge(BodyCap::XPM_CLIENTS)));
    assert_eq!(error.reason(), "XPM's client list was larger than 32 MB, so Switchboard stopped reading it.");

    sim.faults().set(endless("/identity/connect/token"));
    let error = refresh(&ctx.http, &ctx.app, &ctx.endpoints, None, &grant.refresh_token).await.unwrap_err();
    assert!(
        error.to_string().contains("Xero's sign-in answer was larger than 256 KB, so Switchboard stopped reading it."),
        "{error}"
    );

    let grown = peak_rss_kb() - before;
    assert!(grown < MAX_GROWTH_KB, "the peak memory grew by {grown} KB reading capped answers");
}
