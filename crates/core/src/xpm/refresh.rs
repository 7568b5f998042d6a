//! Connecting the practice's XPM (once, through the same Xero sign-in and token vault) and
//! refreshing the cached client list: a full paged load the first time, then only what changed
//! (`modifiedsince`). A refresh writes everything it fetched in one transaction, or nothing.

use std::collections::HashSet;

use serde::Serialize;
use ts_rs::TS;

use super::XPM_SCOPES;
use super::XpmClientRecord;
use super::api::{XpmCallError, get_client, modified_since, paged_list};
use crate::Cache;
use crate::cache::TokenSetId;
use crate::error::{Error, Result};
use crate::model::UnixMillis;
use crate::secret::Secret;
use crate::xero::context::{Cancel, XeroContext};
use crate::xero::sign_in::{TokenGrant, refresh};
use crate::xero::token_vault::lock;

/// The setting naming the token set the practice's XPM connection signs in with.
pub(crate) const TOKEN_SET_KEY: &str = "xpm.token_set";
const TENANT_KEY: &str = "xpm.tenant_id";
pub(crate) const LAST_REFRESH_KEY: &str = "xpm.last_refresh_at";
const LAST_ATTEMPT_KEY: &str = "xpm.last_attempt_at";
const LAST_ERROR_KEY: &str = "xpm.last_error";
/// An incremental refresh asks from a little before the last one started, so a change made
/// while it ran, or a clock a little off, is not missed (seeing a client twice is harmless).
const OVERLAP_MS: i64 = 5 * 60 * 1000;
/// Missing clients looked up one by one up to this many; beyond, one full `list` is cheaper.
const SINGLE_LOOKUPS: usize = 20;
/// A guard against a `Next` link that never ends.
const MAX_PAGES: usize = 1000;

/// XPM's part of Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct XpmStatus {
    pub connected: bool,
    /// Xero refused the XPM sign-in: connect again.
    pub needs_reconnect: bool,
    /// XPM clients in the cache.
    pub clients: u32,
    pub last_refresh_at: Option<UnixMillis>,
    pub last_attempt_at: Option<UnixMillis>,
    /// Why the last refresh failed (`None` when it worked).
    pub last_error: Option<String>,
}

/// What a refresh did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct XpmRefreshReport {
    /// A full load (first time, or after connecting again) rather than only the changes.
    pub full: bool,
    /// Clients XPM sent.
    pub received: u32,
    /// Clients now cached.
    pub cached: u32,
}

fn setting_ms(cache: &Cache, key: &str) -> Result<Option<UnixMillis>> {
    Ok(cache.setting(key)?.and_then(|v| v.parse().ok()).map(UnixMillis))
}

/// The token set the practice's XPM connection signs in with, if XPM was ever connected.
pub fn xpm_token_set(cache: &Cache) -> Result<Option<TokenSetId>> {
    Ok(cache.setting(TOKEN_SET_KEY)?.and_then(|v| v.parse().ok()).map(TokenSetId))
}

/// Whether XPM is connected, and how its last refresh went.
pub fn status(cache: &Cache) -> Result<XpmStatus> {
    let token_set = xpm_token_set(cache)?;
    let needs_reconnect = match token_set {
        Some(id) => cache.token_set(id).map(|t| t.needs_reconnect).unwrap_or(true),
        None => false,
    };
    Ok(XpmStatus {
        connected: token_set.is_some() && cache.setting(TENANT_KEY)?.is_some(),
        needs_reconnect,
        clients: cache.xpm_uuids()?.len() as u32,
        last_refresh_at: setting_ms(cache, LAST_REFRESH_KEY)?,
        last_attempt_at: setting_ms(cache, LAST_ATTEMPT_KEY)?,
        last_error: cache.setting(LAST_ERROR_KEY)?,
    })
}

fn not_connected() -> Error {
    Error::Xpm("Xero Practice Manager is not connected yet. Use Connect XPM in Settings.".to_owned())
}

impl XeroContext {
    /// Signs in through the system browser asking for XPM's scopes, then connects the practice.
    pub async fn connect_xpm_in_browser(&self, cancel: &Cancel) -> Result<XpmRefreshReport> {
        crate::xero::tier_usage::check_tier_includes_practice_manager(&lock(&self.cache))?;
        let grant = self.sign_in_in_browser(XPM_SCOPES, cancel).await?;
        self.connect_xpm_from_grant(grant).await
    }

    /// Keeps the XPM sign-in's token set, finds its `PRACTICEMANAGER` tenant, and loads the
    /// practice's clients.
    pub async fn connect_xpm_from_grant(&self, grant: TokenGrant) -> Result<XpmRefreshReport> {
        let token_set = self.vault.save_new(&self.cache, &grant)?;
        let practice = match self.practice_tenant(&grant).await {
            Ok(practice) => practice,
            Err(e) => {
                // A consent that reached no practice leaves nothing behind.
                self.retire_unused([token_set]).await;
                return Err(e);
            }
        };
        let old = {
            let mut cache = lock(&self.cache);
            let old = xpm_token_set(&cache)?;
            let old_practice = cache.setting(TENANT_KEY)?;
            let token_set_value = token_set.0.to_string();
            let mut values =
                vec![(TOKEN_SET_KEY, Some(token_set_value.as_str())), (TENANT_KEY, Some(practice.as_str()))];
            if old_practice.as_deref() != Some(practice.as_str()) {
                // Another practice (or the first one): load everything again.
                values.push((LAST_REFRESH_KEY, None));
            }
            let described = |tenant: Option<&str>| tenant.map(|t| format!("XPM practice {t}"));
            cache.set_settings_recorded(
                &values,
                "xpm_connect",
                described(old_practice.as_deref()).as_deref(),
                described(Some(&practice)).as_deref(),
            )?;
            old
        };
        self.retire_unused(old.filter(|o| *o != token_set)).await;
        self.refresh_xpm().await
    }

    /// Disconnects XPM: forgets its sign-in (revoking it at Xero unless a Xero connection uses
    /// the same sign-in) and records who did it. The cached XPM clients and the files' links stay,
    /// so the practice can still review them offline; Settings offers to remove them.
    pub async fn disconnect_xpm(&self) -> Result<XpmStatus> {
        let old = {
            let mut cache = lock(&self.cache);
            let Some(old) = xpm_token_set(&cache)? else {
                return Err(not_connected());
            };
            let practice = cache.setting(TENANT_KEY)?;
            cache.set_settings_recorded(
                &[(TOKEN_SET_KEY, None), (TENANT_KEY, None), (LAST_ERROR_KEY, None)],
                "xpm_disconnect",
                Some(&format!("XPM practice {}", practice.as_deref().unwrap_or("unknown"))),
                None,
            )?;
            old
        };
        self.retire_unused([old]).await;
        status(&lock(&self.cache))
    }

    /// The `PRACTICEMANAGER` tenant the consent connected.
    async fn practice_tenant(&self, grant: &TokenGrant) -> Result<String> {
        let connections = self
            .api
            .connections(&grant.access_token, grant.auth_event_id.as_deref())
            .await
            .map_err(|e| e.unreachable())?;
        connections
            .into_iter()
            .find(|c| c.tenant_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("PRACTICEMANAGER")))
            .map(|c| c.tenant_id)
            .ok_or_else(|| {
                Error::Xpm(
                    "The Xero sign-in did not include a Xero Practice Manager. Sign in as a member of the practice's staff who may connect third-party add-ons in XPM, and allow access to the practice."
                        .to_owned(),
                )
            })
    }

    /// Refreshes the cached XPM clients: everything the first time, then what changed since the
    /// last refresh. On failure the cache keeps what it had, and the reason is kept for Settings.
    pub async fn refresh_xpm(&self) -> Result<XpmRefreshReport> {
        let (token_set, tenant, since, cached) = {
            let cache = lock(&self.cache);
            let token_set = xpm_token_set(&cache)?;
            let tenant = cache.setting(TENANT_KEY)?;
            let (Some(token_set), Some(tenant)) = (token_set, tenant) else { return Err(not_connected()) };
            let since = setting_ms(&cache, LAST_REFRESH_KEY)?;
            // Only a full load needs to know what was cached before (to account for what left).
            let cached = if since.is_none() { cache.xpm_records()? } else { Vec::new() };
            (token_set, tenant, since, cached)
        };
        let started = UnixMillis::now();
        let outcome = self.fetch_xpm(token_set, &tenant, since, &cached).await;
        let mut cache = lock(&self.cache);
        cache.set_setting(LAST_ATTEMPT_KEY, Some(&started.0.to_string()))?;
        match outcome {
            Ok(records) => {
                cache.upsert_xpm_records(&records)?;
                cache.set_setting(LAST_REFRESH_KEY, Some(&started.0.to_string()))?;
                cache.set_setting(LAST_ERROR_KEY, None)?;
                Ok(XpmRefreshReport {
                    full: since.is_none(),
                    received: records.len() as u32,
                    cached: cache.xpm_uuids()?.len() as u32,
                })
            }
            Err(e) => {
                let message = e.to_string();
                cache.set_setting(LAST_ERROR_KEY, Some(&crate::xero::printable(&message, 300)))?;
                Err(e)
            }
        }
    }

    async fn fetch_xpm(
        &self,
        token_set: TokenSetId,
        tenant: &str,
        since: Option<UnixMillis>,
        cached: &[XpmClientRecord],
    ) -> Result<Vec<XpmClientRecord>> {
        let mut access = self.xpm_access(token_set, None).await?;
        for attempt in 0..2 {
            let result = match since {
                Some(t) => modified_since(&self.api, &self.endpoints, &access, tenant, UnixMillis(t.0 - OVERLAP_MS))
                    .await
                    .map(|l| l.clients),
                None => self.full_load(&access, tenant, cached).await,
            };
            match result {
                Ok(records) => return Ok(records),
                // Refused once: refresh the token (single-flight in the vault) and try again.
                Err(e) if e.token_rejected() && attempt == 0 => {
                    access = self.xpm_access(token_set, Some(&access)).await?
                }
                Err(e) => return Err(Error::Xpm(e.reason())),
            }
        }
        Err(Error::Xpm("XPM refused a freshly refreshed sign-in; connect XPM again in Settings.".to_owned()))
    }

    /// Every active client page by page, plus what became of the clients cached before that the
    /// paged list (active clients only) no longer shows.
    async fn full_load(
        &self,
        access: &Secret,
        tenant: &str,
        cached: &[XpmClientRecord],
    ) -> std::result::Result<Vec<XpmClientRecord>, XpmCallError> {
        let mut records = Vec::new();
        let mut token: Option<String> = None;
        let mut seen_tokens = HashSet::new();
        for _ in 0..MAX_PAGES {
            let (page, next) = paged_list(&self.api, &self.endpoints, access, tenant, token.as_deref()).await?;
            records.extend(page.clients);
            match next {
                Some(t) if seen_tokens.insert(t.clone()) => token = Some(t),
                _ => break,
            }
        }
        let seen: HashSet<&str> = records.iter().map(|r| r.uuid.as_str()).collect();
        let missing: Vec<&XpmClientRecord> = cached.iter().filter(|c| !seen.contains(c.uuid.as_str())).collect();
        let mut extra = Vec::new();
        if missing.len() <= SINGLE_LOOKUPS {
            for m in &missing {
                match get_client(&self.api, &self.endpoints, access, tenant, &m.uuid).await? {
                    Some(r) => extra.push(r),
                    None => extra.push(XpmClientRecord { deleted: true, ..(*m).clone() }),
                }
            }
        } else {
            let all = modified_since(&self.api, &self.endpoints, access, tenant, UnixMillis(0)).await?.clients;
            let wanted: HashSet<&str> = missing.iter().map(|m| m.uuid.as_str()).collect();
            let found: HashSet<String> =
                all.iter().filter(|r| wanted.contains(r.uuid.as_str())).map(|r| r.uuid.clone()).collect();
            extra.extend(all.into_iter().filter(|r| wanted.contains(r.uuid.as_str())));
            extra.extend(
                missing
                    .iter()
                    .filter(|m| !found.contains(&m.uuid))
                    .map(|m| XpmClientRecord { deleted: true, ..(*m).clone() }),
            );
        }
        records.extend(extra);
        Ok(records)
    }

    async fn xpm_access(&self, token_set: TokenSetId, rejected: Option<&Secret>) -> Result<Secret> {
        self.vault
            .access_token(&self.cache, token_set, rejected, |old| async move {
                refresh(&self.http, &self.app, &self.endpoints, self.client_secret.as_ref(), &old).await
            })
            .await
    }
}
