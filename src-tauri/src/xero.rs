//! The Xero commands: settings, connect (sign-in in the system browser) and sync. The long ones
//! take what they need from the session and run without holding it, so the table stays usable.

use switchboard_core::ErrorPayload;
use switchboard_core::model::FileId;
use switchboard_core::session::XeroStatus;
use switchboard_core::xero::app_settings::XeroAppSettings;
use switchboard_core::xero::connect_file::FileConnectOutcome;
use switchboard_core::xero::egress::EgressUsage;
use switchboard_core::xero::reconnect_queue::ReconnectQueue;
use switchboard_core::xero::sync::{ConnectSummary, SyncProgress, SyncReport};
use tauri::{AppHandle, Emitter, State};

use crate::Shared;

/// The event that drives the progress bar.
const PROGRESS_EVENT: &str = "sync-progress";
/// Where a "Reconnect all" queue stands, before each of its consents.
const RECONNECT_QUEUE_EVENT: &str = "reconnect-queue";

fn progress(app: AppHandle) -> impl Fn(SyncProgress) + Send + Sync {
    move |p| {
        let _ = app.emit(PROGRESS_EVENT, p);
    }
}

#[tauri::command]
pub async fn xero_status(state: State<'_, Shared>) -> Result<XeroStatus, ErrorPayload> {
    state.run("xero_status", |s| s.xero_status()).await
}

#[tauri::command]
pub async fn egress_usage(state: State<'_, Shared>) -> Result<EgressUsage, ErrorPayload> {
    state.run("egress_usage", |s| s.egress_usage()).await
}

#[tauri::command]
pub async fn save_xero_settings(
    state: State<'_, Shared>,
    settings: XeroAppSettings,
    client_secret: Option<String>,
) -> Result<XeroStatus, ErrorPayload> {
    state.run("save_xero_settings", move |s| s.save_xero_settings(&settings, client_secret)).await
}

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

/// "Reconnect all" below the Advanced tier: one consent per file, resumed where it was paused.
#[tauri::command]
pub async fn reconnect_in_queue(app: AppHandle, state: State<'_, Shared>) -> Result<ReconnectQueue, ErrorPayload> {
    let (xero, cancel) = state.run("reconnect_in_queue", |s| s.xero()).await?;
    let progress = move |queue: &ReconnectQueue| {
        let _ = app.emit(RECONNECT_QUEUE_EVENT, queue);
    };
    Ok(xero.reconnect_in_queue_in_browser(&cancel, progress).await?)
}

#[tauri::command]
pub async fn discard_reconnect_queue(state: State<'_, Shared>) -> Result<XeroStatus, ErrorPayload> {
    state.run("discard_reconnect_queue", |s| s.discard_reconnect_queue()).await
}

#[tauri::command]
pub async fn cancel_connect(state: State<'_, Shared>) -> Result<(), ErrorPayload> {
    state
        .run("cancel_connect", |s| {
            s.cancel_xero();
            Ok(())
        })
        .await
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
