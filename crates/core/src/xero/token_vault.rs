//! Keeps Xero token sets: the tokens in the OS credential store, their metadata in the cache,
//! and refreshes that are single-flight across threads *and* processes.
//!
//! A refresh token rotates on every refresh, and an older one stops working 30 minutes later, so
//! two refreshes of one token set racing each other would strand one of them (xero-api-facts.md
//! §8.1). Every refresh therefore happens under two locks: an in-process async mutex per token set
//! and an OS file lock per token set, shared with the CLI. Under the locks the vault re-reads the
//! stored pair (another process may have refreshed meanwhile), refreshes only if still needed,
//! and stores the new pair *before* anyone uses it.

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::cache::{Cache, TokenSetId};
use crate::credential_store::CredentialStore;
use crate::error::{Error, Result};
use crate::model::UnixMillis;
use crate::secret::Secret;

use super::sign_in::TokenGrant;

/// An access token this close to expiry is refreshed before use.
const EXPIRY_MARGIN_MS: i64 = 2 * 60 * 1000;
/// A refresh whose response was lost is retried (with the same, still valid, old token).
const REFRESH_ATTEMPTS: u32 = 3;

pub type SharedCache = Arc<Mutex<Cache>>;

pub struct TokenVault {
    store: Arc<dyn CredentialStore>,
    lock_dir: PathBuf,
    gates: Mutex<HashMap<TokenSetId, Arc<tokio::sync::Mutex<()>>>>,
}

/// The pair as stored in the credential store: one entry, so it is replaced as a whole.
struct StoredPair {
    access_token: Secret,
    refresh_token: Secret,
}

impl TokenVault {
    /// `lock_dir` must be shared by every process using the same cache (the data folder).
    pub fn new(store: Arc<dyn CredentialStore>, lock_dir: PathBuf) -> Self {
        TokenVault { store, lock_dir, gates: Mutex::new(HashMap::new()) }
    }

    /// Keeps a new token set from a consent and returns its id.
    pub fn save_new(&self, cache: &SharedCache, grant: &TokenGrant) -> Result<TokenSetId> {
        let id = lock(cache).insert_token_set(
            grant.xero_user_id.as_deref(),
            &grant.scopes,
            grant.access_expires_at,
        )?;
        self.write_pair(id, &grant.access_token, &grant.refresh_token)?;
        Ok(id)
    }

    /// Marks a set as needing a person to connect again (its files too), keeping its data.
    pub fn needs_reconnect(&self, cache: &SharedCache, id: TokenSetId, reason: &str) -> Result<()> {
        lock(cache).mark_token_set_needs_reconnect(id, reason)
    }

    /// Forgets a token set's tokens (after a revocation or when no file uses it any more).
    pub fn forget(&self, id: TokenSetId) -> Result<()> {
        self.store.delete(&key(id))
    }

    /// A usable access token for the set, refreshing it first when it is about to expire, or
    /// when it is `rejected` (Xero answered 401 to it, e.g. because clocks disagree).
    /// `refresh` performs the HTTP refresh (see [`super::sign_in::refresh`]).
    pub async fn access_token<F, Fut>(
        &self,
        cache: &SharedCache,
        id: TokenSetId,
        rejected: Option<&Secret>,
        refresh: F,
    ) -> Result<Secret>
    where
        F: Fn(Secret) -> Fut,
        Fut: Future<Output = Result<TokenGrant>>,
    {
        let gate = self.gate(id);
        let _in_process = gate.lock().await;
        let _across_processes = self.file_lock(id).await?;

        // Re-read under the locks: another thread or process may have refreshed already.
        let info = lock(cache).token_set(id)?;
        if info.needs_reconnect {
            return Err(Error::NeedsReconnect("Xero refused this connection earlier".to_owned()));
        }
        let pair = self.read_pair(id)?;
        let fresh = info.access_expires_at.0 - UnixMillis::now().0 > EXPIRY_MARGIN_MS;
        // A rejected token that another caller has already replaced needs no second refresh.
        if fresh && rejected.is_none_or(|r| *r != pair.access_token) {
            return Ok(pair.access_token);
        }

        let mut attempt = 0;
        let grant = loop {
            attempt += 1;
            match refresh(pair.refresh_token.clone()).await {
                Ok(grant) => break grant,
                Err(Error::NeedsReconnect(reason)) => {
                    lock(cache).mark_token_set_needs_reconnect(id, &reason)?;
                    return Err(Error::NeedsReconnect(reason));
                }
                // No answer: the old token is still good inside Xero's 30-minute grace.
                Err(Error::XeroUnreachable(_)) if attempt < REFRESH_ATTEMPTS => {
                    tokio::time::sleep(Duration::from_millis(250 * u64::from(attempt))).await;
                }
                Err(other) => return Err(other),
            }
        };
        // Stored before it is used: if this process died now, the next one has the new pair.
        self.write_pair(id, &grant.access_token, &grant.refresh_token)?;
        lock(cache).record_token_refresh(id, grant.access_expires_at, &grant.scopes)?;
        Ok(grant.access_token)
    }

    fn gate(&self, id: TokenSetId) -> Arc<tokio::sync::Mutex<()>> {
        let mut gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        gates.entry(id).or_default().clone()
    }

    async fn file_lock(&self, id: TokenSetId) -> Result<std::fs::File> {
        let path = self.lock_dir.join(format!("token-set-{}.lock", id.0));
        tokio::task::spawn_blocking(move || {
            let write_error = |source| Error::Write { path: path.clone(), source };
            std::fs::create_dir_all(path.parent().expect("lock files live in a folder")).map_err(write_error)?;
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(write_error)?;
            // Released when the file is closed, also if the process dies.
            file.lock().map_err(write_error)?;
            Ok(file)
        })
        .await
        .map_err(|e| Error::InvalidInput(format!("The token lock could not be taken: {e}")))?
    }

    fn read_pair(&self, id: TokenSetId) -> Result<StoredPair> {
        let stored = self.store.get(&key(id))?.ok_or_else(|| {
            Error::NeedsReconnect("this computer's credential store has no tokens for it".to_owned())
        })?;
        let value: serde_json::Value = serde_json::from_str(stored.expose())
            .map_err(|_| Error::NeedsReconnect("its stored tokens could not be read".to_owned()))?;
        let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(Secret::new);
        match (field("access_token"), field("refresh_token")) {
            (Some(access_token), Some(refresh_token)) => Ok(StoredPair { access_token, refresh_token }),
            _ => Err(Error::NeedsReconnect("its stored tokens are incomplete".to_owned())),
        }
    }

    fn write_pair(&self, id: TokenSetId, access: &Secret, refresh: &Secret) -> Result<()> {
        let value = serde_json::json!({
            "access_token": access.expose(),
            "refresh_token": refresh.expose(),
        });
        self.store.set(&key(id), &Secret::new(value.to_string()))
    }
}

fn key(id: TokenSetId) -> String {
    format!("token-set/{}", id.0)
}

pub(crate) fn lock(cache: &SharedCache) -> std::sync::MutexGuard<'_, Cache> {
    cache.lock().unwrap_or_else(|e| e.into_inner())
}
