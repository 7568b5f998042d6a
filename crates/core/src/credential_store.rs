//! The OS credential store (Windows Credential Manager, macOS Keychain, Secret Service or the kernel
//! keyring on Linux), behind a small trait so tests and headless runs can use memory instead.
//! Refresh tokens and client secrets live here and nowhere else.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// Where Switchboard keeps secrets, by key (e.g. `cache/<cache id>/token-set/3/refresh`).
pub trait CredentialStore: Send + Sync {
    fn get(&self, key: &str) -> Result<Option<Secret>>;
    fn set(&self, key: &str, secret: &Secret) -> Result<()>;
    /// Forgets a key; forgetting a missing key is not an error.
    fn delete(&self, key: &str) -> Result<()>;
}

/// Separates one install's secrets from another's (e.g. a test run's) in the same OS account.
pub const SERVICE_VAR: &str = "SWITCHBOARD_CREDENTIAL_SERVICE";
/// `kernel` keeps secrets in the Linux kernel keyring instead of the Secret Service (for headless
/// machines without a desktop keyring, such as a server running the nightly `switchboard sync`,
/// and CI). The kernel keyring does not survive a reboot.
pub const KEYRING_VAR: &str = "SWITCHBOARD_KEYRING";

pub const DEFAULT_SERVICE: &str = "app.switchboard.desktop";

/// The OS credential store chosen by the environment (see [`SERVICE_VAR`], [`KEYRING_VAR`]).
pub fn os_store_from_env() -> Result<OsCredentialStore> {
    let service = std::env::var(SERVICE_VAR).ok().filter(|s| !s.is_empty());
    let store = OsCredentialStore::new(service.unwrap_or_else(|| DEFAULT_SERVICE.to_owned()));
    if std::env::var(KEYRING_VAR).is_ok_and(|v| v == "kernel") { store.in_kernel_keyring() } else { Ok(store) }
}

/// The OS credential store, through the `keyring` crate.
pub struct OsCredentialStore {
    service: String,
    kernel_keyring: bool,
}

impl OsCredentialStore {
    /// `service` separates installs (e.g. the app from a test run) within one OS account.
    pub fn new(service: impl Into<String>) -> Self {
        OsCredentialStore { service: service.into(), kernel_keyring: false }
    }

    /// Uses the Linux kernel keyring (the session keyring, shared by the processes of the
    /// login session) instead of the platform's default store.
    pub fn in_kernel_keyring(mut self) -> Result<Self> {
        if cfg!(target_os = "linux") {
            self.kernel_keyring = true;
            Ok(self)
        } else {
            Err(Error::CredentialStore(format!("{KEYRING_VAR}=kernel exists only on Linux")))
        }
    }

    fn entry(&self, key: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, key).map_err(|e| unavailable("opening", key, e))
    }
}

impl CredentialStore for OsCredentialStore {
    fn get(&self, key: &str) -> Result<Option<Secret>> {
        #[cfg(target_os = "linux")]
        if self.kernel_keyring {
            return kernel::get(&self.service, key);
        }
        match self.entry(key)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable("reading", key, e)),
        }
    }

    fn set(&self, key: &str, secret: &Secret) -> Result<()> {
        #[cfg(target_os = "linux")]
        if self.kernel_keyring {
            return kernel::set(&self.service, key, secret);
        }
        self.entry(key)?.set_password(secret.expose()).map_err(|e| unavailable("writing", key, e))
    }

    fn delete(&self, key: &str) -> Result<()> {
        #[cfg(target_os = "linux")]
        if self.kernel_keyring {
            return kernel::delete(&self.service, key);
        }
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable("removing", key, e)),
        }
    }
}

/// The Linux kernel's user keyring, shared by every process of the OS account until reboot.
/// (keyring's own keyutils store searches the session keyring and links into the persistent
/// one, which processes without a session keyring of their own are refused with EACCES.)
#[cfg(target_os = "linux")]
mod kernel {
    use linux_keyutils::{KeyError, KeyPermissionsBuilder, KeyRing, KeyRingIdentifier, Permission};

    use crate::error::{Error, Result};
    use crate::secret::Secret;

    fn ring() -> Result<KeyRing> {
        KeyRing::from_special_id(KeyRingIdentifier::User, true).map_err(|e| failed("opening the user keyring", e))
    }

    fn description(service: &str, key: &str) -> String {
        format!("{service}:{key}")
    }

    fn missing(error: &KeyError) -> bool {
        matches!(error, KeyError::KeyDoesNotExist | KeyError::KeyRevoked | KeyError::KeyExpired)
    }

    pub fn get(service: &str, key: &str) -> Result<Option<Secret>> {
        let found = match ring()?.search(&description(service, key)) {
            Ok(found) => found,
            Err(e) if missing(&e) => return Ok(None),
            Err(e) => return Err(failed(&format!("reading {key}"), e)),
        };
        let bytes = found.read_to_vec().map_err(|e| failed(&format!("reading {key}"), e))?;
        String::from_utf8(bytes)
            .map(|text| Some(Secret::new(text)))
            .map_err(|_| Error::CredentialStore(format!("reading {key}: not text")))
    }

    pub fn set(service: &str, key: &str, secret: &Secret) -> Result<()> {
        let writing = |e| failed(&format!("writing {key}"), e);
        // add_key replaces the payload of an existing key with the same description.
        let stored = ring()?.add_key(&description(service, key), secret.expose().as_bytes()).map_err(writing)?;
        // Only this OS account (any of its processes) may use it; nobody else may even see it.
        let perms = KeyPermissionsBuilder::builder().posessor(Permission::ALL).user(Permission::ALL).build();
        stored.set_perms(perms).map_err(writing)
    }

    pub fn delete(service: &str, key: &str) -> Result<()> {
        match ring()?.search(&description(service, key)) {
            Ok(found) => found.invalidate().map_err(|e| failed(&format!("removing {key}"), e)),
            Err(e) if missing(&e) => Ok(()),
            Err(e) => Err(failed(&format!("removing {key}"), e)),
        }
    }

    fn failed(doing: &str, error: KeyError) -> Error {
        Error::CredentialStore(format!("{doing} in the kernel keyring: {error:?}"))
    }
}

/// keyring's errors name the store and the reason, never the secret; keys are not secret.
fn unavailable(doing: &str, key: &str, error: keyring::Error) -> Error {
    Error::CredentialStore(format!("{doing} {key}: {error}"))
}

/// Secrets in memory, for tests and for the demo against the simulator.
#[derive(Default)]
pub struct MemoryCredentialStore {
    secrets: Mutex<HashMap<String, Secret>>,
}

impl MemoryCredentialStore {
    /// Every key held, sorted (keys are not secret).
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.secrets.lock().unwrap_or_else(|e| e.into_inner()).keys().cloned().collect();
        keys.sort();
        keys
    }
}

impl CredentialStore for MemoryCredentialStore {
    fn get(&self, key: &str) -> Result<Option<Secret>> {
        Ok(self.secrets.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned())
    }

    fn set(&self, key: &str, secret: &Secret) -> Result<()> {
        self.secrets.lock().unwrap_or_else(|e| e.into_inner()).insert(key.to_owned(), secret.clone());
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<()> {
        self.secrets.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
        Ok(())
    }
}
