//! Who can reach each organisation in Xero, and every file one staff member's email reaches.

use switchboard_core::ErrorPayload;
use switchboard_core::access::fetch::UserAccessRefresh;
use switchboard_core::access::users::{StaffAccess, UserAccess};
use switchboard_core::browser::OpenedLink;
use switchboard_core::exports::CsvExport;
use switchboard_core::model::FileId;
use tauri::State;

use crate::ipc::Shared;

/// Who can reach the organisation, as last fetched (works offline).
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

/// Every client file one email reaches in Xero (from the cached user lists).
#[tauri::command]
pub async fn staff_access(state: State<'_, Shared>, email: String) -> Result<StaffAccess, ErrorPayload> {
    state.run("staff_access", move |s| s.staff_access(&email)).await
}

/// Writes `staff_access` for one email to a CSV file in the Downloads folder.
#[tauri::command]
pub async fn export_staff_access(state: State<'_, Shared>, email: String) -> Result<CsvExport, ErrorPayload> {
    state.run("export_staff_access", move |s| s.export_staff_access(&email)).await
}

/// Opens the page where the organisation's users are managed in Xero.
#[tauri::command]
pub async fn open_xero_users_page(state: State<'_, Shared>, id: FileId) -> Result<OpenedLink, ErrorPayload> {
    state.run("open_xero_users_page", move |s| s.open_xero_users_page(id)).await
}
