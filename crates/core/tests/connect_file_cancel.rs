//! Cancel pressed while the consent page for one file is open in the browser: the file is as it
//! was, and nothing is audited. Its own test program, as it sets the environment (the browser).

use std::sync::Arc;
use std::time::Duration;

use switchboard_core::ErrorKind;
use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::model::{AccountingSoftware, ClientFileDraft};
use switchboard_core::xero::context::Cancel;
use switchboard_core::xero::rate_limit::Limits;
use xero_sim::Simulator;
use xero_sim::config::SimConfig;

mod support;
use support::sim_context;

#[tokio::test]
async fn cancelling_the_consent_leaves_the_file_as_it_was() {
    // The "browser" is this test program itself: handed the URL, it runs the tests whose names
    // contain it (none) and exits, so the consent page is never answered; it exists on every
    // platform the tests run on.
    // SAFETY: this test program runs this one test, and nothing has read the environment yet.
    unsafe {
        // A browser stand-in is honoured only in the simulator (or demo) mode.
        std::env::set_var("SWITCHBOARD_MODE", "simulator");
        std::env::set_var("SWITCHBOARD_BROWSER", std::env::current_exe().unwrap());
    }
    let sim = Simulator::start(SimConfig::default().orgs(2)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = sim_context(&sim, dir.path(), Arc::new(MemoryCredentialStore::default()), Limits::default());
    let file = {
        let draft = ClientFileDraft { software: AccountingSoftware::Xero, ..ClientFileDraft::named("Corner Shop") };
        ctx.cache.lock().unwrap().upsert_files(&[draft]).unwrap()[0]
    };
    let before = ctx.cache.lock().unwrap().list_files().unwrap();

    let cancel = Cancel::default();
    let connect = ctx.connect_file_in_browser(file, &cancel, |_| {});
    tokio::pin!(connect);
    // Pressed again until it lands: a press before the sign-in waits for the browser is not kept.
    let outcome = loop {
        tokio::select! {
            outcome = &mut connect => break outcome,
            () = tokio::time::sleep(Duration::from_millis(200)) => cancel.request(),
        }
    };
    assert_eq!(outcome.unwrap_err().kind(), ErrorKind::SignInCancelled);
    let cache = ctx.cache.lock().unwrap();
    assert_eq!(cache.list_files().unwrap(), before);
    assert_eq!(cache.audit_entries(file).unwrap(), []);
    assert_eq!(cache.token_set_count().unwrap(), 0);
    assert_eq!(sim.stats().token_requests, 0);
}
