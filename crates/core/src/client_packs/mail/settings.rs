//! Settings → Client packs by email: the practice's mail server, kept in the cache's settings
//! (so the app and the CLI share it) and audited when changed. Its password lives only in the OS
//! credential store, under this cache's key, like the Xero app's client secret.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Cache;
use crate::credential_store::CredentialStore;
use crate::error::{Error, Result};
use crate::secret::Secret;

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MailSecurity {
    /// Plain connection upgraded with STARTTLS before anything is sent (usually port 587).
    Starttls,
    /// TLS from the first byte ("SSL/TLS", usually port 465).
    Tls,
    /// No encryption: only for a mail server on this computer (a local relay), so nothing
    /// crosses the network in the clear.
    #[serde(rename = "none")]
    Unencrypted,
}

impl MailSecurity {
    fn code(self) -> &'static str {
        match self {
            MailSecurity::Starttls => "starttls",
            MailSecurity::Tls => "tls",
            MailSecurity::Unencrypted => "none",
        }
    }

    fn from_code(code: &str) -> Result<Self> {
        match code {
            "starttls" => Ok(MailSecurity::Starttls),
            "tls" => Ok(MailSecurity::Tls),
            "none" => Ok(MailSecurity::Unencrypted),
            other => Err(Error::InvalidInput(format!(
                "The saved mail server security {other:?} is not one Switchboard knows; choose it again in Settings."
            ))),
        }
    }

    fn label(self) -> &'static str {
        match self {
            MailSecurity::Starttls => "STARTTLS",
            MailSecurity::Tls => "TLS",
            MailSecurity::Unencrypted => "no encryption",
        }
    }
}

/// The practice's mail server, as typed in Settings. The password is not here: it crosses IPC
/// only on its way in, and is kept in the credential store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MailSettings {
    /// The server's name or IP address, without a port (e.g. `smtp.office365.com`).
    pub host: String,
    /// 1-65535 (a number wider than a port, so a wrong one gets a sentence rather than a decode error).
    pub port: u32,
    pub security: MailSecurity,
    /// `None` for a server that needs no sign-in (a local relay).
    pub username: Option<String>,
    /// The address client packs come from.
    pub from_address: String,
    /// The practice's name as clients see it, in From and in the pack.
    pub from_name: String,
}

/// Settings → Client packs by email: the settings (`None` until someone sets them up) and
/// whether a password is saved (never the password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MailStatus {
    pub settings: Option<MailSettings>,
    pub password_saved: bool,
}

/// Setting keys in the cache.
const HOST: &str = "mail.host";
const PORT: &str = "mail.port";
const SECURITY: &str = "mail.security";
const USERNAME: &str = "mail.username";
const FROM_ADDRESS: &str = "mail.from_address";
const FROM_NAME: &str = "mail.from_name";

/// The password's key in the credential store: the cache's own, as for the Xero client secret,
/// so two caches on one computer keep their own mail servers' passwords.
pub fn password_key(cache: &Cache) -> String {
    format!("cache/{}/mail-server/password", cache.id())
}

/// The saved password, if any.
pub fn saved_password(cache: &Cache, store: &dyn CredentialStore) -> Result<Option<Secret>> {
    store.get(&password_key(cache))
}

impl MailSettings {
    /// The saved settings, or `None` when the mail server has not been set up.
    pub fn load(cache: &Cache) -> Result<Option<MailSettings>> {
        let Some(host) = cache.setting(HOST)? else { return Ok(None) };
        let port = cache.setting(PORT)?.and_then(|p| p.parse().ok()).unwrap_or(587);
        let security = cache.setting(SECURITY)?.as_deref().map(MailSecurity::from_code).transpose()?;
        Ok(Some(MailSettings {
            host,
            port,
            security: security.unwrap_or(MailSecurity::Starttls),
            username: cache.setting(USERNAME)?,
            from_address: cache.setting(FROM_ADDRESS)?.unwrap_or_default(),
            from_name: cache.setting(FROM_NAME)?.unwrap_or_default(),
        }))
    }

    /// The settings trimmed and checked, or a sentence saying what to correct.
    pub fn validated(&self) -> Result<MailSettings> {
        let host = validate_host(&self.host)?;
        if !(1..=65535).contains(&self.port) {
            return Err(invalid(format!("{} is not a port number: use 1-65535 (usually 587 or 465).", self.port)));
        }
        if self.security == MailSecurity::Unencrypted && !is_loopback(&host) {
            return Err(invalid(format!(
                "Without encryption, the password and every client pack would cross the network readable by \
                 anyone on the way, so it is allowed only for a mail server on this computer (localhost, 127.0.0.1 \
                 or ::1). For {host}, choose STARTTLS or TLS."
            )));
        }
        let username = self.username.as_deref().map(str::trim).filter(|u| !u.is_empty());
        if username.is_some_and(|name| name.chars().count() > 256 || name.chars().any(char::is_control)) {
            return Err(invalid("The user name must be at most 256 characters, on one line.".to_owned()));
        }
        let from_address = crate::access::email::validate_email(&self.from_address)
            .map_err(|e| invalid(format!("From address: {e}")))?;
        let from_name = self.from_name.trim();
        if from_name.is_empty() {
            return Err(invalid("Enter the practice's name as clients should see it.".to_owned()));
        }
        if from_name.chars().count() > 200 || from_name.chars().any(char::is_control) {
            return Err(invalid("The practice's name must be at most 200 characters, on one line.".to_owned()));
        }
        Ok(MailSettings {
            host,
            port: self.port,
            security: self.security,
            username: username.map(str::to_owned),
            from_address,
            from_name: from_name.to_owned(),
        })
    }

    /// Validates and saves, and records the change in the audit log. `password`: `None` keeps
    /// the saved one, `Some("")` forgets it, anything else replaces it. A user name needs a
    /// password; without a user name the saved password is forgotten. Nothing is written when
    /// anything is refused.
    pub fn save(&self, cache: &mut Cache, store: &dyn CredentialStore, password: Option<&Secret>) -> Result<()> {
        let after = self.validated()?;
        let before = MailSettings::load(cache)?;
        let key = password_key(cache);
        let had_password = store.get(&key)?.is_some();
        let signs_in = after.username.is_some();
        let typed = password.filter(|p| signs_in && !p.expose().is_empty());
        let keeps_saved = signs_in && password.is_none_or(|p| !p.expose().is_empty()) && had_password;
        if signs_in && typed.is_none() && !keeps_saved {
            return Err(invalid(
                "Enter the mail server's password for this user name, or leave the user name empty if the server \
                 needs no sign-in."
                    .to_owned(),
            ));
        }
        let password_change = match typed {
            Some(secret) => {
                store.set(&key, secret)?;
                Some("password replaced")
            }
            None if !keeps_saved && had_password => {
                store.delete(&key)?;
                Some("password removed")
            }
            None => None,
        };
        let old = before.as_ref().map_or_else(|| "not set up".to_owned(), MailSettings::summary);
        let mut new = after.summary();
        if before.as_ref() == Some(&after) && password_change.is_none() {
            return Ok(());
        }
        if let Some(change) = password_change {
            new = format!("{new}; {change}");
        }
        let port = after.port.to_string();
        cache.set_settings_recorded(
            &[
                (HOST, Some(&after.host)),
                (PORT, Some(&port)),
                (SECURITY, Some(after.security.code())),
                (USERNAME, after.username.as_deref()),
                (FROM_ADDRESS, Some(&after.from_address)),
                (FROM_NAME, Some(&after.from_name)),
            ],
            "mail_settings",
            Some(&old),
            Some(&new),
        )
    }

    /// The settings as the audit log shows them: never the password, only whether it changed.
    fn summary(&self) -> String {
        format!(
            "{}:{} ({}); {}; from {} <{}>",
            self.host,
            self.port,
            self.security.label(),
            self.username.as_deref().map_or_else(|| "no sign-in".to_owned(), |u| format!("user {u}")),
            self.from_name,
            self.from_address,
        )
    }
}

fn invalid(message: String) -> Error {
    Error::InvalidInput(message)
}

/// A host name or IP address, trimmed, without brackets or a trailing dot; a sentence when it is
/// an address with a scheme or port, or not a name at all.
fn validate_host(host: &str) -> Result<String> {
    let host = host.trim();
    if host.is_empty() {
        return Err(invalid("Enter the mail server's name, such as smtp.example.com.".to_owned()));
    }
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(ip.to_string());
    }
    if host.contains("://") || host.contains(':') || host.contains('/') {
        return Err(invalid(format!(
            "{host:?}: enter only the server's name, such as smtp.example.com; the port goes in Port."
        )));
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if name.len() > 253 || !name.split('.').all(label_ok) {
        return Err(invalid(format!("{host:?} is not a server name such as smtp.example.com.")));
    }
    Ok(name.to_ascii_lowercase())
}

/// A host that can only be this computer: `localhost`, 127.0.0.0/8, `::1`.
pub(crate) fn is_loopback(host: &str) -> bool {
    match host.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(host: &str, security: MailSecurity) -> MailSettings {
        MailSettings {
            host: host.into(),
            port: 587,
            security,
            username: None,
            from_address: "office@practice.example".into(),
            from_name: "The Practice".into(),
        }
    }

    #[test]
    fn hosts_are_names_or_addresses_and_only_loopback_may_go_unencrypted() {
        for (typed, kept) in [
            (" SMTP.Example.com ", "smtp.example.com"),
            ("mail.example.com.", "mail.example.com"),
            ("[::1]", "::1"),
            ("127.0.0.1", "127.0.0.1"),
            ("localhost", "localhost"),
        ] {
            assert_eq!(validate_host(typed).unwrap(), kept, "{typed}");
        }
        for bad in ["", "smtp://mail.example.com", "mail.example.com:587", "two words", "a..b", "-a.com", "a/b"] {
            assert!(validate_host(bad).is_err(), "{bad}");
        }
        for local in ["localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]"] {
            settings(local, MailSecurity::Unencrypted).validated().unwrap();
        }
        for remote in ["mail.example.com", "10.0.0.1", "localhost.example.com", "::2"] {
            let error = settings(remote, MailSecurity::Unencrypted).validated().unwrap_err().to_string();
            assert!(error.contains("only for a mail server on this computer"), "{error}");
            settings(remote, MailSecurity::Starttls).validated().unwrap();
        }
    }

    #[test]
    fn ports_addresses_and_names_are_checked_with_a_sentence() {
        let base = settings("smtp.example.com", MailSecurity::Tls);
        for (bad, says) in [
            (MailSettings { port: 0, ..base.clone() }, "use 1-65535"),
            (MailSettings { port: 65536, ..base.clone() }, "use 1-65535"),
            (MailSettings { from_address: "office".into(), ..base.clone() }, "From address"),
            (MailSettings { from_name: "  ".into(), ..base.clone() }, "practice's name"),
            (MailSettings { from_name: "A\r\nBcc: x@evil.example".into(), ..base.clone() }, "on one line"),
            (MailSettings { username: Some("a\nb".into()), ..base.clone() }, "on one line"),
        ] {
            let error = bad.validated().unwrap_err();
            assert!(error.to_string().contains(says), "{bad:?}: {error}");
        }
        let empty_user = MailSettings { username: Some(" ".into()), ..base.clone() }.validated().unwrap();
        assert_eq!(empty_user.username, None);
    }
}
