//! What every call to Xero needs, shared by the app and the CLI: the cache, the token vault, the
//! rate-limited API client and the practice's Xero app ([`XeroContext`]); and the switch that
//! cancels a sync or a sign-in ([`Cancel`]). What runs on it lives with its feature: connecting
//! and syncing in [`super::sync`], one file's Connect in [`super::connect_file`], the reports in
//! `reports::fetch`, XPM in `xpm::refresh`, user access in `access::fetch`, deleting in
//! `clients::deletion`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::api::{CallError, XeroApi};
use super::app_settings::XeroAppSettings;
use super::config::{XeroApp, XeroEndpoints};
use super::egress::EgressMeter;
use super::http::http_client;
use super::rate_limit::{Limits, RateLimiter};
use super::sign_in::refresh;
use super::token_vault::{SharedCache, TokenVault, lock};
use crate::cache::TokenSetId;
use crate::credential_store::CredentialStore;
use crate::error::{Error, Result};
use crate::secret::Secret;

/// Everything a sync or a connect needs, shared by the app and the CLI.
pub struct XeroContext {
    pub cache: SharedCache,
    pub vault: Arc<TokenVault>,
    pub api: Arc<XeroApi>,
    pub http: reqwest::Client,
    pub app: XeroApp,
    pub endpoints: XeroEndpoints,
    pub client_secret: Option<Secret>,
}

impl XeroContext {
    /// The context for the practice's Xero app as set up in Settings, with endpoints from the
    /// environment (Xero's real hosts unless overridden). `lock_dir` is shared by every process
    /// using this cache (the data folder).
    pub fn from_settings(cache: SharedCache, store: Arc<dyn CredentialStore>, lock_dir: PathBuf) -> Result<Self> {
        let (app, client_secret) = {
            let cache = lock(&cache);
            let settings = XeroAppSettings::load(&cache)?;
            (settings.app()?, settings.client_secret(&cache, store.as_ref())?)
        };
        Ok(XeroContext::new(cache, store, lock_dir, app, XeroEndpoints::from_env()?, client_secret, Limits::default()))
    }

    pub fn new(
        cache: SharedCache,
        store: Arc<dyn CredentialStore>,
        lock_dir: PathBuf,
        app: XeroApp,
        endpoints: XeroEndpoints,
        client_secret: Option<Secret>,
        limits: Limits,
    ) -> Self {
        let http = http_client();
        XeroContext {
            api: Arc::new(
                XeroApi::new(http.clone(), endpoints.clone(), Arc::new(RateLimiter::new(limits)))
                    .with_egress(Arc::new(EgressMeter::saving_to(cache.clone()))),
            ),
            vault: Arc::new(TokenVault::new(store, lock_dir)),
            cache,
            http,
            app,
            endpoints,
            client_secret,
        }
    }

    /// An access token of the token set, refreshed when it has expired or `rejected` is the one
    /// Xero just refused.
    pub(crate) async fn access_token(&self, token_set: TokenSetId, rejected: Option<&Secret>) -> Result<Secret> {
        self.vault
            .access_token(&self.cache, token_set, rejected, |old| async move {
                refresh(&self.http, &self.app, &self.endpoints, self.client_secret.as_ref(), &old).await
            })
            .await
    }

    /// A call made with the token set's access token, retried once with a refreshed token when
    /// Xero rejects the token itself (as a sync does).
    pub(crate) async fn with_access<T, F, Fut>(
        &self,
        token_set: TokenSetId,
        call: F,
    ) -> Result<std::result::Result<T, CallError>>
    where
        F: Fn(Secret) -> Fut,
        Fut: Future<Output = std::result::Result<T, CallError>>,
    {
        let access = self.access_token(token_set, None).await?;
        match call(access.clone()).await {
            Err(e) if e.token_rejected() => {
                let fresh = self.access_token(token_set, Some(&access)).await?;
                Ok(call(fresh).await)
            }
            other => Ok(other),
        }
    }
}

/// Lets a person stop a running sync (after the files already under way) or a sign-in that is
/// waiting for the browser.
#[derive(Default)]
pub struct Cancel {
    pub(crate) sync: AtomicBool,
    pub(crate) sign_in: tokio::sync::Notify,
}

impl Cancel {
    pub fn request(&self) {
        self.sync.store(true, Ordering::Relaxed);
        self.sign_in.notify_waiters();
    }
}

/// A failed call as a sentence: unreachable is "check the connection", the rest "Xero refused".
pub(crate) fn refused(what: &str, error: &CallError) -> Error {
    match error {
        CallError::Unreachable(_) | CallError::Untrusted(_) => error.unreachable(),
        _ if error.tenant_unreachable() => Error::XeroRefused(format!(
            "Xero did not let Switchboard {what}: this sign-in no longer reaches the organisation. Reconnect it and try again."
        )),
        _ => Error::XeroRefused(format!("Xero did not let Switchboard {what}: {} Try again later.", error.reason())),
    }
}
