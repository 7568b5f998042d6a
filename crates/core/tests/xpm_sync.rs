//! XPM against the simulator over real HTTP: connect through the Xero sign-in, full paged load,
//! incremental refresh, failures that leave the cache as it was; then links: link, change,
//! unlink (audited), archived and deleted clients flagged, conflicts, the XPM page allowlist.

use std::sync::Arc;

use switchboard_core::Cache;
use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::model::{ClientFileDraft, FileId};
use switchboard_core::xero::context::XeroContext;
use switchboard_core::xero::rate_limit::Limits;
use switchboard_core::xpm::XPM_SCOPES;
use switchboard_core::xpm::links::{link, problems};
use switchboard_core::xpm::refresh::status;
use xero_sim::config::{AutoConsent, SimConfig};
use xero_sim::faults::{FaultKind, FaultRule};
use xero_sim::xpm::XpmEdit;
use xero_sim::{SimHandle, Simulator};

mod support;
use support::{consent, sim_context};

struct World {
    sim: SimHandle,
    ctx: XeroContext,
    _dir: tempfile::TempDir,
}

async fn world(config: SimConfig) -> World {
    let sim = Simulator::start(config.auto_consent(AutoConsent::all())).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = sim_context(&sim, dir.path(), Arc::new(MemoryCredentialStore::default()), Limits::default());
    World { sim, ctx, _dir: dir }
}

fn cache(w: &World) -> std::sync::MutexGuard<'_, Cache> {
    w.ctx.cache.lock().unwrap()
}

#[tokio::test]
async fn connect_loads_every_client_then_refreshes_only_what_changed() {
    let w = world(SimConfig::default().orgs(300).xpm_clients(1_200)).await;
    let grant = consent(&w.ctx, XPM_SCOPES).await;
    let report = w.ctx.connect_xpm_from_grant(grant).await.unwrap();
    let active: Vec<_> = w.sim.xpm_clients().into_iter().filter(|c| !c.is_archived && !c.is_deleted).collect();
    assert!(report.full);
    assert_eq!(report.received as usize, active.len(), "the paged list holds the active clients");
    let records = cache(&w).xpm_records().unwrap();
    assert_eq!(records.len(), active.len());
    let sample = active.iter().find(|c| c.email.is_some() && c.tax_number.is_some()).unwrap();
    let cached = records.iter().find(|r| r.uuid == sample.uuid.to_string()).unwrap();
    assert_eq!(cached.name, sample.name.trim());
    assert_eq!(cached.email, sample.email);
    assert_eq!(cached.tax_number, sample.masked_tax_number());
    assert_eq!(cached.web_url.as_deref(), Some(sample.web_url().as_str()));
    let st = status(&cache(&w)).unwrap();
    assert!(st.connected && !st.needs_reconnect && st.last_refresh_at.is_some() && st.last_error.is_none());
    assert_eq!(st.clients as usize, active.len());

    // Changes in XPM: one renamed, one archived, one deleted. The next refresh asks only for
    // what changed (one call) and applies exactly that.
    let (renamed, archived, deleted) = (active[0].uuid, active[1].uuid, active[2].uuid);
    w.sim.xpm_edit(renamed, &XpmEdit { name: Some("Renamed In XPM Ltd".into()), ..Default::default() });
    w.sim.xpm_edit(archived, &XpmEdit { archived: Some(true), ..Default::default() });
    w.sim.xpm_edit(deleted, &XpmEdit { deleted: Some(true), ..Default::default() });
    let calls_before = w.sim.stats().api_requests;
    let report = w.ctx.refresh_xpm().await.unwrap();
    assert!(!report.full);
    assert_eq!(w.sim.stats().api_requests - calls_before, 1, "one modifiedsince call");
    assert!(report.received >= 3 && report.received < 50, "{report:?}");
    let records = cache(&w).xpm_records().unwrap();
    let get = |u: xero_sim::xpm::Uuid| records.iter().find(|r| r.uuid == u.to_string()).unwrap().clone();
    assert_eq!(get(renamed).name, "Renamed In XPM Ltd");
    assert!(get(archived).archived && !get(archived).deleted);
    assert!(get(deleted).deleted, "a deleted client keeps its row, flagged");
    assert_eq!(records.len(), active.len());
}

#[tokio::test]
async fn a_bad_answer_or_an_outage_changes_nothing_cached_and_says_why() {
    let w = world(SimConfig::default().orgs(20).xpm_clients(60)).await;
    let grant = consent(&w.ctx, XPM_SCOPES).await;
    w.ctx.connect_xpm_from_grant(grant).await.unwrap();
    let before = cache(&w).xpm_records().unwrap();
    let victim = w.sim.xpm_clients()[0].uuid;
    w.sim.xpm_edit(victim, &XpmEdit { name: Some("Should Not Land".into()), ..Default::default() });

    // A truncated body (every time, so retries cannot save it).
    w.sim.faults().add(FaultRule::new(FaultKind::Malformed).path_prefix("/api/practicemanager/"));
    let err = w.ctx.refresh_xpm().await.unwrap_err();
    assert!(err.to_string().contains("XPM's answer could not be used"), "{err}");
    assert_eq!(cache(&w).xpm_records().unwrap(), before);
    let st = status(&cache(&w)).unwrap();
    assert!(st.last_error.as_deref().unwrap().contains("XPM"));
    w.sim.faults().clear();

    // XPM down (503 after retries).
    w.sim.faults().add(FaultRule::new(FaultKind::ServerError { status: 503 }).path_prefix("/api/practicemanager/"));
    let err = w.ctx.refresh_xpm().await.unwrap_err();
    assert!(err.to_string().contains("503"), "{err}");
    assert_eq!(cache(&w).xpm_records().unwrap(), before);
    w.sim.faults().clear();

    // Back to normal: the change lands, the error is cleared.
    w.ctx.refresh_xpm().await.unwrap();
    assert!(cache(&w).xpm_records().unwrap().iter().any(|r| r.name == "Should Not Land"));
    assert_eq!(status(&cache(&w)).unwrap().last_error, None);
}

#[tokio::test]
async fn a_sign_in_without_a_practice_is_refused_and_refresh_needs_a_connection() {
    let w = world(SimConfig::default().orgs(3)).await;
    let err = w.ctx.refresh_xpm().await.unwrap_err();
    assert!(err.to_string().contains("not connected"), "{err}");
    let grant = consent(&w.ctx, switchboard_core::xero::config::CONNECT_SCOPES).await;
    let err = w.ctx.connect_xpm_from_grant(grant).await.unwrap_err();
    assert!(err.to_string().contains("did not include a Xero Practice Manager"), "{err}");
    assert!(!status(&cache(&w)).unwrap().connected);
}

#[tokio::test]
async fn link_change_unlink_flags_conflicts_and_audit() {
    let w = world(SimConfig::default().orgs(10).xpm_clients(30)).await;
    let grant = consent(&w.ctx, XPM_SCOPES).await;
    w.ctx.connect_xpm_from_grant(grant).await.unwrap();
    let ids: Vec<FileId> =
        cache(&w).upsert_files(&[ClientFileDraft::named("Alpha Files"), ClientFileDraft::named("Beta Files")]).unwrap();
    let records = cache(&w).xpm_records().unwrap();
    let (a, b) = (&records[0], &records[1]);

    let file = link(&mut cache(&w), ids[0], Some(&a.uuid)).unwrap();
    assert_eq!(file.xpm.as_ref().unwrap().uuid, a.uuid);
    assert_eq!(file.xpm.as_ref().unwrap().web_url, a.web_url);
    let file = link(&mut cache(&w), ids[0], Some(&b.uuid)).unwrap();
    assert_eq!(file.xpm.as_ref().unwrap().uuid, b.uuid, "changed");
    let file = link(&mut cache(&w), ids[0], None).unwrap();
    assert!(file.xpm.is_none(), "removed");
    let history = cache(&w).audit_entries(ids[0]).unwrap();
    let actions: Vec<_> =
        history.iter().map(|h| (h.action.as_str(), h.old_value.clone(), h.new_value.clone())).collect();
    assert_eq!(
        actions,
        vec![
            ("unlink_xpm", Some(b.uuid.clone()), None),
            ("link_xpm", Some(a.uuid.clone()), Some(b.uuid.clone())),
            ("link_xpm", None, Some(a.uuid.clone())),
        ]
    );
    assert!(link(&mut cache(&w), ids[0], Some("no-such-client")).is_err());

    // Two files on one XPM client: a conflict, shown, not prevented.
    link(&mut cache(&w), ids[0], Some(&a.uuid)).unwrap();
    link(&mut cache(&w), ids[1], Some(&a.uuid)).unwrap();
    let (conflicts, flagged) = problems(&cache(&w)).unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].xpm_uuid, a.uuid);
    assert_eq!(conflicts[0].files.iter().map(|f| f.id).collect::<Vec<_>>(), ids);
    assert!(flagged.is_empty());

    // XPM archives one client and deletes the other: both links stay, flagged.
    link(&mut cache(&w), ids[1], Some(&b.uuid)).unwrap();
    w.sim.xpm_edit(
        xero_sim::xpm::Uuid::parse_str(&a.uuid).unwrap(),
        &XpmEdit { archived: Some(true), ..Default::default() },
    );
    w.sim.xpm_edit(
        xero_sim::xpm::Uuid::parse_str(&b.uuid).unwrap(),
        &XpmEdit { deleted: Some(true), ..Default::default() },
    );
    w.ctx.refresh_xpm().await.unwrap();
    let files = cache(&w).files_by_ids(&ids).unwrap();
    assert!(files[0].xpm.as_ref().unwrap().archived);
    assert!(files[1].xpm.as_ref().unwrap().deleted, "the link is kept and shows the deletion");
    let (conflicts, flagged) = problems(&cache(&w)).unwrap();
    assert!(conflicts.is_empty());
    assert_eq!(flagged.len(), 2);
    assert!(flagged.iter().any(|f| f.file.id == ids[1] && f.problem.contains("deleted")));
    // A deleted client cannot be chosen anew.
    let err = link(&mut cache(&w), ids[0], Some(&b.uuid)).unwrap_err();
    assert!(err.to_string().contains("deleted in XPM"), "{err}");
}

/// Connecting and disconnecting XPM are in the practice's audit log. Disconnecting forgets (and
/// retires) XPM's sign-in but keeps the cached clients for offline review.
#[tokio::test]
async fn connecting_and_disconnecting_xpm_are_audited_and_disconnect_forgets_the_sign_in() {
    let w = world(SimConfig::default().orgs(3).xpm_clients(20)).await;
    let grant = consent(&w.ctx, XPM_SCOPES).await;
    w.ctx.connect_xpm_from_grant(grant).await.unwrap();
    let cached = cache(&w).xpm_records().unwrap().len();
    assert!(cached > 0);
    assert_eq!(cache(&w).token_set_count().unwrap(), 1);

    let after = w.ctx.disconnect_xpm().await.unwrap();
    assert!(!after.connected);
    assert_eq!(cache(&w).token_set_count().unwrap(), 0, "XPM's sign-in is retired");
    assert_eq!(cache(&w).xpm_records().unwrap().len(), cached, "the cached clients stay");
    let err = w.ctx.refresh_xpm().await.unwrap_err();
    assert!(err.to_string().contains("not connected"), "{err}");
    assert!(w.ctx.disconnect_xpm().await.is_err(), "nothing left to disconnect");

    let history = cache(&w).practice_audit_entries(10).unwrap();
    let actions: Vec<_> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["xpm_disconnect", "xpm_connect"]);
    assert_eq!(history[1].old_value, None, "the first connection replaced no practice");
    assert_eq!(history[0].old_value, history[1].new_value, "the practice disconnected is the one connected");
    assert!(history.iter().all(|e| e.actor.as_deref() == Some(switchboard_core::cache::os_user().as_str())));
}
