//! Connecting client files from a consent, and syncing them: `/connections`, `Organisation`,
//! payroll and assets probes for every file, under Xero's rate limits. Each file's result is
//! written in its own transaction as it arrives; one file failing never stops the others and
//! never erases its last good status.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use serde::Serialize;
use ts_rs::TS;

use super::api::CallError;
use super::config::CONNECT_SCOPES;
use super::context::{Cancel, XeroContext};
use super::sign_in::{SIGN_IN_TIMEOUT, TokenGrant, start_sign_in};
use super::token_vault::lock;
use crate::cache::{OrgSnapshot, SyncTarget, TokenSetId};
use crate::error::{Error, Result};
use crate::model::{ConnectionState, FileId};
use crate::secret::Secret;

/// Sent after every file, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct SyncProgress {
    pub done: u32,
    pub total: u32,
    pub failed: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct SyncReport {
    pub synced: u32,
    pub failed: u32,
    pub disconnected: u32,
    pub needs_reconnect: u32,
    pub cancelled: bool,
}

/// What happened to one file.
enum Outcome {
    Synced,
    Failed,
    Disconnected,
    NeedsReconnect,
}

/// What "Add client files from Xero" did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ConnectSummary {
    /// Organisations the consent connected (new files and files matched by tenant id).
    pub connected: u32,
    pub sync: SyncReport,
}

impl XeroContext {
    /// The whole "connect" flow: sign in through the system browser, then connect and sync what
    /// the consent granted. [`Cancel::request`] ends the wait.
    pub async fn connect_in_browser(
        &self,
        cancel: &Cancel,
        progress: impl Fn(SyncProgress) + Send + Sync,
    ) -> Result<ConnectSummary> {
        super::tier_usage::check_room_for_a_connection(&lock(&self.cache))?;
        self.connect_in_browser_with_scopes(CONNECT_SCOPES, cancel, progress).await
    }

    /// The connect flow asking for `scopes` (e.g. the report scopes as well, when a person
    /// chooses "Allow reports").
    pub async fn connect_in_browser_with_scopes(
        &self,
        scopes: &[&str],
        cancel: &Cancel,
        progress: impl Fn(SyncProgress) + Send + Sync,
    ) -> Result<ConnectSummary> {
        let grant = self.sign_in_in_browser(scopes, cancel).await?;
        cancel.sync.store(false, Ordering::Relaxed);
        let (files, sync) = self.connect_grant(grant, &cancel.sync, progress).await?;
        Ok(ConnectSummary { connected: files.len() as u32, sync })
    }

    /// A person's consent in the system browser, asking for `scopes`; [`Cancel::request`] ends
    /// the wait with [`Error::SignInCancelled`].
    pub async fn sign_in_in_browser(&self, scopes: &[&str], cancel: &Cancel) -> Result<TokenGrant> {
        let pending = start_sign_in(&self.app, &self.endpoints, scopes, self.client_secret.as_ref()).await?;
        crate::browser::open_url_under(&pending.authorize_url, &self.endpoints.authorize)?;
        pending.finish(&self.http, SIGN_IN_TIMEOUT, cancel.sign_in.notified()).await
    }

    /// After a consent: keeps the token set, connects every organisation the consent added
    /// (matched by tenant id, never duplicated) and syncs them.
    pub async fn connect_from_grant(
        &self,
        grant: TokenGrant,
        progress: impl Fn(SyncProgress) + Send + Sync,
    ) -> Result<(Vec<FileId>, SyncReport)> {
        self.connect_grant(grant, &AtomicBool::new(false), progress).await
    }

    async fn connect_grant(
        &self,
        grant: TokenGrant,
        cancel: &AtomicBool,
        progress: impl Fn(SyncProgress) + Send + Sync,
    ) -> Result<(Vec<FileId>, SyncReport)> {
        let token_set = self.vault.save_new(&self.cache, &grant)?;
        let connections = match self.api.connections(&grant.access_token, grant.auth_event_id.as_deref()).await {
            Ok(connections) => connections,
            Err(e) => {
                self.retire_unused([token_set]).await;
                return Err(e.unreachable());
            }
        };
        let mut files = Vec::new();
        // The sets these files used until now, and the new one: each is retired below if nothing
        // uses it any more (a reconnect, "Allow reports", or a consent that reached no organisation).
        let mut replaced = vec![token_set];
        for connection in connections.iter().filter(|c| c.is_organisation()) {
            let mut cache = lock(&self.cache);
            replaced.extend(cache.token_set_of_tenant(&connection.tenant_id)?);
            files.push(cache.connect_tenant(
                &connection.tenant_id,
                &connection.id,
                connection.tenant_name.as_deref(),
                token_set,
            )?);
        }
        self.retire_unused(replaced).await;
        let report = self.sync(Some(&files), cancel, progress).await?;
        Ok((files, report))
    }

    /// Syncs every connected file, reporting progress after each; [`Cancel::request`] stops it.
    pub async fn sync_all(&self, cancel: &Cancel, progress: impl Fn(SyncProgress) + Send + Sync) -> Result<SyncReport> {
        cancel.sync.store(false, Ordering::Relaxed);
        self.sync(None, &cancel.sync, progress).await
    }

    /// Syncs every connected file (or only `only`), reporting progress after each file.
    pub async fn sync(
        &self,
        only: Option<&[FileId]>,
        cancel: &AtomicBool,
        progress: impl Fn(SyncProgress) + Send + Sync,
    ) -> Result<SyncReport> {
        let wanted: Option<HashSet<FileId>> = only.map(|ids| ids.iter().copied().collect());
        let targets: Vec<SyncTarget> = lock(&self.cache)
            .sync_targets()?
            .into_iter()
            .filter(|t| wanted.as_ref().is_none_or(|w| w.contains(&t.file)))
            .collect();
        let mut by_token_set: BTreeMap<TokenSetId, Vec<SyncTarget>> = BTreeMap::new();
        for target in targets.iter().cloned() {
            by_token_set.entry(target.token_set).or_default().push(target);
        }
        let counter = Counter { total: targets.len() as u32, ..Counter::default() };
        let mut report = SyncReport::default();
        // Every token set at once: the rate limiter, not the order of token sets, decides how
        // many calls are in flight.
        let runs = by_token_set
            .into_iter()
            .map(|(token_set, group)| self.sync_token_set(token_set, group, cancel, &counter, &progress));
        for outcomes in futures::future::join_all(runs).await {
            for outcome in outcomes? {
                match outcome {
                    Outcome::Synced => report.synced += 1,
                    Outcome::Failed => report.failed += 1,
                    Outcome::Disconnected => report.disconnected += 1,
                    Outcome::NeedsReconnect => report.needs_reconnect += 1,
                }
            }
        }
        report.cancelled |= cancel.load(Ordering::Relaxed);
        Ok(report)
    }

    async fn sync_token_set(
        &self,
        token_set: TokenSetId,
        group: Vec<SyncTarget>,
        cancel: &AtomicBool,
        counter: &Counter,
        progress: &(impl Fn(SyncProgress) + Send + Sync),
    ) -> Result<Vec<Outcome>> {
        if cancel.load(Ordering::Relaxed) {
            return Ok(Vec::new());
        }
        let finish_all = |outcome: fn() -> Outcome, reason: Option<&str>| -> Result<Vec<Outcome>> {
            let mut outcomes = Vec::new();
            for target in &group {
                if let Some(reason) = reason {
                    lock(&self.cache).record_sync_failure(target.file, reason)?;
                }
                counter.done(matches!(outcome(), Outcome::Failed), progress);
                outcomes.push(outcome());
            }
            Ok(outcomes)
        };
        let mut access = None;
        let mut connections = None;
        for _ in 0..2 {
            let token = match self.access_token(token_set, access.as_ref()).await {
                Ok(token) => token,
                // The vault has already marked every file of the set.
                Err(Error::NeedsReconnect(_)) => return finish_all(|| Outcome::NeedsReconnect, None),
                Err(e) => return finish_all(|| Outcome::Failed, Some(&e.to_string())),
            };
            match self.api.connections(&token, None).await {
                Ok(list) => connections = Some(list),
                Err(e) if e.token_rejected() => {}
                Err(e) => return finish_all(|| Outcome::Failed, Some(&e.reason())),
            }
            access = Some(token);
            if connections.is_some() {
                break;
            }
        }
        let (Some(access), Some(connections)) = (access, connections) else {
            return finish_all(|| Outcome::Failed, Some("Xero refused a freshly refreshed access token."));
        };
        if connections.is_empty() {
            // Not one organisation left: the consent itself was revoked (or every organisation
            // disconnected), so only a new sign-in can help.
            self.vault.needs_reconnect(
                &self.cache,
                token_set,
                "This Xero sign-in no longer reaches any organisation; access was probably revoked in Xero",
            )?;
            return finish_all(|| Outcome::NeedsReconnect, None);
        }
        let connected: HashSet<&str> = connections.iter().map(|c| c.tenant_id.as_str()).collect();

        let mut outcomes = Vec::with_capacity(group.len());
        let mut running = Vec::new();
        for target in &group {
            if cancel.load(Ordering::Relaxed) {
                break;
            }
            if !connected.contains(target.tenant_id.as_str()) {
                let state = ConnectionState::Disconnected {
                    reason: "The organisation is no longer in Xero's list of connections for this sign-in.".to_owned(),
                };
                lock(&self.cache).record_connection_state(target.file, &state)?;
                counter.done(false, progress);
                outcomes.push(Outcome::Disconnected);
                continue;
            }
            running.push(self.sync_file(target, &access, counter, progress));
        }
        // Concurrent; the rate limiter decides how many calls are in flight.
        for outcome in futures::future::join_all(running).await {
            outcomes.push(outcome?);
        }
        Ok(outcomes)
    }

    async fn sync_file(
        &self,
        target: &SyncTarget,
        access: &Secret,
        counter: &Counter,
        progress: &(impl Fn(SyncProgress) + Send + Sync),
    ) -> Result<Outcome> {
        let mut result = self.fetch_snapshot(target, access).await;
        if result.as_ref().is_err_and(CallError::token_rejected) {
            // Refreshed once for the whole token set; the other files pick up the new token.
            match self.access_token(target.token_set, Some(access)).await {
                Ok(fresh) => result = self.fetch_snapshot(target, &fresh).await,
                Err(Error::NeedsReconnect(_)) => {
                    counter.done(false, progress);
                    return Ok(Outcome::NeedsReconnect);
                }
                Err(e) => {
                    lock(&self.cache).record_sync_failure(target.file, &e.to_string())?;
                    counter.done(true, progress);
                    return Ok(Outcome::Failed);
                }
            }
        }
        let outcome = match result {
            Ok(snapshot) => {
                lock(&self.cache).record_sync_success(target.file, &snapshot)?;
                Outcome::Synced
            }
            Err(e) if e.tenant_unreachable() => {
                let state = ConnectionState::Disconnected {
                    reason: "Xero no longer lets this sign-in reach the organisation (it may have been disconnected or deleted).".to_owned(),
                };
                lock(&self.cache).record_connection_state(target.file, &state)?;
                Outcome::Disconnected
            }
            Err(e) if e.scope_missing() => {
                let state = ConnectionState::NeedsReconnect {
                    reason: "The connection was not granted access to the organisation's settings.".to_owned(),
                };
                lock(&self.cache).record_connection_state(target.file, &state)?;
                Outcome::NeedsReconnect
            }
            Err(e) => {
                lock(&self.cache).record_sync_failure(target.file, &e.reason())?;
                Outcome::Failed
            }
        };
        counter.done(matches!(outcome, Outcome::Failed), progress);
        Ok(outcome)
    }

    async fn fetch_snapshot(
        &self,
        target: &SyncTarget,
        access: &Secret,
    ) -> std::result::Result<OrgSnapshot, CallError> {
        let org = self.api.organisation(access, &target.tenant_id).await?;
        let payroll = async {
            match target.payroll_off {
                true => Ok(None),
                false => self.api.probe_payroll(access, &target.tenant_id, &org).await.map(Some),
            }
        };
        let fixed_assets = async {
            match target.fixed_assets_off {
                true => Ok(None),
                false => self.api.probe_fixed_assets(access, &target.tenant_id).await.map(Some),
            }
        };
        let (payroll, fixed_assets) = tokio::join!(payroll, fixed_assets);
        let tax_number = org.tax_number.or(org.employer_identification_number);
        Ok(OrgSnapshot {
            name: org.name,
            short_code: org.short_code,
            payroll: payroll?,
            fixed_assets: fixed_assets?,
            tax_number,
        })
    }
}

#[derive(Default)]
struct Counter {
    total: u32,
    done: AtomicU32,
    failed: AtomicU32,
}

impl Counter {
    fn done(&self, failed: bool, progress: &(impl Fn(SyncProgress) + Send + Sync)) {
        if failed {
            self.failed.fetch_add(1, Ordering::Relaxed);
        }
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        progress(SyncProgress { done, total: self.total, failed: self.failed.load(Ordering::Relaxed) });
    }
}
