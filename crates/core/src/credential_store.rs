//! The OS credential store (Windows Credential Manager, macOS Keychain, Secret Service or the kernel
//! keyring on Linux), behind a small trait so tests and headless runs can use memory instead.
//! Refresh tokens and client secrets live here and nowhere else.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// Where Switchboard keeps secrets, by key (e.g. `token-set/3/refresh`).
pub trait CredentialStore: Send + Sync {
    fn get(&self, key: &str) -> Result<Option<Secret>>;
    fn set(&self, key: &str, secret: &Secret) -> Result<()>;
    /// Forgets a key; forgetting a missing key is not an error.
    fn delete(&self, key: &str) -> Result<()>;
}

/// The OS credential store, through the `keyring` crate.
pub struct OsCredentialStore {
    service: String,
}

impl OsCredentialStore {
    /// `service` separates installs (e.g. the app from a test run) within one OS account.
    pub fn new(service: impl Into<String>) -> Self {
        OsCredentialStore { service: service.into() }
    }

    fn entry(&self, key: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, key).map_err(unavailable)
    }
}

impl CredentialStore for OsCredentialStore {
    fn get(&self, key: &str) -> Result<Option<Secret>> {
        match self.entry(key)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn set(&self, key: &str, secret: &Secret) -> Result<()> {
        self.entry(key)?.set_password(secret.expose()).map_err(unavailable)
    }

    fn delete(&self, key: &str) -> Result<()> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }
}

/// keyring's errors name the store and the reason, never the secret.
fn unavailable(error: keyring::Error) -> Error {
    Error::CredentialStore(error.to_string())
}

/// Secrets in memory, for tests and for the demo against the simulator.
#[derive(Default)]
pub struct MemoryCredentialStore {
    secrets: Mutex<HashMap<String, Secret>>,
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
