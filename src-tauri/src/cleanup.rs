//! Settings → Clean up: caches set aside as unusable and XPM clients of a disconnected XPM.

use switchboard_core::ErrorPayload;
use switchboard_core::cleanup::Leftover;
use tauri::State;

use crate::Shared;

#[tauri::command]
pub async fn leftovers(state: State<'_, Shared>) -> Result<Vec<Leftover>, ErrorPayload> {
    state.run("leftovers", |s| s.leftovers()).await
}

/// Removes the listed leftovers with these ids (the core refuses any other); returns what is left.
#[tauri::command]
pub async fn remove_leftovers(state: State<'_, Shared>, ids: Vec<String>) -> Result<Vec<Leftover>, ErrorPayload> {
    state.run("remove_leftovers", move |s| s.remove_leftovers(&ids)).await
}
