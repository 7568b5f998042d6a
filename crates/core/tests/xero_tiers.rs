//! The practice's Xero app tier in the app: connections in use against the cap, the checks made
//! before the browser opens (at the cap; XPM below Advanced), and "Reconnect all" as a queue of
//! single-organisation consents that can be cancelled and resumed, also after a restart.

use std::sync::{Arc, Mutex};

use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::error::{Error, Result};
use switchboard_core::model::{AccountingSoftware, ClientFileDraft, ConnectionState, XeroIds};
use switchboard_core::xero::app_settings::XeroAppSettings;
use switchboard_core::xero::config::CONNECT_SCOPES;
use switchboard_core::xero::rate_limit::Limits;
use switchboard_core::xero::reconnect_queue::{ReconnectQueue, paused};
use switchboard_core::xero::tier::XeroTier;
use switchboard_core::xero::tier_usage::{
    check_room_for_a_connection, check_tier_includes_practice_manager, tier_usage,
};
use switchboard_core::{Cache, ErrorKind};
use xero_sim::Simulator;
use xero_sim::config::{AutoConsent, SimConfig};

mod support;
use support::{consent, sim_context};

fn record_tier(cache: &mut Cache, tier: Option<XeroTier>) {
    let settings = XeroAppSettings { tier, ..XeroAppSettings::load(cache).unwrap() };
    settings.save(cache, &MemoryCredentialStore::default(), None).unwrap();
}

fn xero_file(name: &str, connection: ConnectionState) -> ClientFileDraft {
    ClientFileDraft {
        software: AccountingSoftware::Xero,
        connection,
        xero: Some(XeroIds { tenant_id: format!("tenant-{name}"), connection_id: None, short_code: None }),
        ..ClientFileDraft::named(name)
    }
}

#[test]
fn at_the_cap_a_consent_that_could_only_add_is_refused_before_the_browser_opens() {
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    let mut drafts: Vec<_> = (0..5).map(|i| xero_file(&format!("Org {i}"), ConnectionState::Connected)).collect();
    // Neither a disconnected organisation nor a file never connected holds a connection.
    drafts.push(xero_file("Gone", ConnectionState::Disconnected { reason: "removed in Xero".into() }));
    drafts.push(ClientFileDraft::named("Paper only"));
    let ids = cache.upsert_files(&drafts).unwrap();

    // No tier recorded: nothing is capped, and one consent may reach several organisations.
    let usage = tier_usage(&cache).unwrap();
    assert_eq!((usage.connections_in_use, usage.one_organisation_per_consent), (5, false));
    check_room_for_a_connection(&cache).unwrap();

    record_tier(&mut cache, Some(XeroTier::Starter));
    let usage = tier_usage(&cache).unwrap();
    assert_eq!(
        (usage.connections_in_use, usage.connection_cap, usage.daily_calls_per_organisation),
        (5, Some(5), Some(1_000))
    );
    let refused = check_room_for_a_connection(&cache).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidInput);
    let message = refused.to_string();
    assert!(message.contains("Starter tier, which allows 5 connected organisations, and 5 are connected"), "{message}");

    // A file that needs reconnecting can still be reconnected at the cap.
    cache.upsert_files(&[xero_file("Org 0", ConnectionState::NeedsReconnect { reason: "expired".into() })]).unwrap();
    assert_eq!(cache.file(ids[0]).unwrap().connection.code(), "needs_reconnect");
    check_room_for_a_connection(&cache).unwrap();

    record_tier(&mut cache, Some(XeroTier::Core));
    let usage = tier_usage(&cache).unwrap();
    assert_eq!((usage.connection_cap, usage.monthly_egress_allowance_bytes), (Some(50), Some(10_000_000_000)));
    record_tier(&mut cache, Some(XeroTier::Advanced));
    assert!(!tier_usage(&cache).unwrap().one_organisation_per_consent);
}

#[test]
fn xpm_is_refused_below_advanced_with_what_the_practice_s_app_needs() {
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    check_tier_includes_practice_manager(&cache).unwrap();
    for tier in [XeroTier::Starter, XeroTier::Core, XeroTier::Plus] {
        record_tier(&mut cache, Some(tier));
        let message = check_tier_includes_practice_manager(&cache).unwrap_err().to_string();
        assert!(message.contains(&format!("the practice's app is on {}", tier.label())), "{message}");
        assert!(message.contains("Move the app to Advanced"), "{message}");
    }
    for tier in [XeroTier::Advanced, XeroTier::Enterprise] {
        record_tier(&mut cache, Some(tier));
        check_tier_includes_practice_manager(&cache).unwrap();
    }
}

/// Three files need reconnecting on a Core-tier app: the person reconnects one (not the one the
/// queue names first), cancels the next consent, closes the app; the queue is still there when
/// the cache is opened again, and resuming it finishes the other two.
#[tokio::test]
async fn reconnect_all_below_advanced_is_a_queue_that_pauses_and_resumes_across_a_restart() {
    let sim = Simulator::start(SimConfig::default().orgs(3).auto_consent(AutoConsent::all())).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryCredentialStore::default());
    let by_name = {
        let ctx = sim_context(&sim, dir.path(), store.clone(), Limits::default());
        let grant = consent(&ctx, CONNECT_SCOPES).await;
        let (ids, _) = ctx.connect_from_grant(grant, |_| {}).await.unwrap();
        let mut cache = ctx.cache.lock().unwrap();
        record_tier(&mut cache, Some(XeroTier::Core));
        assert!(tier_usage(&cache).unwrap().one_organisation_per_consent);
        let set = cache.token_set_of(ids[0]).unwrap().unwrap().id;
        cache.mark_token_set_needs_reconnect(set, "Xero no longer accepts this connection's sign-in").unwrap();
        let mut by_name: Vec<(String, String)> = ids
            .iter()
            .map(|id| cache.file(*id).unwrap())
            .map(|f| (f.display_name, f.xero.unwrap().tenant_id))
            .collect();
        by_name.sort();
        by_name
    };
    let tenant = |name: &str| by_name.iter().find(|(n, _)| n == name).unwrap().1.parse().unwrap();
    let [(first, _), (second, _), (third, _)] = by_name.as_slice() else { panic!("three files") };

    // First run: the person picks the second file's organisation, then cancels.
    let seen = Mutex::new(Vec::<ReconnectQueue>::new());
    let consents = Mutex::new(0);
    let paused_queue = {
        let ctx = sim_context(&sim, dir.path(), store.clone(), Limits::default());
        ctx.reconnect_in_queue(
            || async {
                let n = {
                    let mut c = consents.lock().unwrap();
                    *c += 1;
                    *c
                };
                if n == 1 {
                    sim.set_auto_consent(Some(AutoConsent::ids(vec![tenant(second)])));
                    Ok(consent(&ctx, CONNECT_SCOPES).await)
                } else {
                    Err::<_, Error>(Error::SignInCancelled)
                }
            },
            |q| seen.lock().unwrap().push(q.clone()),
        )
        .await
        .unwrap()
    };
    let step = |done, next: Option<&String>| ReconnectQueue { done, total: 3, next: next.cloned() };
    assert_eq!(*seen.lock().unwrap(), [step(0, Some(first)), step(1, Some(first))]);
    assert_eq!(paused_queue, step(1, Some(first)));

    // A restart: a new context over the same cache file finds the queue where it was.
    let ctx = sim_context(&sim, dir.path(), store.clone(), Limits::default());
    assert_eq!(paused(&ctx.cache.lock().unwrap()).unwrap(), Some(step(1, Some(first))));
    seen.lock().unwrap().clear();
    let finished = ctx
        .reconnect_in_queue(
            || async {
                // The person picks the organisation the app names next.
                let next = paused(&ctx.cache.lock().unwrap())?.and_then(|q| q.next).expect("a file left");
                sim.set_auto_consent(Some(AutoConsent::ids(vec![tenant(&next)])));
                Result::Ok(consent(&ctx, CONNECT_SCOPES).await)
            },
            |q| seen.lock().unwrap().push(q.clone()),
        )
        .await
        .unwrap();
    assert_eq!(*seen.lock().unwrap(), [step(1, Some(first)), step(2, Some(third)), step(3, None)]);
    assert_eq!(finished, step(3, None));
    let cache = ctx.cache.lock().unwrap();
    assert_eq!(paused(&cache).unwrap(), None, "a finished queue is forgotten");
    assert!(cache.files_needing_reconnect().unwrap().is_empty());
}
