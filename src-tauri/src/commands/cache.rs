//! The local cache: whether it opened, trying again, and starting a fresh one.

use switchboard_core::ErrorPayload;
use switchboard_core::session::CacheStatus;
use switchboard_core::startup::FreshCache;
use tauri::State;

use crate::ipc::Shared;

#[tauri::command]
pub async fn cache_status(state: State<'_, Shared>) -> Result<CacheStatus, ErrorPayload> {
    state.run("cache_status", |s| Ok(s.status())).await
}

/// "Try again": opens the cache again after a failure that may pass; changes nothing on disk.
#[tauri::command]
pub async fn reopen_cache(state: State<'_, Shared>) -> Result<CacheStatus, ErrorPayload> {
    state.run("reopen_cache", |s| Ok(s.reopen_cache())).await
}

/// Sets a damaged or newer cache aside and starts an empty one.
#[tauri::command]
pub async fn start_fresh_cache(state: State<'_, Shared>) -> Result<FreshCache, ErrorPayload> {
    state.run("start_fresh_cache", |s| s.start_fresh()).await
}
