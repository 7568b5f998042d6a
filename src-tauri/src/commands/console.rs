//! A file's Client Console: its settings and the client's users of it.

use switchboard_core::ErrorPayload;
use switchboard_core::client_packs::PackPreview;
use switchboard_core::client_packs::delivery::PackDelivery;
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

/// The file's client pack as `settings` (perhaps not saved yet) make it, addressed to `user_id`
/// or the first console user: exactly the email that person gets.
#[tauri::command]
pub async fn preview_pack(
    state: State<'_, Shared>,
    id: FileId,
    settings: ConsoleSettings,
    user_id: Option<i64>,
) -> Result<PackPreview, ErrorPayload> {
    state.run("preview_pack", move |s| s.preview_pack(id, &settings, user_id)).await
}

/// Sends the file's pack to every console user now; answers each user's latest delivery.
#[tauri::command]
pub async fn send_pack_now(state: State<'_, Shared>, id: FileId) -> Result<Vec<PackDelivery>, ErrorPayload> {
    state.run("send_pack_now", move |s| s.send_pack_now(id)).await
}

/// Each console user's latest pack, sent or failed (and why).
#[tauri::command]
pub async fn pack_deliveries(state: State<'_, Shared>, id: FileId) -> Result<Vec<PackDelivery>, ErrorPayload> {
    state.run("pack_deliveries", move |s| s.pack_deliveries(id)).await
}
