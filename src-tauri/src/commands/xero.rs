//! The Xero connection: the app's settings, connecting (consent in the system browser), the
//! Connect icon of one file, "Reconnect all", sync, and what Xero sent this month. The long
//! commands take what they need from the session and run without holding it, so the table stays
//! usable.

use switchboard_core::ErrorPayload;
use switchboard_core::model::FileId;
use switchboard_core::settings::xero_app::XeroStatus;
use switchboard_core::xero::app_settings::XeroAppSettings;
use switchboard_core::xero::connect_file::FileConnectOutcome;
use switchboard_core::xero::egress::EgressUsage;
use switchboard_core::xero::reconnect_queue::ReconnectQueue;
use switchboard_core::xero::sync::{ConnectSummary, SyncProgress, SyncReport};
use tauri::{AppHandle, State};

use crate::ipc::{Event, Shared};

/// Each step of a sync (after a consent too), for the progress bar.
pub const SYNC_PROGRESS: Event<SyncProgress> = Event::new("sync-progress");
/// Where a "Reconnect all" queue stands, before each of its consents.
pub const RECONNECT_QUEUE: Event<ReconnectQueue> = Event::new("reconnect-queue");

/// Sends each step of a sync to the window as `SYNC_PROGRESS`.
pub fn progress(app: AppHandle) -> impl Fn(SyncProgress) + Send + Sync {
    move |p| SYNC_PROGRESS.emit(&app, &p)
}

#[tauri::command]
pub async fn xero_status(state: State<'_, Shared>) -> Result<XeroStatus, ErrorPayload> {
    state.run("xero_status", |s| s.xero_status()).await
}

/// What Xero sent this month and in recent months, by API (Xero bills egress over the tier's
/// allowance).
#[tauri::command]
pub async fn egress_usage(state: State<'_, Shared>) -> Result<EgressUsage, ErrorPayload> {
    state.run("egress_usage", |s| s.egress_usage()).await
}

/// Saves the Xero app settings. `client_secret` is a newly typed secret for a "Web app" type
/// app; `null` keeps the stored one. A validation failure is an `invalid_input` error.
#[tauri::command]
pub async fn save_xero_settings(
    state: State<'_, Shared>,
    settings: XeroAppSettings,
    client_secret: Option<String>,
) -> Result<XeroStatus, ErrorPayload> {
    state.run("save_xero_settings", move |s| s.save_xero_settings(&settings, client_secret)).await
}

/// Opens Xero's consent page in the system browser and answers once the person has consented
/// and the organisations are connected and synced (it can take minutes); `SYNC_PROGRESS` events
/// arrive during the sync.
#[tauri::command]
pub async fn connect_xero(app: AppHandle, state: State<'_, Shared>) -> Result<ConnectSummary, ErrorPayload> {
    let (xero, cancel) = state.run("connect_xero", |s| s.xero()).await?;
    Ok(xero.connect_in_browser(&cancel, progress(app)).await?)
}

/// The Connect icon of a file not yet linked to an organisation: one consent, for that file.
#[tauri::command]
pub async fn connect_file(
    app: AppHandle,
    state: State<'_, Shared>,
    id: FileId,
) -> Result<FileConnectOutcome, ErrorPayload> {
    let (xero, cancel) = state.run("connect_file", |s| s.xero()).await?;
    Ok(xero.connect_file_in_browser(id, &cancel, progress(app)).await?)
}

/// Ends a waiting consent (it fails with `sign_in_cancelled`), or pauses "Reconnect all".
#[tauri::command]
pub async fn cancel_connect(state: State<'_, Shared>) -> Result<(), ErrorPayload> {
    state
        .run("cancel_connect", |s| {
            s.cancel_xero();
            Ok(())
        })
        .await
}

/// "Reconnect all" below the Advanced tier: one consent in the browser per file, resumed where
/// it was paused. A `RECONNECT_QUEUE` event says where it stands before each consent;
/// `cancel_connect` pauses it and it answers where it stopped.
#[tauri::command]
pub async fn reconnect_in_queue(app: AppHandle, state: State<'_, Shared>) -> Result<ReconnectQueue, ErrorPayload> {
    let (xero, cancel) = state.run("reconnect_in_queue", |s| s.xero()).await?;
    let progress = move |queue: &ReconnectQueue| RECONNECT_QUEUE.emit(&app, queue);
    Ok(xero.reconnect_in_queue_in_browser(&cancel, progress).await?)
}

/// Forgets a paused "Reconnect all" queue; its files keep needing a reconnect.
#[tauri::command]
pub async fn discard_reconnect_queue(state: State<'_, Shared>) -> Result<XeroStatus, ErrorPayload> {
    state.run("discard_reconnect_queue", |s| s.discard_reconnect_queue()).await
}

#[tauri::command]
pub async fn sync_now(app: AppHandle, state: State<'_, Shared>) -> Result<SyncReport, ErrorPayload> {
    let (xero, cancel) = state.run("sync_now", |s| s.xero()).await?;
    Ok(xero.sync_all(&cancel, progress(app)).await?)
}

#[tauri::command]
pub async fn cancel_sync(state: State<'_, Shared>) -> Result<(), ErrorPayload> {
    state
        .run("cancel_sync", |s| {
            s.cancel_xero();
            Ok(())
        })
        .await
}
