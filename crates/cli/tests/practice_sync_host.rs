//! `switchboard practice sync-host init` and `switchboard sync --practice` against a PostgreSQL
//! of the test's own (scripts/postgres): Linux only, like tests/practice.rs.
#![cfg(target_os = "linux")]

#[path = "../../practice/tests/support/mod.rs"]
mod pg;

use std::process::{Command, Output};

use switchboard_core::credential_store::{CredentialStore, OsCredentialStore};
use switchboard_core::secret::Secret;
use switchboard_practice::handover::token_set_key;
use switchboard_practice::sync_host::{SyncHostIdentity, SyncHostLock};
use switchboard_practice::{PracticeDb, SyncState};

fn switchboard(service: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(args)
        .env("SWITCHBOARD_CREDENTIAL_SERVICE", service)
        .env("SWITCHBOARD_KEYRING", "kernel")
        .env_remove("SWITCHBOARD_DATABASE_URL")
        .output()
        .expect("switchboard runs")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[tokio::test]
async fn the_sync_host_takes_hand_overs_and_says_what_it_cannot_do_yet() {
    let pg = pg::TestPostgres::start().await;
    let owner = pg.init().await;
    let service = format!("switchboard-sync-host-cli-test-{}", std::process::id());
    let store = OsCredentialStore::new(&service).in_kernel_keyring().unwrap();
    let url = pg.owner_url.as_str();
    let alpha = owner.add_file("Alpha Ltd", "xero", Some("tenant-1")).await.unwrap().id;
    let ann_password = pg::add_staff(&owner, "ann", false).await;
    owner.grant_file("ann", alpha, None).await.unwrap();

    // The admin makes this computer the sync host; its key goes to the credential store.
    let out =
        switchboard(&service, &["practice", "sync-host", "init", "--database-url", url, "--host-name", "server-1"]);
    assert!(out.status.success(), "{}", text(&out));
    let identity = SyncHostIdentity::load(&owner, &store).unwrap().expect("key kept");
    let registered = owner.sync_host().await.unwrap().unwrap();
    assert_eq!(
        (registered.recipient.as_str(), registered.host_name.as_str()),
        (identity.recipient().as_str(), "server-1")
    );
    assert!(text(&out).contains("new key") && text(&out).contains(&identity.recipient()), "{}", text(&out));
    assert!(!text(&out).contains("AGE-SECRET-KEY"), "{}", text(&out));
    // Again: the same key, registered again.
    let out =
        switchboard(&service, &["practice", "sync-host", "init", "--database-url", url, "--host-name", "server-1"]);
    assert!(text(&out).contains("existing key"), "{}", text(&out));
    assert_eq!(owner.sync_host().await.unwrap().unwrap().recipient, identity.recipient());

    // Ann connects a file on her desktop and asks for a sync.
    let ann = PracticeDb::connect(&pg.url(), "ann", &ann_password).await.unwrap();
    let token = r#"{"refresh_token":"refresh-cli-test-Qm9x"}"#;
    let handover = ann.offer_token_set(&[alpha], &Secret::new(token)).await.unwrap();
    let request = ann.request_sync(Some(alpha)).await.unwrap();

    // A second sync host while one runs: stops, saying who, with its own exit code.
    let held = SyncHostLock::acquire(&owner, "server-9 pid 9").await.unwrap();
    let out = switchboard(&service, &["sync", "--practice", "--database-url", url]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    assert!(text(&out).contains("Another sync host (server-9 pid 9"), "{}", text(&out));
    assert!(text(&out).contains("this one stops."), "{}", text(&out));
    drop(held);

    let mut out = switchboard(&service, &["sync", "--practice", "--database-url", url]);
    for _ in 0..50 {
        // The dropped lock's connection closes in the background.
        if out.status.code() != Some(4) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        out = switchboard(&service, &["sync", "--practice", "--database-url", url]);
    }
    // The request fails, honestly: the sync host's Xero sync is not built yet.
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(text(&out).contains("Took 1 token set"), "{}", text(&out));
    assert!(text(&out).contains("Xero sync from the sync host is not built yet"), "{}", text(&out));
    assert!(!text(&out).contains("Qm9x"), "{}", text(&out));
    assert_eq!(store.get(&token_set_key(&owner, handover)).unwrap().unwrap().expose(), token);
    let requests = ann.sync_requests(10).await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!((requests[0].id, requests[0].state), (request, SyncState::Failed));
    assert!(requests[0].message.as_deref().unwrap().contains("not built yet"));

    // Staying up (--watch), it takes a hand-over as it arrives, and stops on Ctrl+C (SIGINT).
    let watching = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["sync", "--practice", "--watch", "--database-url", url])
        .env("SWITCHBOARD_CREDENTIAL_SERVICE", &service)
        .env("SWITCHBOARD_KEYRING", "kernel")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let second = ann.offer_token_set(&[alpha], &Secret::new(r#"{"refresh_token":"second"}"#)).await.unwrap();
    let mut taken = false;
    for _ in 0..100 {
        if store.get(&token_set_key(&owner, second)).unwrap().is_some() {
            taken = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let interrupted = Command::new("kill").args(["-INT", &watching.id().to_string()]).status().unwrap();
    assert!(interrupted.success());
    let out = watching.wait_with_output().unwrap();
    assert!(taken, "not taken while watching: {}", text(&out));
    assert!(out.status.success(), "{:?}: {}", out.status, text(&out));
    assert!(text(&out).contains("The sync host is up") && text(&out).contains("Took 1 token set"), "{}", text(&out));

    for id in [handover, second] {
        store.delete(&token_set_key(&owner, id)).unwrap();
    }
    store.delete(&SyncHostIdentity::key(&owner)).unwrap();
}
