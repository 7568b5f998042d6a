//! Settings that are the practice's as a whole: its history of changes, and Clean up (caches set
//! aside as unusable, XPM clients of a disconnected XPM).

use switchboard_core::ErrorPayload;
use switchboard_core::cache::AuditEntry;
use switchboard_core::exports::CsvExport;
use switchboard_core::settings::cleanup::Leftover;
use tauri::State;

use crate::ipc::Shared;

/// The latest changes to the practice as a whole (Xero app, XPM, exports, a fresh cache).
#[tauri::command]
pub async fn practice_history(state: State<'_, Shared>) -> Result<Vec<AuditEntry>, ErrorPayload> {
    state.run("practice_history", |s| s.practice_history()).await
}

/// Writes every change the cache records, the practice's and each file's, to a new CSV file in
/// the Downloads folder.
#[tauri::command]
pub async fn export_history(state: State<'_, Shared>) -> Result<CsvExport, ErrorPayload> {
    state.run("export_history", |s| s.export_history()).await
}

/// Settings → Clean up: what can be removed.
#[tauri::command]
pub async fn leftovers(state: State<'_, Shared>) -> Result<Vec<Leftover>, ErrorPayload> {
    state.run("leftovers", |s| s.leftovers()).await
}

/// Removes the listed leftovers with these ids (the core refuses any other); returns what is left.
#[tauri::command]
pub async fn remove_leftovers(state: State<'_, Shared>, ids: Vec<String>) -> Result<Vec<Leftover>, ErrorPayload> {
    state.run("remove_leftovers", move |s| s.remove_leftovers(&ids)).await
}
