//! Updates of the app itself: whether this build and computer look for them, the check, and the
//! install a person asks for. The updater plugin's own commands are not granted to the window.

use switchboard_core::ErrorPayload;
use switchboard_core::updates::{UpdateFailure, UpdateInfo, UpdateStatus};
use tauri::{AppHandle, Runtime, State};

use crate::updater::{PendingUpdate, check, download, info, payload, status_of};

/// Whether this build and this computer look for updates (a build without an update server, or
/// IT's policy, says no).
#[tauri::command]
pub fn update_status<R: Runtime>(app: AppHandle<R>) -> UpdateStatus {
    status_of(&app)
}

/// The window calls this at start (only when `update_status` is enabled) and from Settings.
#[tauri::command]
pub async fn check_for_update<R: Runtime>(
    app: AppHandle<R>,
    pending: State<'_, PendingUpdate>,
) -> Result<Option<UpdateInfo>, ErrorPayload> {
    let found = check(&app).await.map_err(payload)?;
    let shown = found.as_ref().map(info);
    *pending.0.lock().unwrap_or_else(|p| p.into_inner()) = found;
    Ok(shown)
}

/// Called only from the "Install and restart" button: installs the version the person saw
/// (`version`), after the plugin has checked its signature, and restarts into it.
#[tauri::command]
pub async fn install_update<R: Runtime>(
    app: AppHandle<R>,
    pending: State<'_, PendingUpdate>,
    version: String,
) -> Result<(), ErrorPayload> {
    let update = pending.0.lock().unwrap_or_else(|p| p.into_inner()).take();
    let update = match update {
        Some(update) if update.version == version => update,
        _ => {
            // Checked again rather than trusting a stale answer: install only what is on offer now.
            let offered = check(&app).await.map_err(payload)?;
            match offered {
                Some(update) if update.version == version => update,
                other => {
                    let offered = other.as_ref().map(|u| u.version.clone());
                    *pending.0.lock().unwrap_or_else(|p| p.into_inner()) = other;
                    return Err(payload(UpdateFailure::Changed { chosen: version, offered }));
                }
            }
        }
    };
    let bytes = download(&update).await.map_err(payload)?;
    tracing::info!(version = %update.version, "update downloaded and verified; installing");
    // On Windows the plugin starts the installer and exits; elsewhere it replaces the app in place.
    update.install(bytes).map_err(|e| payload(UpdateFailure::Install(e.to_string())))?;
    app.restart();
}
