//! Where Xero is, and which Xero app Switchboard signs in as.
//!
//! Endpoints default to Xero's real hosts. Tests and the demo point them at the simulator through
//! the environment (never through the web UI).

use url::Url;

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XeroEndpoints {
    pub authorize: Url,
    pub token: Url,
    pub revocation: Url,
    /// The API host: `connections`, `api.xro/2.0/...`, `payroll.xro/...`, `assets.xro/...`.
    pub api: Url,
}

/// Each endpoint can be overridden with its variable, e.g. to use the local simulator.
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
    /// Xero's hosts, with any overrides from the environment.
    pub fn from_env() -> Result<Self> {
        let mut endpoints = XeroEndpoints::default();
        for (var, slot) in [
            (AUTHORIZE_URL_VAR, &mut endpoints.authorize),
            (TOKEN_URL_VAR, &mut endpoints.token),
            (REVOCATION_URL_VAR, &mut endpoints.revocation),
            (API_URL_VAR, &mut endpoints.api),
        ] {
            if let Some(value) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
                *slot = parse_endpoint(var, &value)?;
            }
        }
        Ok(endpoints)
    }

    /// Every endpoint is on this computer: Switchboard talks to the simulator (the demo).
    pub fn is_local(&self) -> bool {
        [&self.authorize, &self.token, &self.revocation, &self.api].iter().all(|u| is_loopback(u))
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
