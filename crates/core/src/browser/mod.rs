//! Opening the system browser (RFC 8252: sign-in happens there, not in the app's webview).
//!
//! The core decides what may be opened ([`link_allowlist`]); nothing from the web UI names a URL.

pub mod link_allowlist;

use serde::Serialize;
use ts_rs::TS;
use url::Url;

use crate::error::{Error, Result};
use crate::run_mode::RunMode;

/// The link Switchboard handed to the system browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OpenedLink {
    pub url: String,
}

/// A program to open URLs with instead of the system's default browser (tests record the URL
/// with it; `xdg-open` and `open` are the usual defaults). Honoured in the simulator and demo
/// modes only: elsewhere it would hand every sign-in URL to an arbitrary program.
pub const BROWSER_VAR: &str = "SWITCHBOARD_BROWSER";

/// Opens `url`, which must start with `allowed` (same scheme, host, port and path).
pub fn open_url_under(url: &Url, allowed: &Url) -> Result<()> {
    if url.origin() != allowed.origin() || url.path() != allowed.path() {
        return Err(Error::InvalidInput(format!(
            "Switchboard only opens {}; refused {}.",
            allowed,
            url.origin().ascii_serialization()
        )));
    }
    launch(url)
}

/// Hands `url` to the system browser (or to `SWITCHBOARD_BROWSER`). Callers check the URL first:
/// [`open_url_under`] for sign-in, [`link_allowlist::open`] for Xero and XPM pages.
pub(crate) fn launch(url: &Url) -> Result<()> {
    match browser_override(RunMode::from_env(), std::env::var(BROWSER_VAR).ok()) {
        Some(program) => std::process::Command::new(&program)
            .arg(url.as_str())
            .spawn()
            .map(drop)
            .map_err(|e| Error::InvalidInput(format!("Could not start {program} ({e})."))),
        None => open::that_detached(url.as_str()).map_err(|e| {
            Error::InvalidInput(format!("Could not open the web browser ({e}). Open this address yourself: {url}"))
        }),
    }
}

/// The program `SWITCHBOARD_BROWSER` names, when `mode` honours it.
fn browser_override(mode: RunMode, value: Option<String>) -> Option<String> {
    value.filter(|b| !b.is_empty() && mode.honours_overrides())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_stand_in_is_honoured_in_the_simulator_and_demo_modes_only() {
        let recorder = || Some("/tmp/record_url".to_owned());
        assert_eq!(browser_override(RunMode::Normal, recorder()), None);
        assert_eq!(browser_override(RunMode::Simulator, recorder()).as_deref(), Some("/tmp/record_url"));
        assert_eq!(browser_override(RunMode::Demo, recorder()).as_deref(), Some("/tmp/record_url"));
        assert_eq!(browser_override(RunMode::Demo, Some(String::new())), None);
    }

    #[test]
    fn only_urls_under_the_allowed_endpoint_are_opened() {
        let allowed = Url::parse("https://login.xero.com/identity/connect/authorize").unwrap();
        for refused in [
            "https://login.xero.com.evil.example/identity/connect/authorize?x=1",
            "https://login.xero.com@evil.example/identity/connect/authorize",
            "http://login.xero.com/identity/connect/authorize",
            "https://login.xero.com/other",
            "javascript:alert(1)",
            "file:///etc/passwd",
        ] {
            let url = Url::parse(refused).unwrap();
            assert!(open_url_under(&url, &allowed).is_err(), "{refused}");
        }
    }
}
