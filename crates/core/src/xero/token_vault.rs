//! Keeps Xero token sets: the tokens in the OS credential store (laid out as
//! [`super::token_entries`] describes), their metadata in the cache, and refreshes that are
//! single-flight across threads *and* processes.
//!
//! A refresh token rotates on every refresh, and an older one stops working 30 minutes later, so
//! two refreshes of one token set racing each other would strand one of them. Every refresh
//! therefore happens under two locks: an in-process async mutex per token set and an OS file lock
//! per token set, shared with the CLI. Under the locks the vault re-reads the stored pair (another
//! process may have refreshed meanwhile), refreshes only if still needed, and stores the new pair
//! *before* anyone uses it.

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::cache::{Cache, RetiredTokenSet, TokenSetId, TokenSetInfo};
use crate::credential_store::CredentialStore;
use crate::error::{Error, Result};
use crate::model::UnixMillis;
use crate::secret::Secret;

use super::sign_in::TokenGrant;
use super::token_entries::{StoredPair, TokenEntries, legacy_key, read_legacy};

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

impl TokenVault {
    /// `lock_dir` must be shared by every process using the same cache (the data folder).
    pub fn new(store: Arc<dyn CredentialStore>, lock_dir: PathBuf) -> Self {
        TokenVault { store, lock_dir, gates: Mutex::new(HashMap::new()) }
    }

    /// Keeps a new token set from a consent and returns its id.
    pub fn save_new(&self, cache: &SharedCache, grant: &TokenGrant) -> Result<TokenSetId> {
        let (id, cache_id) = {
            let mut cache = lock(cache);
            let id = cache.insert_token_set(grant.xero_user_id.as_deref(), &grant.scopes, grant.access_expires_at)?;
            (id, cache.id().to_owned())
        };
        if let Err(e) = self.entries(&cache_id, id).write(&grant.access_token, &grant.refresh_token) {
            // A row without tokens would only ever say "needs reconnect".
            let _ = lock(cache).retire_token_set_if_unused(id);
            return Err(e);
        }
        Ok(id)
    }

    /// Marks a set as needing a person to connect again (its files too), keeping its data.
    pub fn needs_reconnect(&self, cache: &SharedCache, id: TokenSetId, reason: &str) -> Result<()> {
        lock(cache).mark_token_set_needs_reconnect(id, reason)
    }

    /// Removes a retired set's tokens from the credential store (under the set's locks, so no
    /// refresh of it is half-way), returning its refresh token for the caller to revoke.
    pub async fn take_retired(&self, cache: &SharedCache, retired: &RetiredTokenSet) -> Result<Option<Secret>> {
        let gate = self.gate(retired.id);
        let _in_process = gate.lock().await;
        let cache_id = lock(cache).id().to_owned();
        let _across_processes = self.file_lock(&cache_id, retired.id).await?;
        let entries = self.entries(&cache_id, retired.id);
        let mut refresh = match entries.read() {
            Ok(pair) => pair.map(|p| p.refresh_token),
            Err(Error::NeedsReconnect(_)) => None,
            Err(e) => return Err(e),
        };
        let legacy = match retired.legacy_entry {
            true => read_legacy(self.store.as_ref(), retired.id.0, retired.xero_user_id.as_deref())?,
            false => None,
        };
        if let Some((_, legacy_refresh)) = legacy {
            refresh = refresh.or(Some(legacy_refresh));
            self.store.delete(&legacy_key(retired.id.0))?;
        }
        entries.delete()?;
        Ok(refresh)
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
        let cache_id = lock(cache).id().to_owned();
        let _across_processes = self.file_lock(&cache_id, id).await?;

        // Re-read under the locks: another thread or process may have refreshed already.
        let info = lock(cache).token_set(id)?;
        if info.needs_reconnect {
            return Err(Error::NeedsReconnect("Xero refused this connection earlier".to_owned()));
        }
        let pair = match self.read_pair(cache, &cache_id, &info) {
            Ok(pair) => pair,
            Err(Error::NeedsReconnect(reason)) => {
                lock(cache).mark_token_set_needs_reconnect(id, &reason)?;
                return Err(Error::NeedsReconnect(reason));
            }
            Err(other) => return Err(other),
        };
        let fresh = info.access_expires_at.0.saturating_sub(UnixMillis::now().0) > EXPIRY_MARGIN_MS;
        // A rejected token that another caller has already replaced needs no second refresh; a
        // missing (or torn) access token always does.
        if let Some(access) = pair.access_token.filter(|a| fresh && rejected.is_none_or(|r| r != a)) {
            return Ok(access);
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
        self.entries(&cache_id, id).write(&grant.access_token, &grant.refresh_token)?;
        lock(cache).record_token_refresh(id, grant.access_expires_at, &grant.scopes)?;
        Ok(grant.access_token)
    }

    fn entries(&self, cache_id: &str, id: TokenSetId) -> TokenEntries<'_> {
        TokenEntries::new(self.store.as_ref(), cache_id, id.0)
    }

    fn gate(&self, id: TokenSetId) -> Arc<tokio::sync::Mutex<()>> {
        let mut gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        gates.entry(id).or_default().clone()
    }

    async fn file_lock(&self, cache_id: &str, id: TokenSetId) -> Result<std::fs::File> {
        let path = self.lock_dir.join(format!("token-set-{cache_id}-{}.lock", id.0));
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

    /// The stored pair, moving a set stored before migration 008 to the current layout first.
    fn read_pair(&self, cache: &SharedCache, cache_id: &str, info: &TokenSetInfo) -> Result<StoredPair> {
        let entries = self.entries(cache_id, info.id);
        if lock(cache).token_set_in_legacy_entry(info.id)? {
            // Written in the current layout, then the legacy entry removed, then the cache told:
            // a crash between the steps only repeats the remaining ones on the next use.
            if let Some((access, refresh)) = read_legacy(self.store.as_ref(), info.id.0, info.xero_user_id.as_deref())?
            {
                if entries.read()?.is_none() {
                    entries.write(&access, &refresh)?;
                }
                self.store.delete(&legacy_key(info.id.0))?;
            }
            lock(cache).token_set_left_legacy_entry(info.id)?;
        }
        entries
            .read()?
            .ok_or_else(|| Error::NeedsReconnect("this computer's credential store has no tokens for it".to_owned()))
    }
}

pub(crate) fn lock(cache: &SharedCache) -> std::sync::MutexGuard<'_, Cache> {
    cache.lock().unwrap_or_else(|e| e.into_inner())
}
