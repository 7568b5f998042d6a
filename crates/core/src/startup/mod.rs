//! Start-up when the cache cannot be opened: "Try again" ([`Session::reopen_cache`]) and "Start a
//! fresh cache" ([`Session::start_fresh`]). Opening itself is [`Session::open`].

use std::sync::{Arc, Mutex};

use serde::Serialize;
use ts_rs::TS;

use crate::cache::Cache;
use crate::error::{Error, ErrorPayload};
use crate::session::{CacheStatus, Session};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FreshCache {
    /// Where the unusable cache was kept (renamed, not deleted).
    pub kept_at: String,
}

impl Session {
    /// Opens the cache again after it could not be opened (busy, permission denied, a file held
    /// by another program): "Try again". Changes nothing on disk when it still cannot.
    pub fn reopen_cache(&mut self) -> CacheStatus {
        if self.cache.is_err() {
            // With no data folder at start-up, ask again rather than open an empty path.
            if self.cache_path.as_os_str().is_empty() {
                match crate::paths::cache_path() {
                    Ok(path) => self.cache_path = path,
                    Err(error) => {
                        self.cache = Err(error.into());
                        return self.status();
                    }
                }
            }
            self.cache = Cache::open(&self.cache_path).map(|c| Arc::new(Mutex::new(c))).map_err(ErrorPayload::from);
            self.xero = None;
        }
        self.status()
    }

    /// Keeps a damaged (or newer) cache under a new name and starts an empty one in its place;
    /// refused for every other reason a cache cannot be opened (see [`Cache::start_fresh`]).
    pub fn start_fresh(&mut self) -> Result<FreshCache, ErrorPayload> {
        if self.cache.is_ok() {
            return Err(
                Error::InvalidInput("The cache is working; there is no need to start a fresh one.".to_owned()).into()
            );
        }
        let (cache, kept) = Cache::start_fresh(&self.cache_path)?;
        self.cache = Ok(Arc::new(Mutex::new(cache)));
        self.xero = None;
        Ok(FreshCache { kept_at: kept.display().to_string() })
    }
}
