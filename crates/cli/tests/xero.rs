//! `switchboard xero-app`, `connect` and `sync` as separate processes against the Xero simulator,
//! sharing one cache and the OS credential store (see `support::os_store`): a consent through the
//! browser's redirect, two processes refreshing one token set at once, and `kill -9` in the middle
//! of syncs.

use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::time::Duration;

use switchboard_core::Cache;
use switchboard_core::xero::token_entries::TokenEntries;
use xero_sim::config::{DEFAULT_CLIENT_ID, SimConfig};

mod support;
use support::os_store;
use support::practice::Practice;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn file_states(cache: &Path) -> Vec<(String, String, Option<i64>)> {
    let cache = Cache::open(cache).unwrap();
    assert_eq!(cache.integrity_check().unwrap(), "ok");
    cache
        .list_files()
        .unwrap()
        .into_iter()
        .map(|f| (f.display_name, f.connection.code().to_owned(), f.sync.last_success_at.map(|t| t.0)))
        .collect()
}

#[test]
fn connect_then_sync_from_the_command_line() {
    let p = Practice::new(SimConfig::default().orgs(6).seed(21), "connect");
    let said = p.connect();
    assert!(said.contains("Connected 6 client files."), "{said}");
    let list: Vec<serde_json::Value> = serde_json::from_str(&stdout(&p.run(&["list", "--json"]))).unwrap();
    assert_eq!(list.len(), 6);
    assert!(list.iter().all(|f| f["connection"]["state"] == "connected"));

    let sync = p.run(&["sync"]);
    assert_eq!(sync.status.code(), Some(0), "{}", String::from_utf8_lossy(&sync.stderr));
    assert!(stdout(&sync).contains("Synced 6 client files; 0 failed"));
}

#[test]
fn no_token_is_at_rest_outside_the_credential_store() {
    let p = Practice::new(SimConfig::default().orgs(3).seed(8), "at-rest");
    let connect_output = p.connect();
    p.sim.advance(Duration::from_secs(31 * 60));
    let sync = p.run(&["sync"]);
    assert_eq!(sync.status.code(), Some(0));
    // What the commands printed (their only log) is checked below too.
    let printed = format!("{connect_output}{}{}", stdout(&sync), String::from_utf8_lossy(&sync.stderr));

    let store = os_store(&p.service);
    let cache_id = Cache::open(&p.cache_path()).unwrap().id().to_owned();
    let pair = TokenEntries::new(&store, &cache_id, 1).read().unwrap().expect("tokens stored");
    let access = pair.access_token.expect("an access token stored");
    let secrets = [access.expose(), pair.refresh_token.expose()];
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(p.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            bytes.extend(std::fs::read(&path).unwrap());
        }
    }
    assert!(bytes.len() > 10_000, "the cache (and its WAL) were read");
    for secret in secrets {
        assert!(secret.len() > 20);
        let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
        assert!(!found, "a token was found in the data folder");
        assert!(!printed.contains(secret), "a token was printed");
    }
}

#[test]
fn two_processes_refreshing_one_token_set_at_once_refresh_it_once() {
    let p = Practice::new(SimConfig::default().orgs(4).seed(4).latency(Duration::from_millis(20)), "two");
    p.connect();
    let before = p.sim.stats().refresh_grants;
    // Both processes find the access token expired on Xero's clock at the same moment.
    p.sim.advance(Duration::from_secs(31 * 60));
    let children: Vec<Child> = (0..2).map(|_| p.command(&["sync"]).stdout(Stdio::piped()).spawn().unwrap()).collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
        assert!(stdout(&out).contains("Synced 4 client files; 0 failed"));
    }
    assert_eq!(p.sim.stats().refresh_grants - before, 1, "exactly one refresh reached Xero");
    assert_eq!(p.sim.stats().invalid_grants, 0);
}

#[test]
fn kill_9_during_sync_never_damages_the_cache_or_loses_a_last_good_status() {
    let p = Practice::new(SimConfig::default().orgs(120).seed(9).latency(Duration::from_millis(15)), "kill");
    p.connect();
    let good = file_states(&p.cache_path());
    assert_eq!(good.len(), 120);
    assert!(good.iter().all(|(_, state, synced)| state == "connected" && synced.is_some()));

    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    for round in 0..20 {
        if round % 5 == 4 {
            // Some kills land in the middle of a token refresh.
            p.sim.advance(Duration::from_secs(31 * 60));
        }
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let mut child = p.command(&["sync"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(20 + rng % 600));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let after = file_states(&p.cache_path());
        assert_eq!(after.len(), good.len(), "round {round}");
        for ((name, state, synced), (_, good_state, good_synced)) in after.iter().zip(&good) {
            assert_eq!(state, good_state, "round {round}: {name}");
            assert!(synced >= good_synced, "round {round}: {name} lost its last sync");
        }
    }
    // The token set survived every kill: a full sync still works.
    let last = p.run(&["sync"]);
    assert_eq!(last.status.code(), Some(0), "{}", stdout(&last));
}

#[test]
fn sync_names_every_file_that_failed_and_why() {
    use xero_sim::faults::{FaultKind, FaultRule};
    let p = Practice::new(SimConfig::default().orgs(7).seed(12), "why");
    p.connect();
    let orgs = p.sim.orgs();
    let limited = |problem: &str| FaultKind::RateLimited { problem: problem.to_owned(), retry_after_secs: 600 };
    let faults = [
        FaultKind::WebPage { status: 200 },
        limited("minute"),
        limited("appminute"),
        limited("concurrent"),
        limited("day"),
        limited(""),
    ];
    let expected = [
        "Xero's address answered with a web page, not data (a proxy or sign-in page?).",
        "Xero kept refusing calls over its limit of calls per minute for this organisation; try again shortly.",
        "Xero kept refusing calls over its limit of calls per minute for the practice's whole Xero app; try again shortly.",
        "Xero kept refusing calls over its limit of calls at the same time for this organisation; try again shortly.",
        "Xero's daily limit for this organisation is used up for the next 10 minutes; it will be synced again after that.",
        "Xero kept refusing calls as too many (rate-limited); try again shortly.",
    ];
    for (org, fault) in orgs.iter().zip(faults) {
        p.sim
            .faults()
            .add(FaultRule::new(fault).path_prefix("/api/api.xro/2.0/Organisation").tenant(org.organisation_id));
    }

    let sync = p.run(&["sync"]);
    let printed = stdout(&sync);
    assert_eq!(sync.status.code(), Some(3), "{printed}");
    assert!(printed.contains("Synced 1 client files; 6 failed"), "{printed}");
    for (org, reason) in orgs.iter().zip(expected) {
        let line = format!("\n  {}: {reason}\n", org.name);
        assert!(printed.contains(&line), "missing {line:?} in:\n{printed}");
    }
    assert!(!printed.contains(&format!("  {}:", orgs[6].name)), "the synced file is not listed:\n{printed}");
}

/// Changing only the ports keeps a "Web app"'s client secret (before, leaving out
/// --client-secret-stdin silently deleted it); --no-client-secret removes it. Each says which.
#[test]
fn xero_app_keeps_the_client_secret_unless_asked_to_remove_it() {
    use std::io::Write;
    use switchboard_core::credential_store::CredentialStore;
    let practice = Practice::new(SimConfig::default().orgs(1), "secret");
    let shown = |practice: &Practice| stdout(&practice.run(&["xero-app"]));
    let mut child = practice
        .command(&["xero-app", "--client-id", DEFAULT_CLIENT_ID, "--client-secret-stdin"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"s3cret-of-a-web-app\n").unwrap();
    let stored = child.wait_with_output().unwrap();
    assert!(stored.status.success(), "{}", String::from_utf8_lossy(&stored.stderr));
    assert!(String::from_utf8_lossy(&stored.stderr).contains("The client secret is stored"));
    assert!(shown(&practice).contains("client secret: in the credential store"));

    let kept = practice.run(&["xero-app", "--client-id", DEFAULT_CLIENT_ID, "--ports", "53690"]);
    assert!(kept.status.success(), "{}", String::from_utf8_lossy(&kept.stderr));
    assert!(
        String::from_utf8_lossy(&kept.stderr).contains("The client secret already in the credential store is kept.")
    );
    assert!(shown(&practice).contains("client secret: in the credential store"));

    let removed = practice.run(&["xero-app", "--client-id", DEFAULT_CLIENT_ID, "--no-client-secret"]);
    assert!(removed.status.success(), "{}", String::from_utf8_lossy(&removed.stderr));
    assert!(String::from_utf8_lossy(&removed.stderr).contains("The stored client secret was removed"));
    assert!(shown(&practice).contains("client secret: none (PKCE app)"));
    let cache = Cache::open(&practice.cache_path()).unwrap();
    let key = switchboard_core::xero::app_settings::client_secret_key(&cache);
    assert_eq!(os_store(&practice.service).get(&key).unwrap(), None, "gone from the credential store");
}
