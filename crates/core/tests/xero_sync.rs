//! Consent → token → connections → Organisation → payroll/assets, over real HTTP against the
//! Xero simulator; and every failure mode leaving the other files synced and nothing lost.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::model::*;
use switchboard_core::xero::config::CONNECT_SCOPES;
use switchboard_core::xero::context::XeroContext;
use switchboard_core::xero::rate_limit::Limits;
use switchboard_core::xero::sign_in::start_sign_in;
use switchboard_core::xero::sync::SyncReport;
use xero_sim::config::{AutoConsent, SimConfig};
use xero_sim::faults::{FaultKind, FaultRule};
use xero_sim::{SimHandle, Simulator};

mod support;
use support::{consent, sim_context};

struct World {
    sim: SimHandle,
    ctx: XeroContext,
    _dir: tempfile::TempDir,
}

async fn world(config: SimConfig) -> World {
    let sim = Simulator::start(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = sim_context(&sim, dir.path(), Arc::new(MemoryCredentialStore::default()), Limits::default());
    World { sim, ctx, _dir: dir }
}

async fn connect(w: &World) -> (Vec<FileId>, SyncReport) {
    let grant = consent(&w.ctx, CONNECT_SCOPES).await;
    w.ctx.connect_from_grant(grant, |_| {}).await.unwrap()
}

async fn sync(w: &World) -> SyncReport {
    w.ctx.sync(None, &AtomicBool::new(false), |_| {}).await.unwrap()
}

fn files(w: &World) -> Vec<ClientFile> {
    w.ctx.cache.lock().unwrap().list_files().unwrap()
}

fn file_of(w: &World, tenant: &str) -> ClientFile {
    files(w).into_iter().find(|f| f.xero.as_ref().unwrap().tenant_id == tenant).unwrap()
}

#[tokio::test]
async fn a_consent_connects_every_organisation_and_fills_every_column() {
    let w = world(SimConfig::default().orgs(8).seed(11).auto_consent(AutoConsent::all())).await;
    let progress = Mutex::new(Vec::new());
    let grant = consent(&w.ctx, CONNECT_SCOPES).await;
    let (ids, report) = w.ctx.connect_from_grant(grant, |p| progress.lock().unwrap().push(p)).await.unwrap();
    let orgs = w.sim.orgs();
    assert_eq!(ids.len(), orgs.len());
    assert_eq!(report.synced as usize, orgs.len(), "{report:?}");
    let progress = progress.into_inner().unwrap();
    assert_eq!(progress.last().unwrap().done as usize, orgs.len());

    for org in &orgs {
        let file = file_of(&w, &org.organisation_id.to_string());
        assert_eq!(file.display_name, org.name);
        assert_eq!(file.software, AccountingSoftware::Xero);
        assert_eq!(file.connection, ConnectionState::Connected);
        assert_eq!(file.xero.as_ref().unwrap().short_code.as_deref(), Some(org.short_code.as_str()));
        let expected_payroll = if org.has_payroll { "connected" } else { "unavailable" };
        assert_eq!(file.payroll.code(), expected_payroll, "{} ({:?})", org.name, org.country);
        assert_eq!(file.fixed_assets.code(), if org.has_assets { "connected" } else { "unavailable" });
        assert!(file.sync.last_success_at.is_some() && file.sync.last_error.is_none());
    }
    // Several organisations came from one consent; the audit log says a person connected them.
    let history = w.ctx.cache.lock().unwrap().audit_entries(ids[0]).unwrap();
    assert_eq!(history[0].action, "connect");
}

#[tokio::test]
async fn a_second_consent_updates_the_same_files_instead_of_duplicating_them() {
    let w = world(SimConfig::default().orgs(4).auto_consent(AutoConsent::all())).await;
    let (first, _) = connect(&w).await;
    let (second, _) = connect(&w).await;
    let mut a = first.clone();
    let mut b = second.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(files(&w).len(), 4);
}

#[tokio::test]
async fn one_failing_tenant_never_stops_the_others_and_keeps_its_last_good_status() {
    let w = world(SimConfig::default().orgs(6).seed(3).auto_consent(AutoConsent::all())).await;
    connect(&w).await;
    let victim = w.sim.orgs()[2].organisation_id;
    let before = file_of(&w, &victim.to_string());

    let mut rule = FaultRule::new(FaultKind::ServerError { status: 503 });
    rule.tenant = Some(victim);
    w.sim.faults().add(rule);
    let report = sync(&w).await;
    assert_eq!((report.synced, report.failed), (5, 1), "{report:?}");

    let after = file_of(&w, &victim.to_string());
    assert_eq!(after.connection, before.connection);
    assert_eq!(after.payroll, before.payroll);
    assert_eq!(after.sync.last_success_at, before.sync.last_success_at);
    assert!(after.sync.last_attempt_at > before.sync.last_attempt_at);
    assert!(after.sync.last_error.as_deref().unwrap().contains("503"), "{:?}", after.sync.last_error);
    for other in files(&w).iter().filter(|f| f.id != after.id) {
        assert!(other.sync.last_error.is_none(), "{} failed", other.display_name);
    }
}

#[tokio::test]
async fn malformed_bodies_and_connection_resets_are_failures_not_losses() {
    for kind in [FaultKind::Malformed, FaultKind::Reset] {
        let w = world(SimConfig::default().orgs(3).seed(5).auto_consent(AutoConsent::all())).await;
        connect(&w).await;
        let snapshot = files(&w);
        let victim = w.sim.orgs()[0].organisation_id;
        let mut rule = FaultRule::new(kind.clone());
        rule.tenant = Some(victim);
        w.sim.faults().add(rule);
        let report = sync(&w).await;
        assert_eq!((report.synced, report.failed), (2, 1), "{kind:?}: {report:?}");
        let after = file_of(&w, &victim.to_string());
        let before = snapshot.iter().find(|f| f.id == after.id).unwrap();
        assert_eq!(
            (&after.connection, &after.payroll, &after.fixed_assets),
            (&before.connection, &before.payroll, &before.fixed_assets)
        );
        assert!(after.sync.last_error.is_some());
    }
}

#[tokio::test]
async fn a_short_429_storm_is_waited_out() {
    let w = world(SimConfig::default().orgs(3).auto_consent(AutoConsent::all())).await;
    connect(&w).await;
    let mut storm = FaultRule::new(FaultKind::RateLimitStorm { retry_after_secs: 1 });
    storm.times = Some(4);
    w.sim.faults().add(storm);
    let report = sync(&w).await;
    assert_eq!(report.synced, 3, "{report:?}");
}

#[tokio::test]
async fn a_deleted_tenant_becomes_disconnected_and_the_rest_sync() {
    let w = world(SimConfig::default().orgs(4).auto_consent(AutoConsent::all())).await;
    connect(&w).await;
    let gone = w.sim.orgs()[1].organisation_id;
    let before = file_of(&w, &gone.to_string());
    assert!(w.sim.delete_tenant(gone));
    let report = sync(&w).await;
    assert_eq!((report.synced, report.disconnected), (3, 1), "{report:?}");
    let after = file_of(&w, &gone.to_string());
    assert_eq!(after.connection.code(), "disconnected");
    assert_eq!(after.payroll, before.payroll, "cached data is kept");
    assert_eq!(after.xero.unwrap().short_code, before.xero.unwrap().short_code);
}

#[tokio::test]
async fn a_revoked_consent_shows_needs_reconnect_and_a_new_consent_brings_it_back() {
    let w = world(SimConfig::default().orgs(3).auto_consent(AutoConsent::all())).await;
    connect(&w).await;
    let user = w.sim.staff()[0].email.clone();
    assert!(w.sim.revoke_consent(&user));
    let report = sync(&w).await;
    assert_eq!(report.needs_reconnect, 3, "{report:?}");
    assert!(files(&w).iter().all(|f| f.connection.code() == "needs_reconnect"));
    assert!(files(&w).iter().all(|f| f.xero.as_ref().unwrap().short_code.is_some()), "cached data kept");

    let (_, report) = connect(&w).await;
    assert_eq!(report.synced, 3, "{report:?}");
    assert!(files(&w).iter().all(|f| f.connection == ConnectionState::Connected));
    assert_eq!(files(&w).len(), 3);
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_and_an_idle_token_set_needs_reconnect() {
    let w = world(SimConfig::default().orgs(2).auto_consent(AutoConsent::all())).await;
    connect(&w).await;
    // 31 minutes later (on Xero's clock) the access token is refused; one refresh serves both.
    w.sim.advance(Duration::from_secs(31 * 60));
    let report = sync(&w).await;
    assert_eq!(report.synced, 2, "{report:?}");
    assert_eq!(w.sim.stats().refresh_grants, 1);

    // Unused for 61 days, the refresh token is gone: invalid_grant, never retried.
    w.sim.advance(Duration::from_secs(61 * 24 * 3600));
    let report = sync(&w).await;
    assert_eq!(report.needs_reconnect, 2, "{report:?}");
    assert!(files(&w).iter().all(|f| f.connection.code() == "needs_reconnect"));
    let invalid = w.sim.stats().invalid_grants;
    sync(&w).await;
    assert_eq!(w.sim.stats().invalid_grants, invalid, "a dead token set is not tried again");
}

#[tokio::test]
async fn a_daily_limit_429_is_reported_and_not_retried() {
    // 3 calls a day per organisation: a first sync (Organisation + 2 probes) uses them all.
    let limits = xero_sim::config::RateLimits { per_day: 3, ..Default::default() };
    let w = world(SimConfig::default().orgs(2).auto_consent(AutoConsent::all()).rate_limits(limits)).await;
    let (_, first) = connect(&w).await;
    assert_eq!(first.synced, 2, "{first:?}");
    let calls_before = w.sim.stats().api_requests;
    let report = sync(&w).await;
    assert_eq!(report.failed, 2, "{report:?}");
    for file in files(&w) {
        let reason = file.sync.last_error.unwrap();
        assert!(reason.contains("daily limit"), "{reason}");
        assert_eq!(file.connection, ConnectionState::Connected, "last good status kept");
    }
    // One Organisation call per file met the limit, and none was tried again.
    assert_eq!(w.sim.stats().api_requests, calls_before + 2);
}

#[tokio::test]
async fn a_web_app_signs_in_with_its_client_secret() {
    let ports: Vec<String> =
        xero_sim::config::DEFAULT_REDIRECT_PORTS.iter().map(|p| format!("http://localhost:{p}/callback")).collect();
    let web_app = xero_sim::config::SimClient::confidential("WEBAPP00000000000000000000000001", "the-secret", ports);
    let mut w = world(SimConfig::default().orgs(2).auto_consent(AutoConsent::all()).clients(vec![web_app])).await;
    w.ctx.app.client_id = "WEBAPP00000000000000000000000001".to_owned();
    w.ctx.app.has_client_secret = true;

    // Without its secret, Xero refuses the code exchange of a "Web app".
    let pending = start_sign_in(&w.ctx.app, &w.ctx.endpoints, CONNECT_SCOPES, None).await.unwrap();
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let back = browser.get(pending.authorize_url.clone()).send().await.unwrap().headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    tokio::spawn(async move { browser.get(back).send().await });
    let refused = pending.finish(&w.ctx.http, Duration::from_secs(10), std::future::pending()).await.unwrap_err();
    assert_eq!(refused.kind(), switchboard_core::ErrorKind::SignInFailed, "{refused}");
    assert!(refused.to_string().contains("invalid_client"), "{refused}");

    w.ctx.client_secret = Some(switchboard_core::secret::Secret::new("the-secret"));
    let (files, report) = connect(&w).await;
    assert_eq!((files.len(), report.synced), (2, 2), "{report:?}");
}
