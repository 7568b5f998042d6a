//! The Connect icon of a file that existed before it was connected: one consent, and the
//! organisation picked becomes that file (the practice's name kept); an organisation that already
//! is another file changes nothing until a person merges the two; picking nothing or cancelling
//! leaves the file as it was; files on other software are never signed in for. Over real HTTP
//! against the Xero simulator.

use std::sync::Arc;
use std::time::Duration;

use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::model::{AccountingSoftware, ClientFile, ClientFileDraft, ConnectionState, FileId, XpmClient};
use switchboard_core::reports::model::ReportKind;
use switchboard_core::settings::console::{ConsoleRole, ConsoleSettings, ConsoleUserDraft, PackCadence};
use switchboard_core::xero::config::CONNECT_SCOPES;
use switchboard_core::xero::connect_file::FileConnectOutcome;
use switchboard_core::xero::context::{Cancel, XeroContext};
use switchboard_core::xero::rate_limit::Limits;
use switchboard_core::{Cache, ErrorKind};
use xero_sim::config::{AutoConsent, SimConfig};
use xero_sim::{SimHandle, Simulator};

mod support;
use support::{consent, sim_context};

struct World {
    sim: SimHandle,
    ctx: XeroContext,
    _dir: tempfile::TempDir,
}

async fn world() -> World {
    let sim = Simulator::start(SimConfig::default().orgs(3).seed(5)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = sim_context(&sim, dir.path(), Arc::new(MemoryCredentialStore::default()), Limits::default());
    World { sim, ctx, _dir: dir }
}

impl World {
    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.ctx.cache.lock().unwrap()
    }

    /// A file the practice added by hand (or imported): a name and its software, nothing else.
    fn add_unconnected(&self, name: &str, software: AccountingSoftware) -> FileId {
        self.cache().upsert_files(&[ClientFileDraft { software, ..ClientFileDraft::named(name) }]).unwrap()[0]
    }

    /// The person ticks exactly these organisations (by index) on the next consent page.
    fn pick(&self, orgs: &[usize]) {
        let all = self.sim.orgs();
        let ids = orgs.iter().map(|&i| all[i].organisation_id).collect();
        self.sim.set_auto_consent(Some(AutoConsent::ids(ids)));
    }

    async fn connect_file(&self, file: FileId) -> FileConnectOutcome {
        let grant = consent(&self.ctx, CONNECT_SCOPES).await;
        self.ctx.connect_file_from_grant(file, grant, |_| {}).await.unwrap()
    }

    fn files(&self) -> Vec<ClientFile> {
        self.cache().list_files().unwrap()
    }
}

#[tokio::test]
async fn the_organisation_picked_becomes_the_file_and_keeps_the_practice_s_name() {
    let w = world().await;
    let org = w.sim.orgs()[1].clone();
    let file = w.add_unconnected("Acme (practice's name)", AccountingSoftware::Xero);
    w.pick(&[1]);
    let outcome = w.connect_file(file).await;
    let FileConnectOutcome::Connected { file: connected, sync } = outcome else { panic!("{outcome:?}") };
    assert_eq!((connected, sync.synced), (file, 1));

    let files = w.files();
    assert_eq!(files.len(), 1, "the file was connected, not duplicated");
    let f = &files[0];
    assert_eq!(f.id, file);
    assert_eq!(f.display_name, "Acme (practice's name)");
    assert_eq!(f.remote_name.as_deref(), Some(org.name.as_str()));
    assert_eq!(f.connection, ConnectionState::Connected);
    let xero = f.xero.as_ref().unwrap();
    assert_eq!(xero.tenant_id, org.organisation_id.to_string());
    assert!(xero.connection_id.is_some());
    assert_eq!(xero.short_code.as_deref(), Some(org.short_code.as_str()));
    assert!(w.cache().token_set_of(file).unwrap().is_some(), "the token set is linked");
    let history = w.cache().audit_entries(file).unwrap();
    assert_eq!(
        (history[0].action.as_str(), history[0].new_value.as_deref()),
        ("connect", Some(xero.tenant_id.as_str()))
    );

    // A later sync keeps the practice's name; Xero's stays beside it.
    w.ctx.sync(None, &Default::default(), |_| {}).await.unwrap();
    let f = w.cache().file(file).unwrap();
    assert_eq!(
        (f.display_name.as_str(), f.remote_name.as_deref()),
        ("Acme (practice's name)", Some(org.name.as_str()))
    );
}

#[tokio::test]
async fn an_organisation_already_another_file_changes_neither_until_they_are_merged() {
    let w = world().await;
    // The organisation came in through "Add client files from Xero" first.
    w.pick(&[0]);
    let grant = consent(&w.ctx, CONNECT_SCOPES).await;
    let (connected, _) = w.ctx.connect_from_grant(grant, |_| {}).await.unwrap();
    let other = connected[0];
    let hand_made = w.add_unconnected("Bright Bakery", AccountingSoftware::Xero);
    {
        let mut cache = w.cache();
        cache.upsert_xpm_clients(&[xpm("xpm-a", "Bright Bakery Ltd"), xpm("xpm-b", "Bright Bakery (old)")]).unwrap();
        cache.link_xpm_client(hand_made, Some("xpm-a")).unwrap();
        cache.link_xpm_client(other, Some("xpm-b")).unwrap();
        cache.rename_file(hand_made, "Bright Bakery Ltd").unwrap();
        let settings = ConsoleSettings {
            enabled: true,
            key_reports: true,
            cadence: PackCadence::Weekly,
            ..ConsoleSettings::default()
        };
        cache.save_console_settings(hand_made, &settings).unwrap();
        cache.add_console_user(hand_made, &user("Ann", "ann@bakery.test")).unwrap();
        cache.add_console_user(other, &user("Bob", "bob@bakery.test")).unwrap();
        cache.add_console_user(other, &user("Ann B", "ANN@bakery.test")).unwrap();
        // Cached report rows (a failed refresh is enough to make one): the organisation's own
        // copy wins where both files have one of a kind.
        cache.record_report_failure(other, ReportKind::BalanceSheet, "the organisation's").unwrap();
        cache.record_report_failure(hand_made, ReportKind::BalanceSheet, "the hand-made file's").unwrap();
        cache.record_report_failure(hand_made, ReportKind::BankSummary, "moved over").unwrap();
    }
    let before = w.files();
    let sets_before = w.cache().token_set_count().unwrap();
    let revocations = w.sim.stats().revocations;

    w.pick(&[0]);
    let outcome = w.connect_file(hand_made).await;
    let FileConnectOutcome::AlreadyAnotherFile { file, file_name, other: named, other_name, organisation_name } =
        outcome
    else {
        panic!("{outcome:?}")
    };
    assert_eq!((file, file_name.as_str(), named), (hand_made, "Bright Bakery Ltd", other));
    assert_eq!(other_name, before.iter().find(|f| f.id == other).unwrap().display_name);
    assert_eq!(organisation_name.as_deref(), Some(w.sim.orgs()[0].name.as_str()));
    // Declined (or not yet decided): both files as they were, and the consent's token set gone
    // (not revoked: the same Xero user still connects the other file).
    assert_eq!(w.files(), before);
    assert_eq!(w.cache().token_set_count().unwrap(), sets_before);
    assert_eq!(w.sim.stats().revocations, revocations);

    // Merged: one file, the organisation's, with the practice's name and what both had.
    let report = w.cache().merge_files(other, hand_made).unwrap();
    assert_eq!(report.dropped_xpm_link.as_deref(), Some("xpm-b"));
    let files = w.files();
    assert_eq!(files.len(), 1);
    let merged = &files[0];
    assert_eq!((merged.id, merged.display_name.as_str()), (other, "Bright Bakery Ltd"));
    assert_eq!(merged.xero.as_ref().unwrap().tenant_id, w.sim.orgs()[0].organisation_id.to_string());
    assert_eq!(merged.xpm.as_ref().unwrap().uuid, "xpm-a", "the practice's own file's XPM link wins");
    {
        let cache = w.cache();
        assert!(cache.token_set_of(other).unwrap().is_some());
        assert!(cache.console_settings(other).unwrap().enabled);
        let mut emails: Vec<_> =
            cache.console_users(other).unwrap().into_iter().map(|u| u.email.to_lowercase()).collect();
        emails.sort();
        assert_eq!(emails, ["ann@bakery.test", "bob@bakery.test"]);
        let reports = cache.cached_reports(other).unwrap();
        let error_of = |kind| reports.iter().find(|r| r.kind == kind).unwrap().last_error.clone();
        assert_eq!(error_of(ReportKind::BalanceSheet).as_deref(), Some("the organisation's"));
        assert_eq!(error_of(ReportKind::BankSummary).as_deref(), Some("moved over"));
        let history: Vec<_> = cache.audit_entries(other).unwrap().into_iter().map(|e| e.action).collect();
        for action in ["merge", "rename", "connect"] {
            assert!(history.contains(&action.to_owned()), "{action} in {history:?}");
        }
        assert!(cache.audit_entries(hand_made).unwrap().is_empty(), "the absorbed file's history moved");
        assert_eq!(cache.file(hand_made).unwrap_err().kind(), ErrorKind::NotFound);
    }

    // A later sync keeps the merged file's name.
    w.ctx.sync(None, &Default::default(), |_| {}).await.unwrap();
    assert_eq!(w.cache().file(other).unwrap().display_name, "Bright Bakery Ltd");
}

#[tokio::test]
async fn a_merge_refuses_two_organisations_and_a_file_with_itself() {
    let w = world().await;
    w.pick(&[0, 1, 2]);
    let grant = consent(&w.ctx, CONNECT_SCOPES).await;
    let (ids, _) = w.ctx.connect_from_grant(grant, |_| {}).await.unwrap();
    let before = w.files();
    let mut cache = w.cache();
    assert_eq!(cache.merge_files(ids[0], ids[1]).unwrap_err().kind(), ErrorKind::InvalidInput);
    assert_eq!(cache.merge_files(ids[0], ids[0]).unwrap_err().kind(), ErrorKind::InvalidInput);
    drop(cache);
    assert_eq!(w.files(), before);
}

#[tokio::test]
async fn picking_nothing_leaves_the_file_as_it_was() {
    let w = world().await;
    let file = w.add_unconnected("Corner Shop", AccountingSoftware::Xero);
    let before = w.files();

    w.pick(&[]);
    assert_eq!(w.connect_file(file).await, FileConnectOutcome::NothingPicked { file });
    assert_eq!(w.files(), before);
    assert_eq!(w.cache().token_set_count().unwrap(), 0, "the unused token set is not kept");

    // Cancelling while the consent page is open: tests/connect_file_cancel.rs (it sets the
    // environment, so it runs alone in its test program).
}

#[tokio::test]
async fn files_on_other_software_are_never_signed_in_for() {
    let w = world().await;
    for (name, software) in [
        ("Quick Books Co", AccountingSoftware::QuickbooksOnline),
        ("Myob Pty", AccountingSoftware::Myob),
        ("Sage Shop", AccountingSoftware::Other("Sage".to_owned())),
    ] {
        let file = w.add_unconnected(name, software.clone());
        let cancel = Cancel::default();
        let refused =
            tokio::time::timeout(Duration::from_secs(5), w.ctx.connect_file_in_browser(file, &cancel, |_| {}))
                .await
                .expect("refused at once, with no consent to wait for")
                .unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::InvalidInput);
        let message = refused.to_string();
        assert!(message.contains(&format!("{name} is a {} file", software.label())), "{message}");
        assert!(message.contains("Switchboard connects Xero files"), "{message}");
    }
    let paper = w.add_unconnected("Paper Only", AccountingSoftware::None);
    let refused = w.ctx.connect_file_in_browser(paper, &Cancel::default(), |_| {}).await.unwrap_err().to_string();
    assert!(
        refused.contains("Paper Only has no accounting software recorded. Switchboard connects Xero files only"),
        "{refused}"
    );
    assert_eq!(w.sim.stats().token_requests, 0);
    assert_eq!(w.cache().token_set_count().unwrap(), 0);
}

#[tokio::test]
async fn a_consent_reaching_several_organisations_connects_none_of_them_to_the_file() {
    let w = world().await;
    let file = w.add_unconnected("Two Hats", AccountingSoftware::Xero);
    let before = w.files();
    w.pick(&[1, 2]);
    let grant = consent(&w.ctx, CONNECT_SCOPES).await;
    let refused = w.ctx.connect_file_from_grant(file, grant, |_| {}).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidInput);
    assert!(refused.to_string().contains("allowed 2 organisations"), "{refused}");
    assert_eq!(w.files(), before);
    assert_eq!(w.cache().token_set_count().unwrap(), 0);
}

fn xpm(uuid: &str, name: &str) -> XpmClient {
    XpmClient { uuid: uuid.to_owned(), name: name.to_owned(), web_url: None, archived: false, deleted: false }
}

fn user(name: &str, email: &str) -> ConsoleUserDraft {
    ConsoleUserDraft { name: name.to_owned(), email: email.to_owned(), role: ConsoleRole::Viewer }
}
