//! The Settings menu's Xero calls over real HTTP against the simulator: who can reach an
//! organisation (Xero's Users), and deleting a client (DELETE /connections/{id} first; when Xero
//! fails, nothing is deleted, tokens included).

use std::sync::Arc;

use switchboard_core::cache::TokenSetId;
use switchboard_core::clients::deletion::delete_client;
use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::model::*;
use switchboard_core::settings::console::{ConsoleRole, ConsoleUserDraft};
use switchboard_core::xero::config::CONNECT_SCOPES;
use switchboard_core::xero::context::XeroContext;
use switchboard_core::xero::rate_limit::Limits;
use switchboard_core::xero::token_entries::token_set_prefix;
use switchboard_core::{Cache, ErrorKind};
use xero_sim::config::{AutoConsent, SimConfig};
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

async fn connected_world(orgs: usize) -> (World, Vec<FileId>) {
    let sim = Simulator::start(SimConfig::default().orgs(orgs).seed(5).auto_consent(AutoConsent::all())).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryCredentialStore::default());
    let ctx = sim_context(&sim, dir.path(), store.clone(), Limits::default());
    let grant = consent(&ctx, CONNECT_SCOPES).await;
    let (files, _) = ctx.connect_from_grant(grant, |_| {}).await.unwrap();
    (World { sim, ctx, store, _dir: dir }, files)
}

impl World {
    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.ctx.cache.lock().unwrap()
    }

    /// How many connections the simulated Xero holds.
    async fn connections_at_xero(&self) -> u64 {
        let state: serde_json::Value =
            reqwest::get(format!("{}/_sim/state", self.sim.base_url())).await.unwrap().json().await.unwrap();
        state["connections"].as_u64().unwrap()
    }

    fn has_tokens(&self, file: FileId) -> bool {
        let set = self.cache().token_set_of(file).unwrap().unwrap();
        self.set_has_tokens(set.id)
    }

    /// Whether the credential store holds any entry of the token set.
    fn set_has_tokens(&self, set: TokenSetId) -> bool {
        let prefix = format!("{}/", token_set_prefix(self.cache().id(), set.0));
        self.store.keys().iter().any(|k| k.starts_with(&prefix))
    }
}

#[tokio::test]
async fn user_access_lists_the_organisations_users_and_answers_who_can_see_what() {
    let (w, files) = connected_world(3).await;
    let file = w.cache().file(files[0]).unwrap();
    let tenant = file.xero.as_ref().unwrap().tenant_id.clone();
    let org = w.sim.orgs().into_iter().find(|o| o.organisation_id.to_string() == tenant).unwrap();
    let staff: Vec<_> = w.sim.staff().into_iter().filter(|s| s.orgs.contains(&org.organisation_id)).collect();

    let access = w.ctx.refresh_user_access(files[0]).await.unwrap();
    assert_eq!(access.users.len(), org.users.len() + staff.len());
    let subscriber = org.users.iter().find(|u| u.is_subscriber).unwrap();
    assert_eq!(access.users[0].email, subscriber.email, "the subscriber is listed first");
    assert!(access.users[0].is_subscriber);
    assert!(access.users.iter().all(|u| !u.role.is_empty() && !u.email.is_empty()));
    assert!(
        access
            .manage_url
            .as_deref()
            .unwrap()
            .starts_with("https://go.xero.com/organisationlogin/default.aspx?shortcode=%21")
    );
    // Cached: readable again without Xero.
    w.sim.faults().set(FaultRule::new(FaultKind::Reset));
    assert_eq!(w.cache().user_access(files[0]).unwrap(), access);

    // Xero unreachable: a clear error, and the cached list stays.
    let error = w.ctx.refresh_user_access(files[0]).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::XeroUnreachable, "{error}");
    assert_eq!(w.cache().user_access(files[0]).unwrap(), access);
    w.sim.faults().clear();

    for id in &files[1..] {
        w.ctx.refresh_user_access(*id).await.unwrap();
    }
    let member = &staff[0];
    let report = w.cache().staff_access(&member.email).unwrap();
    let expected = files.iter().filter(|id| {
        let tenant = w.cache().file(**id).unwrap().xero.unwrap().tenant_id;
        member.orgs.iter().any(|o| o.to_string() == tenant)
    });
    assert_eq!(report.files.len(), expected.count());
    assert!(report.files.iter().any(|f| f.file_id == files[0]));
    assert_eq!(report.files_never_checked, 0);
}

#[tokio::test]
async fn deleting_a_client_disconnects_it_at_xero_then_removes_it_and_its_unshared_tokens() {
    let (w, files) = connected_world(2).await;
    assert_eq!(w.connections_at_xero().await, 2);
    w.cache()
        .add_console_user(
            files[0],
            &ConsoleUserDraft { name: "Ann".into(), email: "ann@x.example".into(), role: ConsoleRole::Owner },
        )
        .unwrap();
    let name = w.cache().file(files[0]).unwrap().display_name;

    let wrong = delete_client(&w.ctx.cache, Some(&w.ctx), files[0], "not the name").await.unwrap_err();
    assert_eq!(wrong.kind(), ErrorKind::InvalidInput);
    assert_eq!(w.connections_at_xero().await, 2, "a wrong name calls nobody");

    let deleted = delete_client(&w.ctx.cache, Some(&w.ctx), files[0], &name).await.unwrap();
    assert!(deleted.disconnected_from_xero);
    assert!(!deleted.forgot_sign_in, "the other file still uses the sign-in");
    assert_eq!(w.connections_at_xero().await, 1);
    assert_eq!(w.cache().file(files[0]).unwrap_err().kind(), ErrorKind::NotFound);
    assert!(w.has_tokens(files[1]));
    assert_eq!(
        w.cache().audit_entries(files[0]).unwrap()[0].new_value.as_deref(),
        Some("Deleted; disconnected from Xero")
    );

    // The last file of the sign-in: its tokens go too.
    let set = w.cache().token_set_of(files[1]).unwrap().unwrap();
    let name = w.cache().file(files[1]).unwrap().display_name;
    let deleted = delete_client(&w.ctx.cache, Some(&w.ctx), files[1], &name).await.unwrap();
    assert!(deleted.forgot_sign_in);
    assert_eq!(w.connections_at_xero().await, 0);
    assert_eq!(w.sim.stats().revocations, 1, "no set of that Xero user is left in use: revoked");
    assert!(!w.set_has_tokens(set.id));
    assert!(w.store.keys().is_empty());
    assert_eq!(w.cache().token_set(set.id).unwrap_err().kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn a_sign_in_the_practice_s_xpm_connection_uses_is_kept_when_its_last_file_is_deleted() {
    let (w, files) = connected_world(1).await;
    let set = w.cache().token_set_of(files[0]).unwrap().unwrap();
    w.cache().set_setting("xpm.token_set", Some(&set.id.0.to_string())).unwrap();
    let name = w.cache().file(files[0]).unwrap().display_name;
    let deleted = delete_client(&w.ctx.cache, Some(&w.ctx), files[0], &name).await.unwrap();
    assert!(deleted.disconnected_from_xero);
    assert!(!deleted.forgot_sign_in, "XPM still signs in with it");
    assert_eq!(w.sim.stats().revocations, 0);
    assert!(w.set_has_tokens(set.id));
    assert!(w.cache().token_set(set.id).is_ok());
}

#[tokio::test]
async fn when_xero_fails_to_disconnect_nothing_is_deleted() {
    let (w, files) = connected_world(1).await;
    let id = files[0];
    w.cache()
        .add_console_user(
            id,
            &ConsoleUserDraft { name: "Ann".into(), email: "ann@x.example".into(), role: ConsoleRole::Owner },
        )
        .unwrap();
    let name = w.cache().file(id).unwrap().display_name;
    let snapshot = |w: &World| {
        let cache = w.cache();
        (cache.file(id).unwrap(), cache.console_users(id).unwrap(), cache.audit_entries(id).unwrap())
    };
    let before = snapshot(&w);

    for (fault, kind) in [
        (FaultKind::ServerError { status: 503 }, ErrorKind::XeroRefused),
        (FaultKind::Reset, ErrorKind::XeroUnreachable),
    ] {
        // Only DELETE /connections/{id} fails (GET /connections has no trailing slash).
        w.sim.faults().set(FaultRule::new(fault).path_prefix("/api/connections/"));
        let error = delete_client(&w.ctx.cache, Some(&w.ctx), id, &name).await.unwrap_err();
        assert_eq!(error.kind(), kind, "{error}");
        assert!(
            error.to_string().contains("nothing was deleted") || error.to_string().contains("Nothing was deleted"),
            "{error}"
        );
        assert_eq!(snapshot(&w), before);
        assert!(w.has_tokens(id));
        assert_eq!(w.connections_at_xero().await, 1);
    }
    w.sim.faults().clear();
    delete_client(&w.ctx.cache, Some(&w.ctx), id, &name).await.unwrap();
    assert_eq!(w.connections_at_xero().await, 0);
}

#[tokio::test]
async fn a_connection_already_gone_at_xero_is_deleted_locally() {
    let (w, files) = connected_world(2).await;
    let tenant = w.cache().file(files[0]).unwrap().xero.unwrap().tenant_id;
    let org = w.sim.orgs().into_iter().find(|o| o.organisation_id.to_string() == tenant).unwrap();
    assert!(w.sim.delete_tenant(org.organisation_id));
    let name = w.cache().file(files[0]).unwrap().display_name;
    let deleted = delete_client(&w.ctx.cache, Some(&w.ctx), files[0], &name).await.unwrap();
    assert!(deleted.disconnected_from_xero);
    assert_eq!(w.cache().list_files().unwrap().len(), 1);
}

#[tokio::test]
async fn without_a_known_connection_id_the_connection_is_found_by_tenant_and_disconnected() {
    let (w, files) = connected_world(2).await;
    let file = w.cache().file(files[0]).unwrap();
    // A file as an older cache could hold it: tenant known, connection id not.
    let draft = ClientFileDraft {
        software: AccountingSoftware::Xero,
        connection: ConnectionState::Connected,
        xero: Some(XeroIds { tenant_id: file.xero.clone().unwrap().tenant_id, connection_id: None, short_code: None }),
        ..ClientFileDraft::named(file.display_name.clone())
    };
    w.cache().upsert_files(&[draft]).unwrap();
    assert_eq!(w.cache().file(files[0]).unwrap().xero.unwrap().connection_id, None);

    let deleted = delete_client(&w.ctx.cache, Some(&w.ctx), files[0], &file.display_name).await.unwrap();
    assert!(deleted.disconnected_from_xero);
    assert_eq!(w.connections_at_xero().await, 1);
}

#[tokio::test]
async fn refreshing_every_files_users_makes_the_practice_wide_report_complete() {
    let (w, files) = connected_world(4).await;
    assert_eq!(w.cache().staff_access("anyone@example.com").unwrap().files_never_checked, 4);
    // One organisation's Users call fails: the others are still fetched.
    let broken = w.cache().file(files[3]).unwrap().xero.unwrap().tenant_id;
    let broken_org = w.sim.orgs().into_iter().find(|o| o.organisation_id.to_string() == broken).unwrap();
    w.sim.faults().set(
        FaultRule::new(FaultKind::ServerError { status: 500 })
            .path_prefix("/api/api.xro/2.0/Users")
            .tenant(broken_org.organisation_id),
    );
    let report = w.ctx.refresh_all_user_access().await.unwrap();
    assert_eq!((report.fetched, report.failed), (3, 1));

    let member = &w.sim.staff()[0];
    let access = w.cache().staff_access(&member.email).unwrap();
    assert_eq!(access.files_never_checked, 1);
    let expected: Vec<FileId> = files[..3]
        .iter()
        .copied()
        .filter(|id| {
            let tenant = w.cache().file(*id).unwrap().xero.unwrap().tenant_id;
            member.orgs.iter().any(|o| o.to_string() == tenant)
        })
        .collect();
    assert!(!expected.is_empty(), "the first staff member reaches some of the organisations");
    let mut got: Vec<FileId> = access.files.iter().map(|f| f.file_id).collect();
    got.sort();
    assert_eq!(got, expected);
}

/// The cached users of every file, by file, as (user id, role).
fn cached_users(w: &World, files: &[FileId]) -> Vec<Vec<(String, String)>> {
    let cache = w.cache();
    files
        .iter()
        .map(|f| cache.user_access(*f).unwrap().users.into_iter().map(|u| (u.user_id, u.role)).collect())
        .collect()
}

#[tokio::test]
async fn refreshing_every_file_again_asks_xero_only_for_changed_users() {
    let (w, files) = connected_world(6).await;
    let bytes = || w.sim.stats().api_bytes_served;

    let before = bytes();
    assert_eq!(w.ctx.refresh_all_user_access().await.unwrap().failed, 0);
    let full = bytes() - before;
    let listed = cached_users(&w, &files);
    assert!(listed.iter().all(|users| !users.is_empty()));

    // Nothing changed at Xero: each file gets an empty answer, and keeps its list.
    let before = bytes();
    assert_eq!(w.ctx.refresh_all_user_access().await.unwrap().failed, 0);
    let unchanged = bytes() - before;
    assert!(unchanged * 3 < full, "{unchanged} bytes for no change, {full} for the full lists");
    assert_eq!(cached_users(&w, &files), listed);

    // A role changed at Xero arrives and is merged; nothing else moves.
    let org = &w.sim.orgs()[0];
    let file = files
        .iter()
        .copied()
        .find(|f| w.cache().file(*f).unwrap().xero.unwrap().tenant_id == org.organisation_id.to_string())
        .unwrap();
    let user = org.users.iter().find(|u| u.role != "READONLY").expect("a user who is not read-only");
    w.sim.advance(std::time::Duration::from_secs(60));
    assert!(w.sim.set_user_role(org.organisation_id, user.user_id, "READONLY"));
    w.ctx.refresh_all_user_access().await.unwrap();
    let after = w.cache().user_access(file).unwrap();
    let changed = after.users.iter().find(|u| u.user_id == user.user_id.to_string()).unwrap();
    assert_eq!(changed.role, "READONLY");
    let index = files.iter().position(|f| *f == file).unwrap();
    let others = |users: Vec<(String, String)>| {
        users.into_iter().filter(|(id, _)| *id != user.user_id.to_string()).collect::<Vec<_>>()
    };
    assert_eq!(others(cached_users(&w, &files)[index].clone()), others(listed[index].clone()));
    assert_eq!(after.users.len(), listed[index].len());

    // A user removed at Xero is not reported by a changes-only answer (Xero marks no removal):
    // it stays listed until a full list, which refreshing that one file fetches.
    assert!(w.sim.remove_user(org.organisation_id, user.user_id));
    w.ctx.refresh_all_user_access().await.unwrap();
    assert!(w.cache().user_access(file).unwrap().users.iter().any(|u| u.user_id == user.user_id.to_string()));
    let fresh = w.ctx.refresh_user_access(file).await.unwrap();
    assert!(!fresh.users.iter().any(|u| u.user_id == user.user_id.to_string()));
}
