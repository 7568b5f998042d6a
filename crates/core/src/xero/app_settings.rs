//! The practice's Xero app settings: client id, redirect ports and tier in the cache, the
//! optional client secret ("Web app" type) in the credential store.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::config::XeroApp;
use super::tier::XeroTier;
use crate::Cache;
use crate::credential_store::CredentialStore;
use crate::error::{Error, Result};
use crate::secret::Secret;

/// Ports Switchboard suggests registering (`http://localhost:<port>/callback` each).
pub const DEFAULT_REDIRECT_PORTS: [u16; 5] = [53682, 53683, 53684, 53685, 53686];
/// Where the client secret was kept before migration 008, shared by every cache on the computer.
const LEGACY_CLIENT_SECRET_KEY: &str = "xero-app/client-secret";

/// The client secret's key: the cache's own, so each cache keeps the secret of its own Xero app.
pub fn client_secret_key(cache: &Cache) -> String {
    format!("cache/{}/xero-app/client-secret", cache.id())
}

/// The stored client secret, moving one kept under the legacy key to this cache's key on first
/// use (written, then the legacy entry removed: a crash between the two only repeats the move).
fn stored_client_secret(cache: &Cache, store: &dyn CredentialStore) -> Result<Option<Secret>> {
    let key = client_secret_key(cache);
    if let Some(secret) = store.get(&key)? {
        return Ok(Some(secret));
    }
    let Some(legacy) = store.get(LEGACY_CLIENT_SECRET_KEY)? else { return Ok(None) };
    store.set(&key, &legacy)?;
    store.delete(LEGACY_CLIENT_SECRET_KEY)?;
    Ok(Some(legacy))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct XeroAppSettings {
    /// `None` until the practice registers its Xero app.
    pub client_id: Option<String>,
    pub redirect_ports: Vec<u16>,
    /// A "Web app" type app: its secret is in the credential store (never shown).
    pub has_client_secret: bool,
    /// The app's tier at Xero, as the practice chose it at developer.xero.com; `None` until
    /// someone records it (Switchboard then neither caps connections nor queues consents).
    pub tier: Option<XeroTier>,
}

impl XeroAppSettings {
    pub fn load(cache: &Cache) -> Result<Self> {
        let ports = match cache.setting("xero.redirect_ports")? {
            Some(text) => parse_ports(&text)?,
            None => DEFAULT_REDIRECT_PORTS.to_vec(),
        };
        Ok(XeroAppSettings {
            client_id: cache.setting("xero.client_id")?,
            redirect_ports: ports,
            has_client_secret: cache.setting("xero.has_client_secret")?.as_deref() == Some("true"),
            tier: cache.setting("xero.tier")?.map(|code| XeroTier::from_code(&code)).transpose()?,
        })
    }

    /// Validates and saves, and records the change in the audit log. `client_secret`: `Some`
    /// stores a new secret, `None` keeps what is there (`has_client_secret: false` forgets it).
    pub fn save(&self, cache: &mut Cache, store: &dyn CredentialStore, client_secret: Option<&Secret>) -> Result<()> {
        let client_id = self.client_id.as_deref().map(validate_client_id).transpose()?;
        validate_ports(&self.redirect_ports)?;
        let before = XeroAppSettings::load(cache)?;
        let key = client_secret_key(cache);
        let secret_change = match (self.has_client_secret, client_secret) {
            (true, Some(secret)) if !secret.expose().trim().is_empty() => {
                store.set(&key, &Secret::new(secret.expose().trim()))?;
                Some("client secret replaced")
            }
            (true, _) if stored_client_secret(cache, store)?.is_none() => {
                return Err(Error::InvalidInput(
                    "Enter the Xero app's client secret, or untick \"Web app\".".to_owned(),
                ));
            }
            (true, _) => None,
            (false, _) => {
                store.delete(&key)?;
                before.has_client_secret.then_some("client secret removed")
            }
        };
        let after = XeroAppSettings { client_id, ..self.clone() };
        let (old, mut new) = (before.summary(), after.summary());
        if old == new && secret_change.is_none() {
            return Ok(());
        }
        if let Some(change) = secret_change {
            new = format!("{new}; {change}");
        }
        let ports = after.redirect_ports.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
        cache.set_settings_recorded(
            &[
                ("xero.client_id", after.client_id.as_deref()),
                ("xero.redirect_ports", Some(&ports)),
                ("xero.has_client_secret", Some(if after.has_client_secret { "true" } else { "false" })),
                ("xero.tier", after.tier.map(XeroTier::code)),
            ],
            "xero_app_settings",
            Some(&old),
            Some(&new),
        )
    }

    /// The settings as the audit log shows them. The client id is not a secret (Xero puts it in
    /// every sign-in address); the secret itself never appears, only whether there is one.
    fn summary(&self) -> String {
        let ports = self.redirect_ports.iter().map(u16::to_string).collect::<Vec<_>>().join(", ");
        format!(
            "client id {}; redirect ports {ports}; {}; tier {}",
            self.client_id.as_deref().unwrap_or("none"),
            if self.has_client_secret { "web app" } else { "no client secret" },
            self.tier.map_or("not recorded", XeroTier::label),
        )
    }

    /// The app to sign in as, or a clear error when none is set up.
    pub fn app(&self) -> Result<XeroApp> {
        let client_id = self.client_id.clone().ok_or_else(|| {
            Error::InvalidInput(
                "No Xero app is set up yet. Enter the client id of the practice's Xero app in Settings.".to_owned(),
            )
        })?;
        Ok(XeroApp {
            client_id,
            has_client_secret: self.has_client_secret,
            redirect_ports: self.redirect_ports.clone(),
        })
    }

    /// The "Web app" type's client secret, from this cache's entry in the credential store.
    pub fn client_secret(&self, cache: &Cache, store: &dyn CredentialStore) -> Result<Option<Secret>> {
        if !self.has_client_secret {
            return Ok(None);
        }
        stored_client_secret(cache, store)?.map(Some).ok_or_else(|| {
            Error::InvalidInput("The Xero app's client secret is missing from this computer's credential store; enter it again in Settings.".to_owned())
        })
    }
}

fn validate_client_id(id: &str) -> Result<String> {
    let id = id.trim();
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::InvalidInput(
            "A Xero client id is 1-64 letters and digits, as shown for the app at developer.xero.com.".to_owned(),
        ));
    }
    Ok(id.to_owned())
}

fn validate_ports(ports: &[u16]) -> Result<()> {
    if ports.is_empty() || ports.len() > 20 {
        return Err(Error::InvalidInput("List between 1 and 20 redirect ports.".to_owned()));
    }
    if let Some(port) = ports.iter().find(|p| **p < 1024) {
        return Err(Error::InvalidInput(format!(
            "Port {port} is reserved by the system; use ports from 1024 to 65535."
        )));
    }
    let mut sorted = ports.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() != ports.len() {
        return Err(Error::InvalidInput("Each redirect port may be listed once.".to_owned()));
    }
    Ok(())
}

/// `53682, 53683` → ports, with a message a person understands.
pub fn parse_ports(text: &str) -> Result<Vec<u16>> {
    let ports = text
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.parse::<u16>().map_err(|_| Error::InvalidInput(format!("{p:?} is not a port number (1024-65535)."))))
        .collect::<Result<Vec<_>>>()?;
    validate_ports(&ports)?;
    Ok(ports)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential_store::MemoryCredentialStore;

    #[test]
    fn settings_round_trip_and_the_secret_stays_in_the_credential_store() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::open(&dir.path().join("c.sqlite3")).unwrap();
        let store = MemoryCredentialStore::default();
        let loaded = XeroAppSettings::load(&cache).unwrap();
        assert_eq!(loaded.client_id, None);
        assert_eq!(loaded.redirect_ports, DEFAULT_REDIRECT_PORTS);
        assert!(loaded.app().is_err());

        let settings = XeroAppSettings {
            client_id: Some(" ABC123 ".into()),
            redirect_ports: vec![50001, 50002],
            has_client_secret: true,
            tier: None,
        };
        settings.save(&mut cache, &store, Some(&Secret::new("s3cret"))).unwrap();
        let loaded = XeroAppSettings::load(&cache).unwrap();
        assert_eq!(loaded.client_id.as_deref(), Some("ABC123"));
        assert_eq!(loaded.redirect_ports, [50001, 50002]);
        assert_eq!(loaded.client_secret(&cache, &store).unwrap().unwrap().expose(), "s3cret");

        let public = XeroAppSettings { has_client_secret: false, ..loaded };
        public.save(&mut cache, &store, None).unwrap();
        assert_eq!(store.get(&client_secret_key(&cache)).unwrap(), None);
    }

    #[test]
    fn a_client_secret_under_the_legacy_key_moves_to_the_cache_s_key_on_first_use() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(&dir.path().join("c.sqlite3")).unwrap();
        let store = MemoryCredentialStore::default();
        store.set(LEGACY_CLIENT_SECRET_KEY, &Secret::new("old-secret")).unwrap();
        let settings = XeroAppSettings {
            client_id: Some("ABC".into()),
            redirect_ports: vec![50001],
            has_client_secret: true,
            tier: None,
        };
        assert_eq!(settings.client_secret(&cache, &store).unwrap().unwrap().expose(), "old-secret");
        assert_eq!(store.keys(), [client_secret_key(&cache)]);
        assert_eq!(settings.client_secret(&cache, &store).unwrap().unwrap().expose(), "old-secret");
    }

    #[test]
    fn bad_settings_are_refused_with_a_reason_and_nothing_saved() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::open(&dir.path().join("c.sqlite3")).unwrap();
        let store = MemoryCredentialStore::default();
        let base = XeroAppSettings {
            client_id: Some("ABC".into()),
            redirect_ports: vec![50001],
            has_client_secret: false,
            tier: None,
        };
        for bad in [
            XeroAppSettings { client_id: Some("has space".into()), ..base.clone() },
            XeroAppSettings { client_id: Some("<script>".into()), ..base.clone() },
            XeroAppSettings { redirect_ports: vec![], ..base.clone() },
            XeroAppSettings { redirect_ports: vec![80], ..base.clone() },
            XeroAppSettings { redirect_ports: vec![50001, 50001], ..base.clone() },
            XeroAppSettings { has_client_secret: true, ..base.clone() },
        ] {
            assert!(bad.save(&mut cache, &store, None).is_err(), "{bad:?}");
        }
        assert_eq!(XeroAppSettings::load(&cache).unwrap().client_id, None);
        assert!(parse_ports("53682, x").is_err());
        assert_eq!(parse_ports("53682, 53683").unwrap(), [53682, 53683]);
    }
}
