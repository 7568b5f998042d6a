//! What Xero sent, counted by the app, against what the simulator served, over real HTTP.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::xero::config::CONNECT_SCOPES;
use switchboard_core::xero::egress::ApiGroup;
use switchboard_core::xero::rate_limit::Limits;
use xero_sim::Simulator;
use xero_sim::config::{AutoConsent, SimConfig};

mod support;
use support::{consent, sim_context};

#[tokio::test]
async fn the_bytes_counted_after_syncing_are_the_bytes_the_simulator_served() {
    let sim = Simulator::start(SimConfig::default().orgs(40).seed(5).auto_consent(AutoConsent::all())).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = sim_context(&sim, dir.path(), Arc::new(MemoryCredentialStore::default()), Limits::default());
    let grant = consent(&ctx, CONNECT_SCOPES).await;
    let (files, report) = ctx.connect_from_grant(grant, |_| {}).await.unwrap();
    assert_eq!(report.synced as usize, files.len());
    ctx.sync(None, &AtomicBool::new(false), |_| {}).await.unwrap();

    let served = sim.stats().api_bytes_served;
    let usage = ctx.egress_usage().unwrap();
    let month = &usage.months[0];
    assert!(served > 0);
    assert_eq!(month.bytes, served, "{month:?}");
    // The simulator counts tenant calls only; `/connections` is not one.
    assert!(month.calls > sim.stats().api_requests, "{month:?}");
    let groups: Vec<ApiGroup> = month.by_api.iter().map(|a| a.api).collect();
    for group in [ApiGroup::Connections, ApiGroup::Accounting, ApiGroup::Payroll, ApiGroup::Assets] {
        assert!(groups.contains(&group), "{group:?} missing from {groups:?}");
    }
    assert_eq!(month.by_api.iter().map(|a| a.bytes).sum::<u64>(), month.bytes);

    // Kept in the cache: a new context over the same file reads the same totals.
    drop(ctx);
    let again = sim_context(&sim, dir.path(), Arc::new(MemoryCredentialStore::default()), Limits::default());
    assert_eq!(again.egress_usage().unwrap().months[0].bytes, served);
}
