//! A row's one-click links and its Settings menu: each command is one call into the core
//! (`switchboard_core::client_actions`). The web UI names a file, never a URL.

use switchboard_core::ErrorPayload;
use switchboard_core::client_actions::OpenedLink;
use switchboard_core::client_settings::console::{ConsoleSettings, ConsoleUser, ConsoleUserDraft};
use switchboard_core::client_settings::deletion::DeletedClient;
use switchboard_core::client_settings::user_access::{StaffAccess, UserAccess};
use switchboard_core::model::{ClientFile, FileId};
use switchboard_core::session::CsvExport;
use switchboard_core::xero::remote_actions::UserAccessRefresh;
use tauri::State;

use crate::Shared;

#[tauri::command]
pub async fn open_xero_dashboard(state: State<'_, Shared>, id: FileId) -> Result<OpenedLink, ErrorPayload> {
    state.run("open_xero_dashboard", move |s| s.open_xero_dashboard(id)).await
}

#[tauri::command]
pub async fn open_xpm_dashboard(state: State<'_, Shared>, id: FileId) -> Result<OpenedLink, ErrorPayload> {
    state.run("open_xpm_dashboard", move |s| s.open_xpm_dashboard(id)).await
}

#[tauri::command]
pub async fn open_xero_users_page(state: State<'_, Shared>, id: FileId) -> Result<OpenedLink, ErrorPayload> {
    state.run("open_xero_users_page", move |s| s.open_xero_users_page(id)).await
}

/// Merges a file never connected into the file that already is its organisation.
#[tauri::command]
pub async fn merge_client_files(
    state: State<'_, Shared>,
    kept: FileId,
    absorbed: FileId,
) -> Result<ClientFile, ErrorPayload> {
    state.run("merge_client_files", move |s| s.merge_client_files(kept, absorbed)).await
}

#[tauri::command]
pub async fn rename_client(state: State<'_, Shared>, id: FileId, name: String) -> Result<ClientFile, ErrorPayload> {
    state.run("rename_client", move |s| s.rename_client(id, &name)).await
}

#[tauri::command]
pub async fn set_payroll_disconnected(
    state: State<'_, Shared>,
    id: FileId,
    disconnect: bool,
) -> Result<ClientFile, ErrorPayload> {
    state.run("set_payroll_disconnected", move |s| s.set_payroll_disconnected(id, disconnect)).await
}

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

#[tauri::command]
pub async fn user_access(state: State<'_, Shared>, id: FileId) -> Result<UserAccess, ErrorPayload> {
    state.run("user_access", move |s| s.user_access(id)).await
}

/// Asks Xero again (the session is not held while Xero answers).
#[tauri::command]
pub async fn refresh_user_access(state: State<'_, Shared>, id: FileId) -> Result<UserAccess, ErrorPayload> {
    let (xero, _) = state.run("refresh_user_access", |s| s.xero()).await?;
    Ok(xero.refresh_user_access(id).await?)
}

/// Asks Xero for the users of every connected file (the practice-wide report's data).
#[tauri::command]
pub async fn refresh_all_user_access(state: State<'_, Shared>) -> Result<UserAccessRefresh, ErrorPayload> {
    let (xero, _) = state.run("refresh_all_user_access", |s| s.xero()).await?;
    Ok(xero.refresh_all_user_access().await?)
}

#[tauri::command]
pub async fn staff_access(state: State<'_, Shared>, email: String) -> Result<StaffAccess, ErrorPayload> {
    state.run("staff_access", move |s| s.staff_access(&email)).await
}

#[tauri::command]
pub async fn export_staff_access(state: State<'_, Shared>, email: String) -> Result<CsvExport, ErrorPayload> {
    state.run("export_staff_access", move |s| s.export_staff_access(&email)).await
}

/// Checks the typed name, then disconnects at Xero and deletes (the session is not held while
/// Xero answers).
#[tauri::command]
pub async fn delete_client(
    state: State<'_, Shared>,
    id: FileId,
    typed_name: String,
) -> Result<DeletedClient, ErrorPayload> {
    let deletion = state.run("delete_client", move |s| s.delete_client(id, typed_name)).await?;
    Ok(deletion.run().await?)
}
