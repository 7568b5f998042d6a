//! A file's Client Console: its settings and the client's users of it.

use switchboard_core::ErrorPayload;
use switchboard_core::model::FileId;
use switchboard_core::settings::console::{ConsoleSettings, ConsoleUser, ConsoleUserDraft};
use tauri::State;

use crate::ipc::Shared;

#[tauri::command]
pub async fn console_settings(state: State<'_, Shared>, id: FileId) -> Result<ConsoleSettings, ErrorPayload> {
    state.run("console_settings", move |s| s.console_settings(id)).await
}

#[tauri::command]
pub async fn save_console_settings(
    state: State<'_, Shared>,
    id: FileId,
    settings: ConsoleSettings,
) -> Result<ConsoleSettings, ErrorPayload> {
    state.run("save_console_settings", move |s| s.save_console_settings(id, &settings)).await
}

#[tauri::command]
pub async fn console_users(state: State<'_, Shared>, id: FileId) -> Result<Vec<ConsoleUser>, ErrorPayload> {
    state.run("console_users", move |s| s.console_users(id)).await
}

/// Adds a console user; answers the file's users after the change.
#[tauri::command]
pub async fn add_console_user(
    state: State<'_, Shared>,
    id: FileId,
    user: ConsoleUserDraft,
) -> Result<Vec<ConsoleUser>, ErrorPayload> {
    state.run("add_console_user", move |s| s.add_console_user(id, &user)).await
}

#[tauri::command]
pub async fn update_console_user(
    state: State<'_, Shared>,
    id: FileId,
    user_id: i64,
    user: ConsoleUserDraft,
) -> Result<Vec<ConsoleUser>, ErrorPayload> {
    state.run("update_console_user", move |s| s.update_console_user(id, user_id, &user)).await
}

#[tauri::command]
pub async fn remove_console_user(
    state: State<'_, Shared>,
    id: FileId,
    user_id: i64,
) -> Result<Vec<ConsoleUser>, ErrorPayload> {
    state.run("remove_console_user", move |s| s.remove_console_user(id, user_id)).await
}
