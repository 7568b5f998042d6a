//! What the CLI tests against the Xero simulator share: the `switchboard` command pointed at a
//! cache, a credential-store service of the test's own (the Linux kernel keyring, which needs no
//! desktop session) and the simulator's endpoints.

#![allow(dead_code)] // each test crate uses a part of it

use std::path::Path;
use std::process::Command;

use switchboard_core::Cache;
use switchboard_core::credential_store::OsCredentialStore;
use switchboard_core::xero::token_entries::TokenEntries;
use xero_sim::SimHandle;

pub fn switchboard_on_sim(cache: &Path, service: &str, sim: &SimHandle) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_switchboard"));
    command
        .arg("--cache")
        .arg(cache)
        .env("SWITCHBOARD_KEYRING", "kernel")
        .env("SWITCHBOARD_CREDENTIAL_SERVICE", service)
        .env("SWITCHBOARD_XERO_AUTHORIZE_URL", sim.authorize_url())
        .env("SWITCHBOARD_XERO_TOKEN_URL", sim.token_url())
        .env("SWITCHBOARD_XERO_REVOCATION_URL", sim.revocation_url())
        .env("SWITCHBOARD_XERO_API_URL", format!("{}/", sim.api_base()));
    command
}

/// The test's own service in the kernel keyring (as `switchboard_on_sim` sets it up).
pub fn test_store(service: &str) -> OsCredentialStore {
    OsCredentialStore::new(service.to_owned()).in_kernel_keyring().unwrap()
}

/// Removes token sets 1..=`up_to` of the cache at `cache` from the test's keyring service.
pub fn forget_token_sets(service: &str, cache: &Path, up_to: i64) {
    let Ok(cache) = Cache::open(cache) else { return };
    let store = test_store(service);
    for id in 1..=up_to {
        let _ = TokenEntries::new(&store, cache.id(), id).delete();
    }
}
