//! What the CLI tests against the Xero simulator share: the `switchboard` command pointed at a
//! cache, a credential-store service of the test's own (on Linux the kernel keyring, which needs no
//! desktop session; on Windows, Credential Manager) and the simulator's endpoints (in the simulator
//! mode, without which the endpoint variables are ignored).

pub mod practice;

use std::path::Path;
use std::process::Command;

use switchboard_core::Cache;
use switchboard_core::credential_store::OsCredentialStore;
use switchboard_core::xero::token_entries::TokenEntries;
use xero_sim::SimHandle;

/// The store the `switchboard` processes of [`switchboard_on_sim`] use, as the test sees it.
#[allow(dead_code)] // Not every test binary that includes this module reads the store.
pub fn os_store(service: &str) -> OsCredentialStore {
    let store = OsCredentialStore::new(service);
    if cfg!(target_os = "linux") { store.in_kernel_keyring().unwrap() } else { store }
}

pub fn switchboard_on_sim(cache: &Path, service: &str, sim: &SimHandle) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_switchboard"));
    command
        .arg("--cache")
        .arg(cache)
        .env("SWITCHBOARD_CREDENTIAL_SERVICE", service)
        .env("SWITCHBOARD_MODE", "simulator")
        .env("SWITCHBOARD_XERO_AUTHORIZE_URL", sim.authorize_url())
        .env("SWITCHBOARD_XERO_TOKEN_URL", sim.token_url())
        .env("SWITCHBOARD_XERO_REVOCATION_URL", sim.revocation_url())
        .env("SWITCHBOARD_XERO_API_URL", format!("{}/", sim.api_base()));
    if cfg!(target_os = "linux") {
        command.env("SWITCHBOARD_KEYRING", "kernel");
    }
    command
}

/// Removes token sets 1..=`up_to` of the cache at `cache` from the test's credential store.
#[allow(dead_code)] // Not every test binary that includes this module stores token sets.
pub fn forget_token_sets(service: &str, cache: &Path, up_to: i64) {
    let Ok(cache) = Cache::open(cache) else { return };
    let store = os_store(service);
    for id in 1..=up_to {
        let _ = TokenEntries::new(&store, cache.id(), id).delete();
    }
}
