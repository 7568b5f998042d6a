//! Replaced token sets are retired, over real HTTP against the simulator: removed from the
//! credential store and the cache, and revoked at Xero only when that disconnects nothing still
//! in use (a revocation removes *all* of that Xero user's connections to the app).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use switchboard_core::cache::TokenSetId;
use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::model::FileId;
use switchboard_core::xero::config::CONNECT_SCOPES;
use switchboard_core::xero::context::XeroContext;
use switchboard_core::xero::rate_limit::Limits;
use switchboard_core::xero::sync::SyncReport;
use switchboard_core::xero::token_entries::token_set_prefix;
use switchboard_core::xpm::XPM_SCOPES;
use xero_sim::config::{AutoConsent, RateLimits, SimConfig};
use xero_sim::faults::{FaultKind, FaultRule};
use xero_sim::{SimHandle, Simulator};

mod support;
use support::{consent, sim_context};

struct World {
    sim: SimHandle,
    ctx: XeroContext,
    store: Arc<MemoryCredentialStore>,
    _dir: tempfile::TempDir,
}

async fn world(config: SimConfig) -> World {
    world_with_limits(config, Limits::default()).await
}

async fn world_with_limits(config: SimConfig, limits: Limits) -> World {
    let sim = Simulator::start(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryCredentialStore::default());
    let ctx = sim_context(&sim, dir.path(), store.clone(), limits);
    World { sim, ctx, store, _dir: dir }
}

impl World {
    /// A consent (as `AutoConsent` says: who, which organisations), then connect and sync.
    async fn consent_as(&self, auto: AutoConsent, scopes: &[&str]) -> Vec<FileId> {
        self.sim.set_auto_consent(Some(auto));
        let grant = consent(&self.ctx, scopes).await;
        self.ctx.connect_from_grant(grant, |_| {}).await.unwrap().0
    }

    async fn sync(&self) -> SyncReport {
        self.ctx.sync(None, &AtomicBool::new(false), |_| {}).await.unwrap()
    }

    /// The token sets the credential store holds entries of (by id).
    fn stored_sets(&self) -> BTreeSet<i64> {
        let cache_prefix = token_set_prefix(self.ctx.cache.lock().unwrap().id(), 0);
        let cache_prefix = cache_prefix.trim_end_matches('0');
        self.store
            .keys()
            .iter()
            .map(|k| k.strip_prefix(cache_prefix).expect("every entry is this cache's token set"))
            .map(|rest| rest.split('/').next().unwrap().parse().unwrap())
            .collect()
    }

    fn sets_in_cache(&self) -> u32 {
        self.ctx.cache.lock().unwrap().token_set_count().unwrap()
    }

    fn set_of(&self, file: FileId) -> TokenSetId {
        self.ctx.cache.lock().unwrap().token_set_of(file).unwrap().unwrap().id
    }

    async fn connections_at_xero(&self) -> u64 {
        let state: serde_json::Value =
            reqwest::get(format!("{}/_sim/state", self.sim.base_url())).await.unwrap().json().await.unwrap();
        state["connections"].as_u64().unwrap()
    }
}

#[tokio::test]
async fn twenty_reconnects_by_different_staff_leave_one_token_set_and_revoke_the_other_nineteen() {
    // Each connect syncs the organisation (3 calls): 20 of them would wait for Xero's 60 calls per
    // organisation per minute, which this test is not about.
    let per_minute = 600;
    let sim_limits = RateLimits { per_minute: per_minute as u32, ..RateLimits::default() };
    let config = SimConfig::default().orgs(2).staff_users(60).seed(17).rate_limits(sim_limits);
    let w = world_with_limits(config, Limits { tenant_per_minute: per_minute, ..Limits::default() }).await;
    let org = w.sim.orgs()[0].organisation_id;
    let staff: Vec<String> =
        w.sim.staff().into_iter().filter(|s| s.orgs.contains(&org)).map(|s| s.email).take(20).collect();
    assert_eq!(staff.len(), 20, "the simulated practice has 20 staff who can reach the organisation");

    let mut file = None;
    for email in &staff {
        let files = w.consent_as(AutoConsent::ids(vec![org]).as_user(email.clone()), CONNECT_SCOPES).await;
        assert_eq!(files.len(), 1);
        assert!(file.is_none_or(|f| f == files[0]), "the same file every time");
        file = Some(files[0]);
    }
    let file = file.unwrap();
    assert_eq!(w.stored_sets(), BTreeSet::from([w.set_of(file).0]), "{:?}", w.store.keys());
    assert_eq!(w.sets_in_cache(), 1);
    assert_eq!(w.sim.stats().revocations, 19);
    assert_eq!(w.connections_at_xero().await, 1, "only the last consent's connection is left");
    assert_eq!(w.sync().await.synced, 1);
}

#[tokio::test]
async fn a_reconnect_by_the_same_user_revokes_nothing_and_the_files_still_sync() {
    let w = world(SimConfig::default().orgs(3)).await;
    let first = w.consent_as(AutoConsent::all(), CONNECT_SCOPES).await;
    let old_set = w.set_of(first[0]);
    let again = w.consent_as(AutoConsent::all(), CONNECT_SCOPES).await;
    assert_eq!(first.len(), again.len());
    assert_ne!(w.set_of(first[0]), old_set);
    assert_eq!(w.stored_sets(), BTreeSet::from([w.set_of(first[0]).0]));
    assert_eq!(w.sets_in_cache(), 1);
    // Revoking the old set would have removed every connection of that user, the new ones too.
    assert_eq!(w.sim.stats().revocations, 0);
    assert_eq!(w.connections_at_xero().await, 3);
    let report = w.sync().await;
    assert_eq!(report.synced, 3, "{report:?}");
}

#[tokio::test]
async fn a_consent_that_reaches_no_organisation_leaves_no_token_set_behind() {
    let w = world(SimConfig::default().orgs(3).staff_users(3)).await;
    let staff = w.sim.staff();
    let files = w.consent_as(AutoConsent::all().as_user(staff[0].email.clone()), CONNECT_SCOPES).await;
    let kept = w.set_of(files[0]);

    // The same user: their set in use must not be revoked with the new one.
    let none = w.consent_as(AutoConsent::ids(vec![]).as_user(staff[0].email.clone()), CONNECT_SCOPES).await;
    assert!(none.is_empty());
    assert_eq!((w.stored_sets(), w.sets_in_cache()), (BTreeSet::from([kept.0]), 1));
    assert_eq!(w.sim.stats().revocations, 0);

    // Another user, with nothing in use: revoked at Xero as well.
    let none = w.consent_as(AutoConsent::ids(vec![]).as_user(staff[1].email.clone()), CONNECT_SCOPES).await;
    assert!(none.is_empty());
    assert_eq!((w.stored_sets(), w.sets_in_cache()), (BTreeSet::from([kept.0]), 1));
    assert_eq!(w.sim.stats().revocations, 1);
    assert_eq!(w.sync().await.synced, 3);
}

#[tokio::test]
async fn a_revocation_xero_does_not_answer_never_fails_the_connect() {
    let w = world(SimConfig::default().orgs(4).staff_users(2)).await;
    let staff = w.sim.staff();
    // Staff user 0 reaches every organisation.
    let org = staff[1].orgs[0];
    w.consent_as(AutoConsent::ids(vec![org]).as_user(staff[0].email.clone()), CONNECT_SCOPES).await;
    w.sim.faults().set(FaultRule::new(FaultKind::Reset).path_prefix("/identity/connect/revocation"));
    let files = w.consent_as(AutoConsent::ids(vec![org]).as_user(staff[1].email.clone()), CONNECT_SCOPES).await;
    assert_eq!(files.len(), 1);
    // Forgotten here all the same; at Xero it lapses after 60 days unused.
    assert_eq!((w.stored_sets(), w.sets_in_cache()), (BTreeSet::from([w.set_of(files[0]).0]), 1));
    assert_eq!(w.sim.stats().revocations, 0);
}

#[tokio::test]
async fn connecting_xpm_again_retires_the_set_it_replaced() {
    let w = world(SimConfig::default().orgs(2)).await;
    let files = w.consent_as(AutoConsent::all(), CONNECT_SCOPES).await;
    for _ in 0..2 {
        let grant = consent(&w.ctx, XPM_SCOPES).await;
        w.ctx.connect_xpm_from_grant(grant).await.unwrap();
    }
    // The files' set and the current XPM set; the first XPM set is gone, and (the same user
    // still signing in for the files and XPM) was not revoked.
    assert_eq!(w.sets_in_cache(), 2);
    assert_eq!(w.stored_sets().len(), 2);
    assert!(w.stored_sets().contains(&w.set_of(files[0]).0));
    assert_eq!(w.sim.stats().revocations, 0);
    w.ctx.refresh_xpm().await.unwrap();
    assert_eq!(w.sync().await.synced, 2);
}
