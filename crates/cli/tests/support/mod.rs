//! What the CLI tests against the Xero simulator share: the `switchboard` command pointed at a
//! cache, a credential-store service of the test's own (the Linux kernel keyring, which needs no
//! desktop session) and the simulator's endpoints.

use std::path::Path;
use std::process::Command;

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
