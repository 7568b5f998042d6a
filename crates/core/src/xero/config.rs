//! Where Xero is, and which Xero app Switchboard signs in as.
//!
//! Endpoints are Xero's real hosts. Tests and the demo point them at the simulator through the
//! environment (never through the web UI), and only when started in an explicit simulator or demo
//! mode ([`crate::run_mode`]).

use url::Url;

use crate::error::{Error, Result};
use crate::run_mode::RunMode;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XeroEndpoints {
    pub authorize: Url,
    pub token: Url,
    pub revocation: Url,
    /// The API host: `connections`, `api.xro/2.0/...`, `payroll.xro/...`, `assets.xro/...`.
    pub api: Url,
}

/// Each endpoint can be overridden with its variable to use the local simulator, in the simulator
/// or demo mode only.
pub const AUTHORIZE_URL_VAR: &str = "SWITCHBOARD_XERO_AUTHORIZE_URL";
pub const TOKEN_URL_VAR: &str = "SWITCHBOARD_XERO_TOKEN_URL";
pub const REVOCATION_URL_VAR: &str = "SWITCHBOARD_XERO_REVOCATION_URL";
pub const API_URL_VAR: &str = "SWITCHBOARD_XERO_API_URL";

impl Default for XeroEndpoints {
    fn default() -> Self {
        let url = |s: &str| Url::parse(s).expect("Xero's own URLs parse");
        XeroEndpoints {
            authorize: url("https://login.xero.com/identity/connect/authorize"),
            token: url("https://identity.xero.com/connect/token"),
            revocation: url("https://identity.xero.com/connect/revocation"),
            api: url("https://api.xero.com/"),
        }
    }
}

impl XeroEndpoints {
    /// Xero's hosts, with the environment's overrides when the process runs in the simulator or
    /// demo mode.
    pub fn from_env() -> Result<Self> {
        XeroEndpoints::from_vars(RunMode::from_env(), |var| std::env::var(var).ok())
    }

    /// Xero's hosts, with the overrides `lookup` finds when `mode` honours them (else none is read).
    pub fn from_vars(mode: RunMode, lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let mut endpoints = XeroEndpoints::default();
        if !mode.honours_overrides() {
            return Ok(endpoints);
        }
        for (var, slot) in [
            (AUTHORIZE_URL_VAR, &mut endpoints.authorize),
            (TOKEN_URL_VAR, &mut endpoints.token),
            (REVOCATION_URL_VAR, &mut endpoints.revocation),
            (API_URL_VAR, &mut endpoints.api),
        ] {
            if let Some(value) = lookup(var).filter(|v| !v.is_empty()) {
                *slot = parse_endpoint(var, &value)?;
            }
        }
        Ok(endpoints)
    }

    /// The hosts (with their port when not the scheme's default) of the endpoints that are not
    /// Xero's own, each once: empty when Switchboard talks to Xero and nothing else.
    pub fn not_xero_hosts(&self) -> Vec<String> {
        let xero = XeroEndpoints::default();
        let mut hosts: Vec<String> = Vec::new();
        for (ours, theirs) in [
            (&self.authorize, &xero.authorize),
            (&self.token, &xero.token),
            (&self.revocation, &xero.revocation),
            (&self.api, &xero.api),
        ] {
            if ours.origin() == theirs.origin() {
                continue;
            }
            let host = match ours.port() {
                Some(port) => format!("{}:{port}", ours.host_str().unwrap_or("")),
                None => ours.host_str().unwrap_or("").to_owned(),
            };
            if !hosts.contains(&host) {
                hosts.push(host);
            }
        }
        hosts
    }

    /// A path under the API host, e.g. `connections` or `api.xro/2.0/Organisation`.
    pub fn api_url(&self, path: &str) -> Url {
        let mut base = self.api.clone();
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        base.join(path).expect("API paths are relative and well-formed")
    }
}

fn is_loopback(url: &Url) -> bool {
    matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
}

/// An endpoint must be https, except on the loopback interface (the simulator).
fn parse_endpoint(var: &str, value: &str) -> Result<Url> {
    let url = Url::parse(value).map_err(|e| Error::InvalidInput(format!("{var} is not a URL ({e}).")))?;
    if url.scheme() == "https" || (url.scheme() == "http" && is_loopback(&url)) {
        Ok(url)
    } else {
        Err(Error::InvalidInput(format!(
            "{var} must be an https URL (or http on 127.0.0.1 for the simulator); got {value}."
        )))
    }
}

/// The practice's Xero app, as registered at developer.xero.com.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XeroApp {
    pub client_id: String,
    /// "Web app" type apps need their client secret (kept in the credential store); PKCE apps
    /// (the default) have none.
    pub has_client_secret: bool,
    /// The ports of the `http://localhost:<port>/callback` redirect URIs registered with the app.
    pub redirect_ports: Vec<u16>,
}

/// What Switchboard asks for when connecting client files: identity, a refresh token, the
/// organisation's settings, and the payroll and assets settings it probes.
pub const CONNECT_SCOPES: &[&str] = &[
    "openid",
    "profile",
    "email",
    "offline_access",
    "accounting.settings.read",
    "payroll.settings.read",
    "assets.read",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_must_be_https_except_on_loopback() {
        assert!(parse_endpoint("V", "https://identity.xero.com/connect/token").is_ok());
        assert!(parse_endpoint("V", "http://127.0.0.1:4000/identity/connect/token").is_ok());
        assert!(parse_endpoint("V", "http://localhost:4000/x").is_ok());
        for bad in ["http://identity.xero.com/connect/token", "ftp://x/", "javascript:alert(1)", "not a url"] {
            assert!(parse_endpoint("V", bad).is_err(), "{bad}");
        }
    }

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |var| pairs.iter().find(|(k, _)| k == var).map(|(_, v)| v.clone())
    }

    const SIM: &[(&str, &str)] = &[
        (AUTHORIZE_URL_VAR, "http://127.0.0.1:4567/login/identity/connect/authorize"),
        (TOKEN_URL_VAR, "http://127.0.0.1:4567/identity/connect/token"),
        (REVOCATION_URL_VAR, "http://127.0.0.1:4567/identity/connect/revocation"),
        (API_URL_VAR, "http://127.0.0.1:4567/api/"),
    ];

    #[test]
    fn overrides_are_ignored_without_the_simulator_or_demo_mode() {
        let endpoints = XeroEndpoints::from_vars(RunMode::Normal, vars(SIM)).unwrap();
        assert_eq!(endpoints, XeroEndpoints::default());
        assert!(endpoints.not_xero_hosts().is_empty());
        // Not even a malformed override fails a normal start: it is never read.
        assert!(XeroEndpoints::from_vars(RunMode::Normal, vars(&[(TOKEN_URL_VAR, "ftp://x/")])).is_ok());
    }

    #[test]
    fn the_simulator_and_demo_modes_honour_overrides_and_name_their_host() {
        for mode in [RunMode::Simulator, RunMode::Demo] {
            let endpoints = XeroEndpoints::from_vars(mode, vars(SIM)).unwrap();
            assert_eq!(endpoints.token.as_str(), "http://127.0.0.1:4567/identity/connect/token");
            assert_eq!(endpoints.not_xero_hosts(), ["127.0.0.1:4567"]);
        }
    }

    #[test]
    fn one_endpoint_that_is_not_xero_is_named() {
        for var in [AUTHORIZE_URL_VAR, TOKEN_URL_VAR, REVOCATION_URL_VAR, API_URL_VAR] {
            let endpoints =
                XeroEndpoints::from_vars(RunMode::Simulator, vars(&[(var, "https://collector.example/x")])).unwrap();
            assert_eq!(endpoints.not_xero_hosts(), ["collector.example"], "{var}");
        }
        // Xero's own address, spelt out, is still Xero.
        let same = XeroEndpoints::from_vars(
            RunMode::Demo,
            vars(&[(TOKEN_URL_VAR, "https://identity.xero.com/connect/token")]),
        )
        .unwrap();
        assert!(same.not_xero_hosts().is_empty());
        // Another port on Xero's host is not Xero.
        let port =
            XeroEndpoints::from_vars(RunMode::Demo, vars(&[(API_URL_VAR, "https://api.xero.com:8443/")])).unwrap();
        assert_eq!(port.not_xero_hosts(), ["api.xero.com:8443"]);
    }

    #[test]
    fn api_paths_join_under_the_api_base() {
        let mut endpoints = XeroEndpoints::default();
        assert_eq!(endpoints.api_url("connections").as_str(), "https://api.xero.com/connections");
        endpoints.api = Url::parse("http://127.0.0.1:9/sim/api").unwrap();
        assert_eq!(
            endpoints.api_url("api.xro/2.0/Organisation").as_str(),
            "http://127.0.0.1:9/sim/api/api.xro/2.0/Organisation"
        );
    }
}
