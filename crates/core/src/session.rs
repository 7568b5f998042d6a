//! What a front end holds: the cache it opened (or why it could not) and the Xero context built
//! from the settings. Each Tauri command is one call to a `Session` method; the methods of each
//! feature live in that feature's folder (`clients/`, `xero/`, `xpm/`, `reports/`, `access/`,
//! `settings/`, `startup/`), in a file named `session.rs` or after the sub-feature.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use ts_rs::TS;

use crate::cache::Cache;
use crate::credential_store::os_store_from_env;
use crate::error::ErrorPayload;
use crate::xero::context::{Cancel, XeroContext};
use crate::xero::token_vault::{SharedCache, lock};

pub struct Session {
    pub(crate) cache_path: PathBuf,
    pub(crate) cache: Result<SharedCache, ErrorPayload>,
    /// Built on first use and again after the Xero settings change.
    pub(crate) xero: Option<Arc<XeroContext>>,
    cancel: Arc<Cancel>,
}

/// Whether the cache could be opened; the UI shows the problem and the way out when not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CacheStatus {
    Ready { path: String },
    Unusable { path: String, error: ErrorPayload },
}

impl Session {
    pub fn open(cache_path: &Path) -> Session {
        let cache = Cache::open(cache_path).map(|c| Arc::new(Mutex::new(c))).map_err(ErrorPayload::from);
        if let Err(error) = &cache {
            tracing::error!(kind = ?error.kind, "cache unusable: {}", error.message);
        }
        Session { cache_path: cache_path.to_owned(), cache, xero: None, cancel: Arc::default() }
    }

    /// The cache in the data folder; when there is no data folder, a session that says so.
    pub fn open_default() -> Session {
        match crate::paths::cache_path() {
            Ok(path) => Session::open(&path),
            Err(error) => {
                Session { cache_path: PathBuf::new(), cache: Err(error.into()), xero: None, cancel: Arc::default() }
            }
        }
    }

    pub fn status(&self) -> CacheStatus {
        let path = self.cache_path.display().to_string();
        match &self.cache {
            Ok(_) => CacheStatus::Ready { path },
            Err(error) => CacheStatus::Unusable { path, error: error.clone() },
        }
    }

    pub(crate) fn shared_cache(&self) -> Result<&SharedCache, ErrorPayload> {
        self.cache.as_ref().map_err(Clone::clone)
    }

    /// The open cache, locked for one call.
    pub fn cache(&self) -> Result<std::sync::MutexGuard<'_, Cache>, ErrorPayload> {
        Ok(lock(self.shared_cache()?))
    }

    /// What connecting and syncing need (built from the settings on first use), and the switch
    /// that cancels them. The caller runs the long operation without holding the session.
    pub fn xero(&mut self) -> Result<(Arc<XeroContext>, Arc<Cancel>), ErrorPayload> {
        if let Some(ctx) = &self.xero {
            return Ok((ctx.clone(), self.cancel.clone()));
        }
        let cache = self.shared_cache()?.clone();
        let lock_dir = self.cache_path.parent().unwrap_or(Path::new(".")).join("locks");
        let ctx = Arc::new(XeroContext::from_settings(cache, Arc::new(os_store_from_env()?), lock_dir)?);
        self.xero = Some(ctx.clone());
        Ok((ctx, self.cancel.clone()))
    }

    /// Stops a running sync, or a sign-in waiting for the browser.
    pub fn cancel_xero(&self) {
        self.cancel.request();
    }
}
