//! The client reports commands (issue 6): the page reads the cache; refreshing and "Allow
//! reports" take the Xero context from the session and run without holding it.

use switchboard_core::ErrorPayload;
use switchboard_core::model::FileId;
use switchboard_core::reports::model::{AllReportsRefresh, ClientReports, ReportInsight, ReportsRefresh};
use switchboard_core::xero::sync::{ConnectSummary, SyncProgress};
use tauri::{AppHandle, Emitter, State};

use crate::Shared;

#[tauri::command]
pub async fn client_reports(state: State<'_, Shared>, id: FileId) -> Result<ClientReports, ErrorPayload> {
    state.run("client_reports", move |s| s.client_reports(id)).await
}

#[tauri::command]
pub async fn report_insights(state: State<'_, Shared>) -> Result<Vec<ReportInsight>, ErrorPayload> {
    state.run("report_insights", |s| s.report_insights()).await
}

#[tauri::command]
pub async fn refresh_reports(state: State<'_, Shared>, id: FileId) -> Result<ReportsRefresh, ErrorPayload> {
    let (xero, _) = state.run("refresh_reports", |s| s.xero()).await?;
    Ok(xero.refresh_reports_today(id).await?)
}

#[tauri::command]
pub async fn refresh_all_reports(state: State<'_, Shared>) -> Result<AllReportsRefresh, ErrorPayload> {
    let (xero, _) = state.run("refresh_all_reports", |s| s.xero()).await?;
    Ok(xero.refresh_all_reports_today().await?)
}

#[tauri::command]
pub async fn allow_reports(app: AppHandle, state: State<'_, Shared>) -> Result<ConnectSummary, ErrorPayload> {
    let (xero, cancel) = state.run("allow_reports", |s| s.xero()).await?;
    let progress = move |p: SyncProgress| {
        let _ = app.emit("sync-progress", p);
    };
    Ok(xero.allow_reports_in_browser(&cancel, progress).await?)
}

#[tauri::command]
pub async fn open_reports_in_xero(state: State<'_, Shared>, id: FileId) -> Result<(), ErrorPayload> {
    state.run("open_reports_in_xero", move |s| s.open_reports_in_xero(id)).await
}
