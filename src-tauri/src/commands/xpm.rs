//! Xero Practice Manager: connecting, refreshing and disconnecting XPM, the cached client list,
//! link suggestions, a file's link, and the review of suggested links.

use switchboard_core::ErrorPayload;
use switchboard_core::model::{ClientFile, FileId};
use switchboard_core::xpm::XpmClientRecord;
use switchboard_core::xpm::refresh::{XpmRefreshReport, XpmStatus};
use switchboard_core::xpm::session::{XpmLinkChoice, XpmReview};
use switchboard_core::xpm::suggest::XpmSuggestion;
use tauri::State;

use crate::ipc::Shared;

#[tauri::command]
pub async fn xpm_status(state: State<'_, Shared>) -> Result<XpmStatus, ErrorPayload> {
    state.run("xpm_status", |s| s.xpm_status()).await
}

/// Every cached XPM client; the link pop-up searches them itself.
#[tauri::command]
pub async fn xpm_clients(state: State<'_, Shared>) -> Result<Vec<XpmClientRecord>, ErrorPayload> {
    state.run("xpm_clients", |s| s.xpm_clients()).await
}

#[tauri::command]
pub async fn xpm_suggestions(state: State<'_, Shared>, id: FileId) -> Result<Vec<XpmSuggestion>, ErrorPayload> {
    state.run("xpm_suggestions", move |s| s.xpm_suggestions(id)).await
}

/// Links the file to an XPM client, or removes its link with `null`. Audited by the core.
#[tauri::command]
pub async fn link_xpm(
    state: State<'_, Shared>,
    id: FileId,
    xpm_uuid: Option<String>,
) -> Result<ClientFile, ErrorPayload> {
    state.run("link_xpm", move |s| s.link_xpm(id, xpm_uuid.as_deref())).await
}

#[tauri::command]
pub async fn xpm_review(state: State<'_, Shared>) -> Result<XpmReview, ErrorPayload> {
    state.run("xpm_review", |s| s.xpm_review()).await
}

#[tauri::command]
pub async fn confirm_xpm_links(state: State<'_, Shared>, links: Vec<XpmLinkChoice>) -> Result<u32, ErrorPayload> {
    state.run("confirm_xpm_links", move |s| s.confirm_xpm_links(&links)).await
}

#[tauri::command]
pub async fn connect_xpm(state: State<'_, Shared>) -> Result<XpmRefreshReport, ErrorPayload> {
    let (xero, cancel) = state.run("connect_xpm", |s| s.xero()).await?;
    Ok(xero.connect_xpm_in_browser(&cancel).await?)
}

/// Forgets XPM's sign-in; the cached XPM clients and the files' links stay. Audited.
#[tauri::command]
pub async fn disconnect_xpm(state: State<'_, Shared>) -> Result<XpmStatus, ErrorPayload> {
    let (xero, _) = state.run("disconnect_xpm", |s| s.xero()).await?;
    Ok(xero.disconnect_xpm().await?)
}

#[tauri::command]
pub async fn refresh_xpm(state: State<'_, Shared>) -> Result<XpmRefreshReport, ErrorPayload> {
    let (xero, _) = state.run("refresh_xpm", |s| s.xero()).await?;
    Ok(xero.refresh_xpm().await?)
}
